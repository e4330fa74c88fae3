/// Views: new shapes over the same elements, without copying (a reshape of a non-contiguous tensor
/// copies when it must, as PyTorch's `reshape` does).
extension Tensor {
    /// The same elements in row-major order with a new shape; one dimension may be -1 (inferred).
    ///
    /// ```swift
    /// Tensor.arange(6).reshape([2, -1]).shape   // [2, 3]
    /// ```
    public func reshape(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        check(inferred.count <= 1, "[reshape] only one dimension can be -1, got \(newShape)")
        check(newShape.allSatisfy { $0 >= -1 }, "[reshape] negative dimension in \(newShape)")
        if let i = inferred.first {
            let known = newShape.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            check(known > 0 && count % known == 0, "[reshape] cannot reshape \(shape) into \(newShape)")
            resolved[i] = count / known
        }
        check(Shape.count(resolved) == count, "[reshape] cannot reshape \(shape) (\(count) elements) into \(newShape)")
        return resolved == shape ? self : view(.reshape(resolved))
    }

    /// All elements as one dimension.
    public func flatten() -> Tensor { reshape([count]) }

    /// Without the size-1 dimension `axis`, or without every size-1 dimension when nil.
    ///
    /// - Precondition: dimension `axis` has size 1 (NumPy raises otherwise; PyTorch silently keeps it).
    public func squeeze(axis: Int? = nil) -> Tensor {
        guard let axis else { return reshape(shape.filter { $0 != 1 }) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "squeeze")
        check(shape[a] == 1, "[squeeze] axis \(axis) has size \(shape[a]), not 1 (shape \(shape))")
        var s = shape
        s.remove(at: a)
        return reshape(s)
    }

    /// With a new size-1 dimension at `axis` (which may be `rank`, or negative).
    public func unsqueeze(axis: Int) -> Tensor {
        let a = Shape.normalize(axis: axis, rank: rank + 1, op: "unsqueeze")
        var s = shape
        s.insert(1, at: a)
        return reshape(s)
    }

    /// Dimensions reordered: dimension `i` of the result is dimension `order[i]` of `self`.
    public func permute(_ order: [Int]) -> Tensor {
        let normalized = order.map { Shape.normalize(axis: $0, rank: rank, op: "permute") }
        check(normalized.sorted() == Array(0..<rank), "[permute] \(order) is not a permutation of \(rank) axes")
        return normalized == Array(0..<rank) ? self : view(.permute(normalized))
    }

    /// Two dimensions swapped (the last two by default: the matrix transpose).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        guard rank >= 2 else { return self }
        var order = Array(0..<rank)
        order.swapAt(Shape.normalize(axis: a, rank: rank, op: "transpose"), Shape.normalize(axis: b, rank: rank, op: "transpose"))
        return permute(order)
    }

    /// Every axis reversed, as NumPy's and PyTorch's `x.T` (for a matrix, its transpose).
    ///
    /// ### See Also
    /// - ``mT``
    public var T: Tensor { rank < 2 ? self : permute(Array((0..<rank).reversed())) }

    /// The last two axes swapped: the transpose of each matrix in a batch (PyTorch's `x.mT`).
    ///
    /// - Precondition: the tensor has at least two dimensions.
    public var mT: Tensor {
        check(rank >= 2, "[mT] needs a tensor of rank 2 or more, got shape \(shape)")
        return transposed()
    }

    /// The elements in reverse order along `axis` (every axis when nil), as NumPy's `flip`: a view with
    /// a negative stride, no copy.
    ///
    /// ```swift
    /// Tensor([[1, 2], [3, 4]]).flip(axis: 1)   // [[2, 1], [4, 3]]
    /// ```
    public func flip(axis: Int? = nil) -> Tensor { flip(axes: axis.map { [$0] } ?? Array(0..<rank)) }

    /// The elements in reverse order along each of `axes`.
    public func flip(axes: [Int]) -> Tensor {
        let reversed = Set(Shape.normalize(axes: axes, rank: rank, op: "flip"))
        guard !reversed.isEmpty, count > 0 else { return self }
        return view(.slice(shape.indices.map { a in
            reversed.contains(a) ? AxisSlice(start: shape[a] - 1, step: -1, count: shape[a]) : AxisSlice(start: 0, step: 1, count: shape[a])
        }))
    }

    /// The tensor broadcast to `shape` (size-1 and missing leading dimensions repeat; no copy).
    public func broadcast(to newShape: [Int]) -> Tensor {
        guard newShape != shape else { return self }
        check(Shape.broadcast(shape, newShape) == newShape, "[broadcast] shape \(shape) cannot be broadcast to \(newShape)")
        return view(.expand(newShape))
    }

    /// The same values laid out densely in row-major order (a copy only when needed).
    ///
    /// Whether a copy is needed is known without computing anything: a view's layout follows from its
    /// input's, and every computed tensor is dense.
    public func contiguous() -> Tensor { node.plannedLayout.isContiguous ? self : contiguousCopy() }

    /// A dense copy, computed by a kernel that reads `self` once.
    func contiguousCopy() -> Tensor { Tensor.make(.cast, [self], shape: shape, dtype: dtype) }

    /// Elements of `self` at `slice` positions scattered into a zero tensor of `shape` (the gradient
    /// of slicing).
    func scatteredIntoZeros(shape: [Int], slice: [AxisSlice]) -> Tensor {
        Tensor.custom(SliceScatter(name: "slice_backward", slices: slice, fill: 0), [self], shape: shape, dtype: dtype)
    }
}

/// The input placed at `slices` of an output filled with `fill`: constant padding, and the gradient of
/// slicing (a fill of zeros).
struct SliceScatter: KernelOp {
    let name: String
    /// Where the input goes: one slice per axis of the output.
    let slices: [AxisSlice]
    /// The value everywhere else, converted to the dtype.
    let fill: Double

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] { [g.view(.slice(slices))] }
}
