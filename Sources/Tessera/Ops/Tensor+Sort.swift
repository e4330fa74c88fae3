/// Order statistics along an axis: `sorted`, `argsort`, `topk`, `quantile`, `percentile`, `median`'s selection.
///
/// One kernel sorts (`argsort`, stable, NaN as the largest value); values come from a ``gather(axis:indices:)``
/// of its indices, so every gradient is the gather's: the output gradient scattered back to the indices.
extension Tensor {
    /// The indices that sort the tensor along `axis` (stable: equal elements keep their order).
    ///
    /// NaN counts as larger than every number, so it sorts last ascending (as NumPy) and first
    /// descending (as PyTorch). `-0.0` and `0.0` are equal.
    ///
    /// ```swift
    /// Tensor([3.0, 1, 2, 1]).argsort()                    // [1, 3, 2, 0]
    /// Tensor([3.0, 1, 2, 1]).argsort(descending: true)    // [0, 2, 1, 3]
    /// ```
    ///
    /// - Parameters:
    ///   - axis: The axis to sort along (negative counts from the end).
    ///   - descending: Largest first; ties still keep their original order.
    /// - Returns: An int64 tensor of `self`'s shape.
    ///
    /// ### See Also
    /// - ``sorted(axis:descending:)``
    /// - ``topk(_:axis:largest:)``
    public func argsort(axis: Int = -1, descending: Bool = false) -> Tensor {
        if rank == 0 { return Tensor.constant(0, shape: [], dtype: .int64, device: device) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "argsort")
        // Indices carry no gradient; building the node without grad keeps it out of backward passes.
        return withoutGrad { Tensor.custom(Argsort(axis: a, descending: descending), [self], shape: shape, dtype: .int64) }
    }

    /// The values sorted along `axis`; NaN sorts last ascending, first descending.
    ///
    /// The gradient flows back to each value's original position.
    ///
    /// ```swift
    /// Tensor([[3.0, 1, 2], [0, -1, .nan]]).sorted(axis: 1)   // [[1, 2, 3], [-1, 0, nan]]
    /// ```
    ///
    /// - Parameters:
    ///   - axis: The axis to sort along (negative counts from the end).
    ///   - descending: Largest first.
    /// - Returns: A tensor of `self`'s shape and dtype.
    ///
    /// ### See Also
    /// - ``argsort(axis:descending:)``
    public func sorted(axis: Int = -1, descending: Bool = false) -> Tensor {
        if rank == 0 { return self }
        let a = Shape.normalize(axis: axis, rank: rank, op: "sort")
        return gather(axis: a, indices: argsort(axis: a, descending: descending))
    }

    /// The `k` largest (or smallest) elements along `axis`, in order, and their indices.
    ///
    /// Ties come in index order; NaN counts as the largest value.
    ///
    /// ```swift
    /// let (v, i) = Tensor([1.0, 5, 3, 4]).topk(2)   // v = [5, 4], i = [1, 3]
    /// ```
    ///
    /// - Parameters:
    ///   - k: How many, `0...n` for an axis of length `n`.
    ///   - axis: The axis to search (negative counts from the end).
    ///   - largest: `false` gives the `k` smallest, ascending.
    /// - Returns: Values (`self`'s dtype) and int64 indices, with `axis` of length `k`.
    ///
    /// ### See Also
    /// - ``argsort(axis:descending:)``
    public func topk(_ k: Int, axis: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
        if rank == 0 {
            check(k == 0 || k == 1, "[topk] k = \(k) is out of range for a 0-d tensor")
            let (v, i) = reshape([1]).topk(k, axis: 0, largest: largest)
            return k == 1 ? (v.reshape([]), i.reshape([])) : (v, i)
        }
        let a = Shape.normalize(axis: axis, rank: rank, op: "topk")
        check(k >= 0 && k <= shape[a], "[topk] k = \(k) is out of range for axis \(a) of size \(shape[a]) (shape \(shape))")
        var indices = argsort(axis: a, descending: largest)
        if k < shape[a] {
            var slices = shape.map { AxisSlice(start: 0, step: 1, count: $0) }
            slices[a] = AxisSlice(start: 0, step: 1, count: k)
            indices = indices.view(.slice(slices))
        }
        return (gather(axis: a, indices: indices), indices)
    }

    /// The `q`-quantile along `axis` (of all elements when nil), interpolating linearly between
    /// order statistics exactly as `numpy.quantile`'s default method.
    ///
    /// A slice holding NaN gives NaN. Integer tensors give float32.
    ///
    /// ```swift
    /// Tensor([1.0, 2, 3, 4]).quantile(0.5)        // 2.5
    /// Tensor([[1.0, 5], [3, 4]]).quantile(0.25, axis: 1)   // [2, 3.25]
    /// ```
    ///
    /// - Parameters:
    ///   - q: A probability in `[0, 1]`.
    ///   - axis: The axis to reduce (negative counts from the end), or nil for all elements.
    ///   - keepDims: Keep the reduced axis (or all axes, when nil) with size 1.
    /// - Returns: `self`'s shape without `axis`.
    ///
    /// ### See Also
    /// - ``quantile(_:axis:keepDims:)-([Double],_,_)``
    /// - ``percentile(_:axis:keepDims:)-(Double,_,_)``
    public func quantile(_ q: Double, axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        quantiles([q], axis: axis, keepDims: keepDims, qIsScalar: true)
    }

    /// Several quantiles at once; as NumPy, the quantiles form the result's first axis.
    ///
    /// ```swift
    /// Tensor([[1.0, 5], [3, 4]]).quantile([0, 1], axis: 1)   // [[1, 3], [5, 4]]
    /// ```
    ///
    /// - Parameters:
    ///   - q: Probabilities in `[0, 1]`.
    ///   - axis: The axis to reduce (negative counts from the end), or nil for all elements.
    ///   - keepDims: Keep the reduced axis (or all axes, when nil) with size 1.
    /// - Returns: Shape `[q.count] + ` `self`'s shape without `axis`.
    ///
    /// ### See Also
    /// - ``quantile(_:axis:keepDims:)-(Double,_,_)``
    public func quantile(_ q: [Double], axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        quantiles(q, axis: axis, keepDims: keepDims, qIsScalar: false)
    }

    /// The `p`-th percentile: ``quantile(_:axis:keepDims:)-(Double,_,_)`` of `p / 100`.
    ///
    /// ```swift
    /// Tensor([1.0, 2, 3, 4]).percentile(50)   // 2.5
    /// ```
    ///
    /// - Parameters:
    ///   - p: A percentage in `[0, 100]`.
    ///   - axis: The axis to reduce, or nil for all elements.
    ///   - keepDims: Keep the reduced axis with size 1.
    /// - Returns: `self`'s shape without `axis`.
    public func percentile(_ p: Double, axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        quantile(p / 100, axis: axis, keepDims: keepDims)
    }

    /// Several percentiles at once; they form the result's first axis.
    ///
    /// ```swift
    /// Tensor([1.0, 2, 3, 4]).percentile([25, 75])   // [1.75, 3.25]
    /// ```
    ///
    /// - Parameters:
    ///   - p: Percentages in `[0, 100]`.
    ///   - axis: The axis to reduce, or nil for all elements.
    ///   - keepDims: Keep the reduced axis with size 1.
    /// - Returns: Shape `[p.count] + ` `self`'s shape without `axis`.
    public func percentile(_ p: [Double], axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        quantile(p.map { $0 / 100 }, axis: axis, keepDims: keepDims)
    }

    /// NumPy's linear method, step for step: virtual index `(n − 1)·q`, neighbours below and above
    /// (both the last element past the end), and `_lerp`'s two formulas split at γ = 0.5. The
    /// neighbours come from ``orderStatistics(axis:ranks:)``, which selects instead of sorting.
    private func quantiles(_ q: [Double], axis: Int?, keepDims: Bool, qIsScalar: Bool) -> Tensor {
        for v in q { check(v >= 0 && v <= 1, "[quantile] q must be in [0, 1], got \(v)") }
        let floating = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        let x = axis == nil ? floating.reshape([count]) : floating
        let a = axis.map { Shape.normalize(axis: $0, rank: rank, op: "quantile") } ?? 0
        let n = x.shape[a]
        check(n > 0, "[quantile] cannot take a quantile over an empty axis (axis \(a) of shape \(shape))")
        var below: [Int] = [], above: [Int] = [], gamma: [Double] = []
        for v in q {
            let virtual = Double(n - 1) * v
            let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
            below.append(floorIndex < 0 ? n - 1 : floorIndex)
            above.append(floorIndex < 0 ? n - 1 : floorIndex + 1)
            gamma.append(virtual - Double(floorIndex))
        }
        let ranks = Array(Set(below + above)).sorted()
        let stats = x.orderStatistics(axis: a, ranks: ranks)
        let lo = stats.indexSelect(axis: a, indices: Tensor(below.map { ranks.firstIndex(of: $0)! }, device: device))
        let hi = stats.indexSelect(axis: a, indices: Tensor(above.map { ranks.firstIndex(of: $0)! }, device: device))
        var gShape = [Int](repeating: 1, count: x.rank)
        gShape[a] = q.count
        let t = Tensor(shape: gShape, scalars: gamma, dtype: x.dtype, device: device)
        let upper = Tensor(shape: gShape, scalars: gamma.map { $0 >= 0.5 }, dtype: .bool, device: device)
        let diff = hi - lo
        // A lane holding NaN selects its last NaN at every rank (what a sort puts last).
        let r = Tensor.where(lo.isnan(), lo, Tensor.where(upper, hi - diff * (1 - t), lo + diff * t))
        if qIsScalar {
            if !keepDims { return r.squeeze(axis: a) }
            return axis == nil ? r.reshape([Int](repeating: 1, count: rank)) : r
        }
        var moved = r.permute([a] + (0..<x.rank).filter { $0 != a })
        if keepDims {
            moved = axis == nil ? moved.reshape([q.count] + [Int](repeating: 1, count: rank)) : moved.unsqueeze(axis: a + 1)
        }
        return moved
    }

    /// What `sorted(axis: a).indexSelect(axis: a, indices: ranks)` gives, by selection per lane; a
    /// lane holding NaN gives its last NaN (in index order) at every rank instead.
    ///
    /// The gradient goes where the sort's would: to the element of each stable rank (the last NaN in
    /// a NaN lane), found by an argsort that runs only when differentiating.
    func orderStatistics(axis a: Int, ranks: [Int]) -> Tensor {
        check(dtype.isFloatingPoint, "[quantile] selection needs a floating-point tensor, got \(dtype)")
        var outShape = shape
        outShape[a] = ranks.count
        return Tensor.custom(OrderStatisticsSelect(axis: a, ranks: ranks), [self], shape: outShape, dtype: dtype)
    }
}

/// The stable sort order along `axis` as int64 indices (NaN the largest, −0 = +0).
struct Argsort: KernelOp {
    let axis: Int
    let descending: Bool
    var name: String { "argsort" }
}

/// The values at sorted positions `ranks` of every lane along `axis`, found by selection; a lane holding
/// NaN gives its last NaN (in index order) at every rank.
///
/// The gradient goes where the sort's would: to the element of each stable rank (the last NaN in a NaN
/// lane), found by an argsort that runs only when differentiating.
struct OrderStatisticsSelect: KernelOp {
    let axis: Int
    /// Distinct ranks in `0..<n`, ascending.
    let ranks: [Int]
    var name: String { "quantile_select" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        let x = inputs[0], n = x.shape[axis]
        let order = x.argsort(axis: axis)
        let index = Tensor.where(output.isnan(), order.indexSelect(axis: axis, indices: Tensor([n - 1], device: x.device)),
                                 order.indexSelect(axis: axis, indices: Tensor(ranks, device: x.device)))
        return [g.scatterAdd(axis: axis, index: index, shape: x.shape)]
    }
}
