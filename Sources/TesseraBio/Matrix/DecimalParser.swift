/// Decimal numbers straight from bytes, correctly rounded to the nearest `Double`.
///
/// The common forms (`-12.5`, `3e-7`, `192.742`) take Clinger's exact fast path: at most 19 significant
/// digits whose integer value `m` is at most 2^53, times or divided by a power of ten up to 10^22, which is
/// itself exact in a `Double`, so one IEEE multiplication or division rounds once and correctly. Anything
/// else (long mantissas, large exponents, `inf`, hex floats) goes to the standard library's `Double(_:)`,
/// which is correctly rounded too, so the result never depends on which path ran.
enum DecimalParser {
    /// Exact powers of ten representable in a `Double`.
    private static let powersOfTen: [Double] = (0...22).map { e in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }

    /// The number spelled by `bytes[start..<end]` (already trimmed), or nil when it is not one.
    @inline(__always)
    static func parse(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        if let value = parseFast(bytes, start, end) { return value }
        return parseSlow(bytes, start, end)
    }

    /// Clinger's fast path, or nil when the text is not a plain decimal inside its limits.
    @inline(__always)
    static func parseFast(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if p[i] == UInt8(ascii: "+") {
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0   // digits counted into `mantissa` (leading zeros excluded)
        var digits = 0        // all mantissa digits seen
        var exponent = 0
        while i < end, case let d = p[i] &- 48, d < 10 {
            if significant > 0 || d != 0 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                significant += 1
            }
            digits += 1
            i += 1
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, case let d = p[i] &- 48, d < 10 {
                if significant > 0 || d != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                }
                exponent -= 1
                digits += 1
                i += 1
            }
        }
        guard digits > 0, significant <= 19 else { return nil }
        if i < end && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            var exponentDigits = 0
            while i < end, case let d = p[i] &- 48, d < 10 {
                if written < 100_000 { written = written * 10 + Int(d) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard i == end else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let m = Double(mantissa)
        let value = exponent < 0 ? m / powersOfTen[-exponent] : m * powersOfTen[exponent]
        return negative ? -value : value
    }

    /// The standard library's correctly rounded parser, for every form the fast path declines.
    static func parseSlow(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let bytes = UnsafeBufferPointer(start: p + start, count: max(0, end - start))
        // `Double(_:)` reads a C string, so it would stop at a NUL and take "1\0abc" for 1.
        guard !bytes.isEmpty, !bytes.contains(0) else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
