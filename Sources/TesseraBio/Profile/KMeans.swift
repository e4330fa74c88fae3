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
    /// Whether the assignments stopped changing before `maxIterations`.
    public var converged: Bool

    /// Clusters the rows of `x` into `k` groups.
    ///
    /// Seeding is k-means++ (Arthur & Vassilvitskii): the first centre is a uniformly drawn row, each
    /// next one a row drawn with probability proportional to its squared distance to the nearest centre
    /// so far; the draws come from `Tensor.rand(seed:)`, so a seed gives the same result on every run.
    /// Each Lloyd step assigns rows to the nearest centroid, with squared distances in the matrix-product
    /// form `‖x‖² − 2x·c + ‖c‖²`, then moves each centroid to the mean of its rows (a cluster left empty
    /// keeps its centroid). Iteration stops when no assignment changes, or after `maxIterations`.
    ///
    /// - Parameters:
    ///   - x: `[cells, channels]`, floating point.
    ///   - k: The number of clusters, `1...cells`.
    ///   - seed: The random stream for the seeding.
    ///   - maxIterations: The most Lloyd steps.
    /// - Returns: Centroids, assignments, inertia and sizes.
    public static func fit(_ x: Tensor, k: Int, seed: UInt64 = 0, maxIterations: Int = 100) -> KMeans {
        precondition(x.rank == 2, "[kMeans] needs a [cells, channels] matrix, got shape \(x.shape)")
        precondition(k >= 1 && k <= x.shape[0], "[kMeans] k must be in 1...\(x.shape[0]), got \(k)")
        let x = (x.dtype.isFloatingPoint ? x : x.astype(.float32)).contiguous().eval()
        // Channels-major copy: both Lloyd products then have the long axis inside, the shape the core's
        // GEMM runs well (`[k, d]·[d, n]` and `[d, n]·[n, k]`).
        let xt = x.T.contiguous().eval()
        var centroids = plusPlusSeeds(x, k: k, seed: seed)
        var assignments = nearest(xt, centroids)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            centroids = means(xt, assignments, centroids)
            let next = nearest(xt, centroids)
            let changed = (next .!= assignments).astype(.int64).sum().item(as: Int.self)
            assignments = next
            if changed == 0 {
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
        return x.indexSelect(axis: 0, indices: Tensor(chosen)).eval()
    }

    /// Squared Euclidean distance of every row to `c`, in float64 (the seeding's weights).
    private static func squaredDistances(_ x: Tensor, to c: Tensor) -> Tensor {
        let d = x.astype(.float64) - c.astype(.float64)
        return (d * d).sum(axis: 1).eval()
    }

    /// The nearest centroid of each row of `xᵀ`: argmin over centroids of `‖c‖² − 2c·x` (`‖x‖²` is the
    /// same for every centroid, so it is left out).
    ///
    /// The argmin runs as a running minimum over the `k` contiguous rows of the `[k, cells]` distances,
    /// one fused elementwise pass, instead of the core's strided `argmin(axis: 0)`; a strict `<` keeps
    /// the first centroid on ties, as `argmin` does.
    static func nearest(_ xt: Tensor, _ centroids: Tensor) -> Tensor {
        let k = centroids.shape[0]
        let d = ((centroids * centroids).sum(axis: 1, keepDims: true) - 2 * centroids.matmul(xt)).eval()
        var best = d[0]
        var index = Tensor.zeros([xt.shape[1]], dtype: .int64)
        for j in 1..<max(k, 1) {
            let dj = d[j]
            let closer = dj .< best
            index = Tensor.where(closer, Tensor.full([xt.shape[1]], Double(j), dtype: .int64), index)
            best = Tensor.minimum(best, dj)
        }
        return index.eval()
    }

    /// The mean of each cluster's rows, via a one-hot matrix product; empty clusters keep `previous`.
    static func means(_ xt: Tensor, _ assignments: Tensor, _ previous: Tensor) -> Tensor {
        let k = previous.shape[0]
        let oneHot = (assignments.unsqueeze(axis: 1) .== Tensor.arange(k).unsqueeze(axis: 0)).astype(xt.dtype)
        let sums = xt.matmul(oneHot).T
        let sizes = Tensor(shape: [k, 1], scalars: counts(assignments, k).map { Double($0) }, dtype: xt.dtype)
        return Tensor.where(sizes .> 0, sums / Tensor.maximum(sizes, 1), previous).eval()
    }

    /// Rows per cluster: one contiguous count per cluster (faster than the core's column sum of a one-hot).
    static func counts(_ assignments: Tensor, _ k: Int) -> [Int] {
        (0..<k).map { (assignments .== Int64($0)).astype(.int64).sum().item(as: Int.self) }
    }
}
