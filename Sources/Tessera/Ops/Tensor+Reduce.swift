/// Reductions. Every one takes the same arguments: `axis:` (one axis; nil, the default, reduces all of
/// them), or `axes:` (several), and `keepDims:` (keep the reduced axes with size 1 — for a reduction of
/// every axis too, as NumPy's `keepdims`).
///
/// A reduction fuses with the elementwise ops before and after it: `((x - r) ** 2).sum(axis: 1).sqrt()`
/// reads `x` once and writes one value per row.
extension Tensor {
    func reduce(_ op: ReduceOp, axes: [Int]?, keepDims: Bool) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, op: op.rawValue)
        if op.isArg || op == .max || op == .min {
            check(axes.allSatisfy { shape[$0] > 0 }, "[\(op.rawValue)] cannot reduce an empty axis of shape \(shape)")
        }
        let widens = (op == .sum || op == .prod) && !dtype.isFloatingPoint
        let input = widens ? astype(.int64) : self
        let dtype: DType = op.isArg ? .int64 : input.dtype
        return Tensor.make(.reduce(op, axes: axes), [input], shape: reducedShape(axes, keepDims: keepDims), dtype: dtype)
    }

    /// The shape after reducing the (normalized) `axes`.
    func reducedShape(_ axes: [Int], keepDims: Bool) -> [Int] {
        shape.indices.compactMap { axes.contains($0) ? (keepDims ? 1 : nil) : shape[$0] }
    }

    /// The sum over `axis` (every axis when nil). Integers and bools sum as int64.
    ///
    /// ```swift
    /// Tensor([[1, 2], [3, 4]]).sum(axis: 0)   // [4, 6]
    /// ```
    public func sum(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.sum, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The sum over several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.sum, axes: axes, keepDims: keepDims) }

    /// The product over `axis` (every axis when nil). Integers and bools multiply as int64.
    ///
    /// The gradient at zeros is PyTorch's: an element's gradient is the product of the others, so a
    /// single zero gets the product of the rest and two zeros give zero gradients.
    public func prod(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.prod, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The product over several axes.
    public func prod(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.prod, axes: axes, keepDims: keepDims) }

    /// The largest element over `axis` (every axis when nil); NaN propagates. The gradient is split
    /// evenly among tied maxima (PyTorch's `amax`).
    public func max(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.max, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The largest element over several axes.
    public func max(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.max, axes: axes, keepDims: keepDims) }

    /// The smallest element over `axis` (every axis when nil); NaN propagates. The gradient is split
    /// evenly among tied minima (PyTorch's `amin`).
    public func min(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.min, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The smallest element over several axes.
    public func min(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.min, axes: axes, keepDims: keepDims) }

    /// The index of the first largest element along `axis`, as int64; with no axis, the index into the
    /// flattened tensor (with `keepDims`, shaped `[1, 1, …]`). NaN counts as the largest.
    ///
    /// ```swift
    /// Tensor([[1, 7], [9, 2]]).argmax(axis: 1)   // [1, 0]
    /// ```
    public func argmax(axis: Int? = nil, keepDims: Bool = false) -> Tensor { argReduce(.argmax, axis: axis, keepDims: keepDims) }

    /// The index of the first smallest element along `axis`, as int64; with no axis, the index into the
    /// flattened tensor (with `keepDims`, shaped `[1, 1, …]`).
    public func argmin(axis: Int? = nil, keepDims: Bool = false) -> Tensor { argReduce(.argmin, axis: axis, keepDims: keepDims) }

    private func argReduce(_ op: ReduceOp, axis: Int?, keepDims: Bool) -> Tensor {
        if let axis { return reduce(op, axes: [axis], keepDims: keepDims) }
        let flat = flatten().reduce(op, axes: [0], keepDims: false)
        return keepDims ? flat.reshape([Int](repeating: 1, count: rank)) : flat
    }
}
