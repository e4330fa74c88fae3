import Tessera

/// Summary statistics of a set of values (usually the distances of every cell to a reference).
///
/// ```swift
/// let s = DistanceSummary(of: distances)
/// print(s.mean, s.percentiles[3])   // (percent: 50, value: the median)
/// ```
public struct DistanceSummary: Sendable, Equatable {
    /// How many values.
    public var count: Int
    /// The arithmetic mean.
    public var mean: Double
    /// The population standard deviation (NumPy's `std`, `ddof=0`).
    public var std: Double
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double
    /// Each requested percentile and its exact value (NumPy's default linear interpolation).
    public var percentiles: [Percentile]

    /// One percentile.
    public struct Percentile: Sendable, Equatable {
        public var percent: Double
        public var value: Double
    }

    /// The percentiles summarised unless others are asked for.
    public static let defaultPercents: [Double] = [1, 5, 25, 50, 75, 95, 99]

    /// A summary of given statistics.
    public init(count: Int, mean: Double, std: Double, min: Double, max: Double, percentiles: [Percentile]) {
        (self.count, self.mean, self.std, self.min, self.max, self.percentiles) = (count, mean, std, min, max, percentiles)
    }

    /// Summarises `values` (any shape, read as one list); NaN anywhere makes every statistic NaN.
    ///
    /// - Parameters:
    ///   - values: A non-empty tensor.
    ///   - percents: Percentages in `[0, 100]`.
    public init(of values: Tensor, percents: [Double] = DistanceSummary.defaultPercents) {
        precondition(values.count > 0, "[summary] needs at least one value")
        let v = values.flatten().astype(.float64)
        let mean = v.mean()
        let std = v.std(correction: 0)
        let lo = v.min()
        let hi = v.max()
        let qs = percents.isEmpty ? [] : v.percentile(percents).toArray()
        count = values.count
        self.mean = mean.item()
        self.std = std.item()
        self.min = lo.item()
        self.max = hi.item()
        percentiles = zip(percents, qs).map { Percentile(percent: $0, value: $1) }
    }
}

/// Counts of values in equal-width bins, as `numpy.histogram`.
///
/// ```swift
/// let h = Histogram(of: distances, bins: 50)
/// h.edges.count   // 51
/// ```
public struct Histogram: Sendable, Equatable {
    /// The bin edges, `bins + 1` of them, as `numpy.linspace(low, high, bins + 1)`.
    public var edges: [Double]
    /// How many values fall in each bin: `[edges[i], edges[i+1])`, the last bin closed on the right.
    public var counts: [Int]

    /// A histogram of given edges and counts (`edges.count == counts.count + 1`).
    public init(edges: [Double], counts: [Int]) {
        precondition(edges.count == counts.count + 1, "[histogram] \(edges.count) edges for \(counts.count) bins")
        self.edges = edges
        self.counts = counts
    }

    /// Bins `values` (any shape) over `range`, or over `[min, max]` of the finite values when nil.
    ///
    /// Values outside the range and NaN are not counted. As NumPy, an empty range (`min == max`)
    /// widens to `[min − 0.5, max + 0.5]`.
    ///
    /// - Parameters:
    ///   - values: The values.
    ///   - bins: The number of bins (at least 1).
    ///   - range: The low and high edges.
    public init(of values: Tensor, bins: Int = 50, range: ClosedRange<Double>? = nil) {
        precondition(bins >= 1, "[histogram] bins must be at least 1, got \(bins)")
        let v = values.flatten().astype(.float64)
        var low: Double, high: Double
        if let range {
            (low, high) = (range.lowerBound, range.upperBound)
        } else {
            let finite = v.isfinite()
            let anyFinite = finite.astype(.int64).sum().item(as: Int.self) > 0
            low = anyFinite ? Tensor.where(finite, v, Double.infinity).min().item() : 0
            high = anyFinite ? Tensor.where(finite, v, -Double.infinity).max().item() : 1
        }
        if low == high {
            low -= 0.5
            high += 0.5
        }
        // numpy.linspace: start + i * step, the last edge exactly `high`.
        let step = (high - low) / Double(bins)
        var edges = (0...bins).map { low + Double($0) * step }
        edges[bins] = high
        self.edges = edges

        // numpy.histogram's uniform-bin path: a first guess from the scaled value, then corrected
        // against the edges themselves so every value lands in [edges[i], edges[i+1]).
        let edgeTensor = Tensor(shape: [bins + 1], scalars: edges, dtype: .float64, device: v.device)
        let inRange = (v .>= low) .&& (v .<= high)
        let guess = ((v - low) * (Double(bins) / (high - low))).floor().clamp(min: 0.0, max: Double(bins - 1))
        var index = Tensor.where(inRange, guess, 0).astype(.int64)
        let below = v .< edgeTensor.gather(axis: 0, indices: index)
        index = index - below.astype(.int64)
        let above = (v .>= edgeTensor.gather(axis: 0, indices: index + 1)) .&& (index .!= Int64(bins - 1))
        index = index + above.astype(.int64)
        let bucket = Tensor.where(inRange, index, -1)
        counts = (bucket.unsqueeze(axis: 1) .== Tensor.arange(bins, device: bucket.device).unsqueeze(axis: 0)).astype(.int64).sum(axis: 0)
            .scalars(as: Int.self)
    }
}
