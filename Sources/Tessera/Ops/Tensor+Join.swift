/// Joining and cutting: `concat`, `stack`, `split` and constant `pad`. Gradients are slices of the
/// output gradient (for `concat` and `pad`) or views of it.
extension Tensor {
    /// The tensors joined along an existing axis (NumPy's `concatenate`, PyTorch's `cat`).
    ///
    /// Shapes must agree outside `axis`; dtypes promote as in arithmetic.
    ///
    /// ```swift
    /// let a = Tensor([[1, 2]]), b = Tensor([[3, 4], [5, 6]])
    /// Tensor.concat([a, b], axis: 0)   // [[1, 2], [3, 4], [5, 6]]
    /// ```
    ///
    /// - Parameters:
    ///   - tensors: One or more tensors of rank 1 or more.
    ///   - axis: The axis to join along (negative counts from the end).
    /// - Returns: A tensor whose `axis` is the sum of the inputs' sizes there.
    ///
    /// ### See Also
    /// - ``stack(_:axis:)``
    /// - ``split(sizes:axis:)``
    public static func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "[concat] needs at least one tensor")
        let first = tensors[0]
        check(first.rank > 0, "[concat] zero-dimensional tensors cannot be concatenated")
        let a = Shape.normalize(axis: axis, rank: first.rank, op: "concat")
        for t in tensors.dropFirst() {
            let matches = t.rank == first.rank && (0..<t.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] }
            check(matches, "[concat] shapes \(first.shape) and \(t.shape) differ outside axis \(a)")
        }
        let dtype = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
        let inputs = tensors.map { $0.astype(dtype) }
        if inputs.count == 1 { return inputs[0] }
        let sizes = inputs.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = sizes.reduce(0, +)
        return Tensor.custom(Concat(axis: a, sizes: sizes), inputs, shape: outShape, dtype: dtype)
    }

    /// The tensors, all of one shape, joined along a new axis (NumPy's and PyTorch's `stack`).
    ///
    /// ```swift
    /// let a = Tensor([1, 2]), b = Tensor([3, 4])
    /// Tensor.stack([a, b], axis: 1)   // [[1, 3], [2, 4]]
    /// ```
    ///
    /// - Parameters:
    ///   - tensors: One or more tensors of the same shape.
    ///   - axis: Where the new axis goes in the result (`0...rank`, or negative).
    /// - Returns: A tensor of rank one more than the inputs'.
    ///
    /// ### See Also
    /// - ``concat(_:axis:)``
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        check(!tensors.isEmpty, "[stack] needs at least one tensor")
        let first = tensors[0]
        for t in tensors.dropFirst() {
            check(t.shape == first.shape, "[stack] shapes \(first.shape) and \(t.shape) must be equal")
        }
        let a = Shape.normalize(axis: axis, rank: first.rank + 1, op: "stack")
        return concat(tensors.map { $0.unsqueeze(axis: a) }, axis: a)
    }

    /// Views of consecutive pieces of `axis` with the given sizes (PyTorch's `split` with a list).
    ///
    /// No data is copied.
    ///
    /// ```swift
    /// let parts = Tensor.arange(5).split(sizes: [2, 3])   // [0, 1] and [2, 3, 4]
    /// ```
    ///
    /// - Parameters:
    ///   - sizes: Non-negative sizes that add up to the length of `axis`.
    ///   - axis: The axis to cut (negative counts from the end).
    /// - Returns: One view per size.
    ///
    /// ### See Also
    /// - ``split(count:axis:)``
    /// - ``concat(_:axis:)``
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        check(rank > 0, "[split] cannot split a zero-dimensional tensor")
        let a = Shape.normalize(axis: axis, rank: rank, op: "split")
        check(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
                     "[split] sizes \(sizes) must be non-negative and add up to \(shape[a]), axis \(a) of shape \(shape)")
        var start = 0
        return sizes.map { n in
            var slices = shape.map { AxisSlice(start: 0, step: 1, count: $0) }
            slices[a] = AxisSlice(start: start, step: 1, count: n)
            start += n
            return sizes.count == 1 ? self : view(.slice(slices))
        }
    }

    /// `count` views of nearly equal length along `axis` (NumPy's `array_split`): the first
    /// `length % count` pieces are one longer.
    ///
    /// ```swift
    /// Tensor.arange(7).split(count: 3)   // [0, 1, 2], [3, 4], [5, 6]
    /// ```
    ///
    /// - Parameters:
    ///   - count: The number of pieces (at least 1).
    ///   - axis: The axis to cut (negative counts from the end).
    /// - Returns: `count` views.
    ///
    /// ### See Also
    /// - ``split(sizes:axis:)``
    public func split(count: Int, axis: Int = 0) -> [Tensor] {
        check(count >= 1, "[split] count must be at least 1, got \(count)")
        check(rank > 0, "[split] cannot split a zero-dimensional tensor")
        let n = shape[Shape.normalize(axis: axis, rank: rank, op: "split")]
        return split(sizes: (0..<count).map { n / count + ($0 < n % count ? 1 : 0) }, axis: axis)
    }

    /// The tensor with `value` added before and after each axis (NumPy's `pad` in constant mode).
    ///
    /// ```swift
    /// Tensor([[1, 2]]).pad([(1, 0), (0, 2)])   // [[0, 0, 0, 0], [1, 2, 0, 0]]
    /// ```
    ///
    /// - Parameters:
    ///   - widths: For each axis, how many elements to add before and after (non-negative).
    ///   - value: The fill value, converted to the tensor's dtype.
    /// - Returns: A tensor with axis `i` longer by `widths[i].0 + widths[i].1`.
    ///
    /// ### See Also
    /// - ``concat(_:axis:)``
    public func pad(_ widths: [(Int, Int)], value: Double = 0) -> Tensor {
        check(widths.count == rank, "[pad] needs one (before, after) pair per axis of shape \(shape), got \(widths.count)")
        check(widths.allSatisfy { $0.0 >= 0 && $0.1 >= 0 }, "[pad] widths \(widths) must be non-negative")
        if widths.allSatisfy({ $0 == (0, 0) }) { return self }
        let outShape = zip(shape, widths).map { $0 + $1.0 + $1.1 }
        let slices = zip(shape, widths).map { AxisSlice(start: $1.0, step: 1, count: $0) }
        return Tensor.custom(SliceScatter(name: "pad", slices: slices, fill: value), [self], shape: outShape, dtype: dtype)
    }
}

/// The inputs joined along `axis`, where input `i` is `sizes[i]` long.
struct Concat: KernelOp {
    let axis: Int
    let sizes: [Int]
    var name: String { "concat" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        var start = 0
        return sizes.map { n in
            var slices = output.shape.map { AxisSlice(start: 0, step: 1, count: $0) }
            slices[axis] = AxisSlice(start: start, step: 1, count: n)
            start += n
            return g.view(.slice(slices))
        }
    }
}
