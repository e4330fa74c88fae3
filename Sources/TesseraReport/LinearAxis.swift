import Tessera

/// A linear axis with round ends: ticks are a step of 1, 2 or 5 times a power of ten apart, and the domain is
/// widened to whole steps.
///
/// ```swift
/// let axis = LinearAxis(covering: [0.37, 5.6])
/// axis.ticks                                // [0, 1, 2, 3, 4, 5, 6]
/// axis.position(3, length: 600)             // 300
/// ```
public struct LinearAxis: Sendable, Equatable {
    /// The domain's ends, multiples of `step`.
    public let lower: Double, upper: Double
    /// The distance between ticks.
    public let step: Double

    /// An axis covering every finite value in `values` in about `intervals` steps (0…1 when there is none; a
    /// single value gets a step either side).
    ///
    /// - Parameters:
    ///   - values: The values the axis must show.
    ///   - intervals: The number of steps wanted between the ends; the step is the 1, 2 or 5 times a power of
    ///     ten nearest (on a log scale) to an even split, plus up to one more at each end.
    public init(covering values: [Double], intervals: Int = 6) {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else {
            (lower, upper, step) = (0, 1, 0.2)
            return
        }
        if low == high {
            let pad = low == 0 ? 1 : Swift.abs(low) / 10
            (low, high) = (low - pad, high + pad)
        }
        let rough = (high - low) / Double(Swift.max(intervals, 1))
        let decade = power10(Int(log10Floor(rough)))
        let multiple = rough / decade
        // The boundaries are the geometric means of 1, 2, 5 and 10.
        step = decade * (multiple < 1.414 ? 1 : multiple < 3.162 ? 2 : multiple < 7.071 ? 5 : 10)
        // `+ 0` turns -0 into 0 so the first tick does not print as "-0".
        lower = (low / step).rounded(.down) * step + 0
        upper = Swift.max((high / step).rounded(.up) * step, lower + step)
    }

    /// Where `value` falls on an axis of `length` pixels: 0 at `lower`, `length` at `upper`; values outside the
    /// domain are clamped.
    public func position(_ value: Double, length: Double) -> Double {
        guard value.isFinite else { return value > 0 ? length : 0 }
        return Swift.min(Swift.max((value - lower) / (upper - lower), 0), 1) * length
    }

    /// The tick values from `lower` to `upper`, ascending.
    public var ticks: [Double] {
        // Whole multiples of the step, so the tick at zero is exactly zero.
        let first = Int((lower / step).rounded()), last = Int((upper / step).rounded())
        return (first...last).map { Double($0) * step + 0 }
    }

    /// A tick label with as many decimals as the step needs: `0.5`, `1.5` for a step of 0.5; `20` for 10.
    public func label(_ value: Double) -> String {
        NumberFormat.fixed(value + 0, fractionDigits: Swift.max(0, -Int(log10Floor(step))))
    }
}
