import Tessera

/// Rows whose value (usually the distance to the reference) is unusually large.
///
/// ```swift
/// let far = Outliers.mad(distances, threshold: 3.5)
/// far.indices   // row numbers, ascending
/// ```
public struct Outliers: Sendable {
    /// The rows flagged, ascending.
    public var indices: [Int]
    /// The cut-off on the value (percentile rule) or on the robust z-score (MAD rule).
    public var threshold: Double
    /// The score each row is judged by: the value itself, or its MAD z-score; shape `[rows]`.
    public var scores: Tensor
    /// The median of the values (MAD rule only).
    public var median: Double?
    /// The median absolute deviation (MAD rule only).
    public var mad: Double?

    /// The scale that makes the MAD of normal data estimate its standard deviation.
    public static let madScale = 1.4826

    /// Rows whose value lies above the `percent`-th percentile of all values.
    ///
    /// - Parameters:
    ///   - values: `[rows]`.
    ///   - percent: In `[0, 100]`, e.g. 99 flags the top 1 %.
    public static func percentile(_ values: Tensor, above percent: Double) -> Outliers {
        precondition(values.rank == 1 && values.count > 0, "[outliers] needs a non-empty [rows] tensor, got shape \(values.shape)")
        let cut = values.percentile(percent).item(as: Double.self)
        return Outliers(indices: rows(where: values .> cut), threshold: cut, scores: values, median: nil, mad: nil)
    }

    /// Rows whose robust z-score `|x − median| / (1.4826 · MAD)` exceeds `threshold`.
    ///
    /// When the MAD is 0 every row that differs from the median scores infinity (and is flagged).
    ///
    /// - Parameters:
    ///   - values: `[rows]`.
    ///   - threshold: The cut-off, commonly 3 or 3.5.
    public static func mad(_ values: Tensor, threshold: Double = 3.5) -> Outliers {
        precondition(values.rank == 1 && values.count > 0, "[outliers] needs a non-empty [rows] tensor, got shape \(values.shape)")
        let v = values.astype(.float64)
        let median = v.quantile(0.5).item(as: Double.self)
        let deviation = (v - median).abs()
        let mad = deviation.quantile(0.5).item(as: Double.self)
        let scores = (deviation / (madScale * mad)).eval()
        return Outliers(indices: rows(where: scores .> threshold), threshold: threshold, scores: scores,
                        median: median, mad: mad)
    }

    /// The positions of the true elements of a 1-d mask.
    static func rows(where mask: Tensor) -> [Int] {
        Tensor.arange(mask.count, device: mask.device).maskedSelect(mask).scalars(as: Int.self)
    }
}
