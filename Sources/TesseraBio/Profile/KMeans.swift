import Tessera

/// k-means clustering of the rows of a `[cells, channels]` matrix: k-means++ seeding, then Lloyd
/// iterations, all in tensor ops (so it runs where the tensors live).
///
/// ```swift
/// let km = KMeans.fit(cells, k: 8, seed: 42)
/// km.sizes     // cells per cluster
/// km.inertia   // Σ squared distance to the assigned centroid
/// ```
public struct KMeans: Sendable {
    /// The cluster centres, `[k, channels]`.
    public var centroids: Tensor
    /// The cluster of each row, `[cells]`, int64.
    public var assignments: Tensor
    /// The sum over rows of the squared Euclidean distance to their centroid (computed in float64).
    public var inertia: Double
    /// How many rows each cluster holds.
    public var sizes: [Int]
    /// Lloyd iterations run.
    public var iterations: Int
    /// Whether the assignments stopped changing, or the centroids stopped moving (within the tolerance),
    /// before `maxIterations`.
    public var converged: Bool

    /// Clusters the rows of `x` into `k` groups.
    ///
    /// Seeding is k-means++ (Arthur & Vassilvitskii): the first centre is a uniformly drawn row, each
    /// next one a row drawn with probability proportional to its squared distance to the nearest centre
    /// so far; the draws come from `Tensor.rand(seed:)`, so a seed gives the same result on every run.
    /// Each Lloyd step assigns rows to the nearest centroid (`Tensor.nearestRow(in:)`: squared distances
    /// in the form `‖x‖² − 2x·c + ‖c‖²`, first centroid on ties), then moves each centroid to the mean of
    /// its rows (`Tensor.segmentSum(_:count:)`, summed in float64; a cluster left empty keeps its
    /// centroid). Each step reads the data twice and writes nothing of its size. Iteration stops when no
    /// assignment changes, when the centroids moved by at most `tolerance` (scikit-learn's rule: the sum
    /// over centroids of the squared shift, against `tolerance` times the mean of the channels'
    /// variances), or after `maxIterations`; the assignments returned are always those of the final
    /// centroids.
    ///
    /// - Parameters:
    ///   - x: `[cells, channels]`, floating point.
    ///   - k: The number of clusters, `1...cells`.
    ///   - seed: The random stream for the seeding.
    ///   - maxIterations: The most Lloyd steps.
    ///   - tolerance: The centroid shift that counts as converged, relative to the data's variance
    ///     (scikit-learn's default 1e-4); 0 iterates until no assignment changes.
    /// - Returns: Centroids, assignments, inertia and sizes.
    public static func fit(_ x: Tensor, k: Int, seed: UInt64 = 0, maxIterations: Int = 100, tolerance: Double = 1e-4) -> KMeans {
        precondition(x.rank == 2, "[kMeans] needs a [cells, channels] matrix, got shape \(x.shape)")
        precondition(k >= 1 && k <= x.shape[0], "[kMeans] k must be in 1...\(x.shape[0]), got \(k)")
        let x = (x.dtype.isFloatingPoint ? x : x.astype(.float32)).contiguous().eval()
        var centroids = plusPlusSeeds(x, k: k, seed: seed)
        var assignments = x.nearestRow(in: centroids).eval()
        let scaledTolerance = tolerance > 0 ? tolerance * x.astype(.float64).variance(axes: [0], correction: 0).mean().item(as: Double.self) : -1
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            let previous = centroids
            centroids = means(x, assignments, centroids)
            let shift = (centroids.astype(.float64) - previous.astype(.float64)).square().sum().item(as: Double.self)
            let next = x.nearestRow(in: centroids).eval()
            let changed = (next .!= assignments).astype(.int64).sum().item(as: Int.self)
            assignments = next
            if changed == 0 || shift <= scaledTolerance {
                converged = true
                break
            }
        }
        let sizes = counts(assignments, k)
        let diff = x.astype(.float64) - centroids.indexSelect(axis: 0, indices: assignments).astype(.float64)
        let inertia = (diff * diff).sum().item(as: Double.self)
        return KMeans(centroids: centroids, assignments: assignments, inertia: inertia, sizes: sizes,
                      iterations: iterations, converged: converged)
    }

    /// k-means++ seeding.
    static func plusPlusSeeds(_ x: Tensor, k: Int, seed: UInt64) -> Tensor {
        let n = x.shape[0]
        let draws = Tensor.rand([k], seed: seed, dtype: .float64).toArray()
        var chosen = [min(Int(draws[0] * Double(n)), n - 1)]
        var closest = squaredDistances(x, to: x[chosen[0]])
        for draw in draws.dropFirst() {
            // The first row whose running sum of squared distances passes draw · total.
            let running = closest.cumsum()
            let total = running[n - 1].item(as: Double.self)
            let index: Int
            if total > 0 {
                index = min((running .<= draw * total).astype(.int64).sum().item(as: Int.self), n - 1)
            } else {
                // Every row coincides with a centre already: any row will do.
                index = min(Int(draw * Double(n)), n - 1)
            }
            chosen.append(index)
            closest = Tensor.minimum(closest, squaredDistances(x, to: x[index])).eval()
        }
        return x.indexSelect(axis: 0, indices: Tensor(chosen, device: x.device)).eval()
    }

    /// Squared Euclidean distance of every row to `c`, in float64 (the seeding's weights).
    private static func squaredDistances(_ x: Tensor, to c: Tensor) -> Tensor {
        let d = x.astype(.float64) - c.astype(.float64)
        return (d * d).sum(axis: 1).eval()
    }

    /// The mean of each cluster's rows (one ``Tensor/segmentSum(_:count:)`` pass); empty clusters keep
    /// `previous`.
    static func means(_ x: Tensor, _ assignments: Tensor, _ previous: Tensor) -> Tensor {
        let k = previous.shape[0]
        let sums = x.segmentSum(assignments, count: k)
        let sizes = Tensor(shape: [k, 1], scalars: counts(assignments, k).map { Double($0) }, dtype: x.dtype, device: x.device)
        return Tensor.where(sizes .> 0, sums / Tensor.maximum(sizes, 1), previous).eval()
    }

    /// Rows per cluster.
    static func counts(_ assignments: Tensor, _ k: Int) -> [Int] {
        Tensor.ones([assignments.count, 1], dtype: .int64, device: assignments.device).segmentSum(assignments, count: k).scalars(as: Int.self)
    }
}
