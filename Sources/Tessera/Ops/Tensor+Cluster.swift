/// The two passes of a k-means (Lloyd) step as tensor ops: the nearest centre of every row, and the
/// sum of the rows of each cluster.
extension Tensor {
    /// For every row of a `[n, d]` matrix, the index of the nearest row of `points` (`[k, d]`) by
    /// squared Euclidean distance; the first (lowest index) on ties.
    ///
    /// One pass over `self`: distances are `‖c‖² − 2·x·c` (`‖x‖²` is the same for every point), eight rows
    /// against eight points at a time in registers, and never stored (scikit-learn's
    /// `pairwise_distances_argmin`, `torch.cdist(x, c).argmin(1)` without the `[n, k]` matrix).
    /// Integers compute in float32; no gradient flows through indices.
    ///
    /// ```swift
    /// let x = Tensor([[0.0, 0], [9, 9], [1, 0]])
    /// x.nearestRow(in: Tensor([[0.0, 0], [10, 10]]))   // [0, 1, 0]
    /// ```
    ///
    /// - Parameter points: `[k, d]`, `k ≥ 1`, with `self`'s `d`.
    /// - Returns: An int64 tensor of shape `[n]`.
    ///
    /// ### See Also
    /// - ``segmentSum(_:count:)``
    public func nearestRow(in points: Tensor) -> Tensor {
        check(rank == 2 && points.rank == 2 && shape[1] == points.shape[1] && points.shape[0] >= 1,
              "[nearestRow] needs [n, d] rows and [k, d] points with k ≥ 1, got shapes \(shape) and \(points.shape)")
        let compute: DType = DType.promote(dtype, points.dtype) == .float64 ? .float64 : .float32
        return withoutGrad {
            Tensor.custom(NearestRow(), [astype(compute), points.astype(compute)], shape: [shape[0]], dtype: .int64)
        }
    }

    /// The sums of the rows of `self` that share a segment id: row `s` of the result adds every row `i`
    /// with `segments[i] == s` (zeros where none does), as `torch.zeros(count, d).index_add_(0, segments, x)`.
    ///
    /// One parallel pass, each thread summing into its own float64 accumulators. Floats keep their
    /// dtype, integers and bools sum as int64 (through float64, exact below 2⁵³). The gradient of row
    /// `i` is the output gradient of its segment.
    ///
    /// ```swift
    /// let x = Tensor([[1.0, 2], [3, 4], [5, 6]])
    /// x.segmentSum(Tensor([1, 0, 1]), count: 2)   // [[3, 4], [6, 8]]
    /// ```
    ///
    /// - Parameters:
    ///   - segments: An integer tensor of shape `[n]` with ids in `0..<count`.
    ///   - count: The number of segments.
    /// - Returns: Shape `[count] + shape.dropFirst()`.
    ///
    /// ### See Also
    /// - ``nearestRow(in:)``
    /// - ``indexSelect(axis:indices:)``
    public func segmentSum(_ segments: Tensor, count: Int) -> Tensor {
        check(rank >= 1 && segments.dtype.isInteger && segments.shape == [shape[0]] && count >= 0,
              "[segmentSum] needs [n] integer segment ids for shape \(shape) and count ≥ 0, got shape \(segments.shape) (\(segments.dtype)), count \(count)")
        let dtype = self.dtype.isFloatingPoint ? self.dtype : .int64
        return Tensor.custom(SegmentSum(count: count), [astype(dtype), segments.astype(.int64)],
                             shape: [count] + shape.dropFirst(), dtype: dtype)
    }
}

/// For every row of `[n, d]` rows, the index of the nearest of `[k, d]` points (squared Euclidean
/// distance, the lowest index on ties).
struct NearestRow: KernelOp {
    var name: String { "nearest_row" }
}

/// The sums of rows sharing a segment id, into `count` rows (zeros where none does).
struct SegmentSum: KernelOp {
    let count: Int
    var name: String { "segment_sum" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] { [g.indexSelect(axis: 0, indices: inputs[1]), nil] }
}
