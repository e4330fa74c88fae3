/// printf-style decimal formatting of doubles (`%.*f` and `%.*e`), without Foundation.
///
/// Both round the exact binary value half to even, as glibc's printf and NumPy's Dragon4 do: `0.125` with
/// two digits is `"0.12"` (a true tie), and `2.675` with two digits is `"2.67"` (the double is 2.67499999…).
/// Non-finite values print as `"nan"`, `"inf"` and `"-inf"`.
package enum NumberFormat {
    /// Formats `x` with `fractionDigits` digits after the point, like `printf("%.*f")`.
    ///
    /// `fixed(-1.23456, fractionDigits: 4)` is `"-1.2346"`; negative zero keeps its sign (`"-0.0000"`), and
    /// `fractionDigits: 0` prints no point (`"2"`).
    package static func fixed(_ x: Double, fractionDigits: Int) -> String {
        check(fractionDigits >= 0, "[NumberFormat.fixed] fractionDigits must be ≥ 0")
        if let special = nonFinite(x) { return special }
        var decimal = ExactDecimal(x.magnitude)
        decimal.round(keeping: decimal.point + fractionDigits)
        var text = x.sign == .minus ? "-" : ""
        if decimal.point <= 0 || decimal.digits.isEmpty {
            text += "0"
        } else {
            text += decimal.digitString(0..<decimal.point)
        }
        if fractionDigits > 0 {
            text += "." + decimal.digitString(decimal.point..<(decimal.point + fractionDigits))
        }
        return text
    }

    /// Formats `x` as one digit, the point, `fractionDigits` digits and a signed exponent of at least two
    /// digits, like `printf("%.*e")`: `scientific(123456, fractionDigits: 4)` is `"1.2346e+05"`.
    package static func scientific(_ x: Double, fractionDigits: Int) -> String {
        check(fractionDigits >= 0, "[NumberFormat.scientific] fractionDigits must be ≥ 0")
        if let special = nonFinite(x) { return special }
        var decimal = ExactDecimal(x.magnitude)
        let exponent: Int
        if decimal.digits.isEmpty {
            exponent = 0
        } else {
            decimal.round(keeping: fractionDigits + 1)
            exponent = decimal.point - 1
        }
        var text = x.sign == .minus ? "-" : ""
        text += decimal.digitString(0..<1)
        if fractionDigits > 0 { text += "." + decimal.digitString(1..<(fractionDigits + 1)) }
        let magnitude = String(exponent.magnitude)
        return text + (exponent < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    private static func nonFinite(_ x: Double) -> String? {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return nil
    }
}

/// The exact decimal expansion of a finite, non-negative double: `0.d₁d₂d₃… × 10^point`.
///
/// Every double is a dyadic rational, so its expansion is finite (at most ~770 significant digits), and
/// rounding that digit string is exact rounding of the binary value.
private struct ExactDecimal {
    /// Significant digits (0–9) with no leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    /// The power of ten of the place just left of `digits[0]`, i.e. the number of integer digits.
    var point: Int

    init(_ x: Double) {
        // x = m · 2^e with an integer m < 2^53.
        let biased = Int(x.exponentBitPattern)
        var m = x.significandBitPattern
        let e: Int
        if biased == 0 {
            e = -1074
        } else {
            m |= 1 << 52
            e = biased - 1075
        }
        if m == 0 {
            digits = []
            point = 0
            return
        }
        if e >= 0 {
            digits = BigUInt(m).shiftedLeft(e).decimalDigits()
            point = digits.count
        } else {
            // m / 2^k = integer part + (m mod 2^k) · 5^k / 10^k, the fraction written with k digits.
            let k = -e
            let integer = k >= 64 ? 0 : m >> k
            let fraction = k >= 64 ? m : m & ((1 << k) - 1)
            let integerDigits = integer == 0 ? [] : BigUInt(integer).decimalDigits()
            let fractionDigits = BigUInt(fraction).multipliedByPowerOfFive(k).decimalDigits()
            digits = integerDigits + [UInt8](repeating: 0, count: k - fractionDigits.count) + fractionDigits
            point = integerDigits.count
        }
        let leadingZeros = digits.prefix { $0 == 0 }.count
        digits.removeFirst(leadingZeros)
        point -= leadingZeros
        while digits.last == 0 { digits.removeLast() }
    }

    /// Rounds half to even so that at most the first `count` digits remain (`count` may be ≤ 0).
    mutating func round(keeping count: Int) {
        guard count < digits.count else { return }
        guard count >= 0 else {
            digits = []
            return
        }
        // Digits carry no trailing zeros, so anything after the rounding digit is nonzero.
        let roundingDigit = digits[count]
        let beyondHalf = digits.count > count + 1
        let lastKeptIsOdd = count > 0 && digits[count - 1] % 2 == 1
        digits.removeLast(digits.count - count)
        guard roundingDigit > 5 || (roundingDigit == 5 && (beyondHalf || lastKeptIsOdd)) else { return }
        while let last = digits.last, last == 9 { digits.removeLast() }
        if digits.isEmpty {
            digits = [1]
            point += 1
        } else {
            digits[digits.count - 1] += 1
        }
    }

    /// The digits at positions `range` (0 is `digits[0]`), with zeros outside the stored ones.
    func digitString(_ range: Range<Int>) -> String {
        String(decoding: range.map { i in UInt8(ascii: "0") + (digits.indices.contains(i) ? digits[i] : 0) },
               as: UTF8.self)
    }
}

/// Just enough of an arbitrary-precision unsigned integer for ``ExactDecimal``.
private struct BigUInt {
    /// Little-endian 32-bit limbs.
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
    }

    func shiftedLeft(_ bits: Int) -> BigUInt {
        var result = self
        result.limbs.insert(contentsOf: repeatElement(0, count: bits / 32), at: 0)
        let shift = UInt32(bits % 32)
        if shift > 0 {
            var carry: UInt32 = 0
            for i in result.limbs.indices {
                let limb = result.limbs[i]
                result.limbs[i] = limb << shift | carry
                carry = limb >> (32 - shift)
            }
            if carry > 0 { result.limbs.append(carry) }
        }
        return result
    }

    func multipliedByPowerOfFive(_ exponent: Int) -> BigUInt {
        var result = self
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 13)  // 5^13 < 2^32
            result.multiply(by: (0..<step).reduce(1) { product, _ in product * 5 })
            remaining -= step
        }
        return result
    }

    private mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    /// Decimal digits, most significant first; `[]` for zero.
    func decimalDigits() -> [UInt8] {
        var value = limbs
        var chunks: [UInt32] = []  // base 10^9, least significant first
        while value.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in value.indices.reversed() {
                let current = remainder << 32 | UInt64(value[i])
                value[i] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while value.last == 0 { value.removeLast() }
        }
        var digits: [UInt8] = []
        for (n, chunk) in chunks.reversed().enumerated() {
            var chunkDigits = [UInt8](repeating: 0, count: 9)
            var rest = chunk
            for j in (0..<9).reversed() {
                chunkDigits[j] = UInt8(rest % 10)
                rest /= 10
            }
            // The most significant chunk has no leading zeros.
            digits += n == 0 ? Array(chunkDigits.drop { $0 == 0 }) : chunkDigits
        }
        return digits
    }
}
