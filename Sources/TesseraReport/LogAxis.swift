#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera

/// A base-10 logarithmic axis: the domain is widened to whole decades, ticks sit on 1, 10, 100, …
/// (and on 2 and 5 times them when the domain spans two decades or less).
public struct LogAxis: Sendable, Equatable {
    /// log10 of the domain's ends.
    public let lowExponent: Int, highExponent: Int

    /// An axis covering every positive, finite value in `values` (1…10 when there is none).
    public init(covering values: [Double]) {
        let usable = values.filter { $0 > 0 && $0.isFinite }
        guard let lo = usable.min(), let hi = usable.max() else {
            (lowExponent, highExponent) = (0, 1)
            return
        }
        let low = Int(log10Floor(lo)), high = Int(log10Ceil(hi))
        (lowExponent, highExponent) = (low, Swift.max(high, low + 1))
    }

    public var lower: Double { power10(lowExponent) }
    public var upper: Double { power10(highExponent) }

    /// Where `value` falls on an axis of `length` pixels: 0 at the lower end, `length` at the upper;
    /// values outside the domain are clamped.
    public func position(_ value: Double, length: Double) -> Double {
        guard value > 0, value.isFinite else { return 0 }
        let fraction = (log10(value) - Double(lowExponent)) / Double(highExponent - lowExponent)
        return Swift.min(Swift.max(fraction, 0), 1) * length
    }

    /// The tick values, ascending.
    public var ticks: [Double] {
        let fine = highExponent - lowExponent <= 2
        var ticks: [Double] = []
        for e in lowExponent...highExponent {
            let decade = power10(e)
            ticks.append(decade)
            if fine && e < highExponent { ticks += [2 * decade, 5 * decade] }
        }
        return ticks
    }
}

/// floor(log10(x)) for a positive, finite `x`, exact at powers of ten.
func log10Floor(_ x: Double) -> Double {
    var e = 0.0, m = x
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    return e
}

private func log10Ceil(_ x: Double) -> Double {
    let f = log10Floor(x)
    return power10(Int(f)) == x ? f : f + 1
}

/// 10^e by repeated multiplication or division, exact for the powers a chart needs.
func power10(_ e: Int) -> Double {
    var v = 1.0
    if e >= 0 { for _ in 0..<e { v *= 10 } } else { for _ in 0..<(-e) { v /= 10 } }
    return v
}

/// A short number for tick labels and values: `0.01`, `2`, `500`, `5000`; `1M`, `20k` with `compact`.
public func axisLabel(_ value: Double, compact: Bool = false) -> String {
    if compact {
        for (scale, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where value >= scale {
            return axisLabel(value / scale) + suffix
        }
    }
    if value >= 1 {
        let text = NumberFormat.fixed(value, fractionDigits: value >= 100 ? 0 : 2)
        return text.contains(".") ? String(text.reversed().drop(while: { $0 == "0" }).drop(while: { $0 == "." }).reversed()) : text
    }
    var digits = 1
    while digits < 12 && power10(-digits) > value * (1 + 1e-9) { digits += 1 }
    let text = NumberFormat.fixed(value, fractionDigits: digits + 1)
    return String(text.reversed().drop(while: { $0 == "0" }).drop(while: { $0 == "." }).reversed())
}
