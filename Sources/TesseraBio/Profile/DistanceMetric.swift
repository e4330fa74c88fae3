import Tessera

/// How far a cell's profile is from a reference profile.
///
/// ```swift
/// let d = DistanceMetric.euclidean.distances(cells, to: reference)   // [cells]
/// ```
public enum DistanceMetric: String, Sendable, CaseIterable {
    /// `√Σ (x − r)²`.
    case euclidean
    /// `Σ (x − r)²`.
    case squaredEuclidean = "squared-euclidean"
    /// `1 − x·r / (‖x‖ ‖r‖)`; NaN for an all-zero row.
    case cosine
    /// `1 − Pearson correlation of x and r` (cosine distance after centring each); NaN for a constant row.
    case correlation

    /// The distance of every row of `x` to `reference`.
    ///
    /// The Euclidean distance is exactly the seed's `sqrt(((x - r) ** 2).sum(axis: 1))`: one fused kernel
    /// that reads `x` once and writes one value per row.
    ///
    /// - Parameters:
    ///   - x: `[cells, channels]`.
    ///   - reference: `[channels]`.
    /// - Returns: `[cells]`.
    public func distances(_ x: Tensor, to reference: Tensor) -> Tensor {
        precondition(x.rank == 2 && reference.rank == 1 && reference.count == x.shape[1],
                     "[\(rawValue)] needs [cells, channels] and [channels], got shapes \(x.shape) and \(reference.shape)")
        let r = reference.astype(x.dtype)
        switch self {
        case .euclidean:
            return ((x - r) ** 2).sum(axis: 1).sqrt()
        case .squaredEuclidean:
            return ((x - r) ** 2).sum(axis: 1)
        case .cosine:
            return 1 - (x * r).sum(axis: 1) / ((x * x).sum(axis: 1).sqrt() * (r * r).sum().sqrt())
        case .correlation:
            let xc = x - x.mean(axis: 1, keepDims: true)
            let rc = r - r.mean()
            return 1 - (xc * rc).sum(axis: 1) / ((xc * xc).sum(axis: 1).sqrt() * (rc * rc).sum().sqrt())
        }
    }

    /// The distance of every row of `x` to every row of `profiles`.
    ///
    /// Euclidean forms broadcast `[cells, 1, channels] − [1, profiles, channels]` (exact, no cancellation);
    /// cosine and correlation use one matrix product.
    ///
    /// - Parameters:
    ///   - x: `[cells, channels]`.
    ///   - profiles: `[profiles, channels]`.
    /// - Returns: `[cells, profiles]`.
    public func pairwiseDistances(_ x: Tensor, _ profiles: Tensor) -> Tensor {
        precondition(x.rank == 2 && profiles.rank == 2 && profiles.shape[1] == x.shape[1],
                     "[\(rawValue)] needs [cells, channels] and [profiles, channels], got shapes \(x.shape) and \(profiles.shape)")
        let p = profiles.astype(x.dtype)
        switch self {
        case .euclidean:
            return ((x.unsqueeze(axis: 1) - p.unsqueeze(axis: 0)) ** 2).sum(axis: 2).sqrt()
        case .squaredEuclidean:
            return ((x.unsqueeze(axis: 1) - p.unsqueeze(axis: 0)) ** 2).sum(axis: 2)
        case .cosine:
            return 1 - x.matmul(p.T) / ((x * x).sum(axis: 1, keepDims: true).sqrt() * (p * p).sum(axis: 1).sqrt())
        case .correlation:
            let xc = x - x.mean(axis: 1, keepDims: true)
            let pc = p - p.mean(axis: 1, keepDims: true)
            return DistanceMetric.cosine.pairwiseDistances(xc, pc)
        }
    }
}
