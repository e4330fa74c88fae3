/// Indexing by tensors: `gather`, `indexSelect` and `maskedSelect`. Each gradient scatter-adds the
/// output gradient back into zeros of the input's shape (a kernel whose own gradient is the gather again).
extension Tensor {
    /// Elements picked along `axis` by an integer tensor, as PyTorch's `torch.gather` (NumPy's
    /// `take_along_axis`).
    ///
    /// For a 2-d input and `axis: 1`, `out[i][j] = self[i][indices[i][j]]`. `indices` has the input's
    /// rank and is at most as large outside `axis`; the result has its shape. Negative indices count
    /// from the end of the axis; others out of range trap when the kernel runs.
    ///
    /// ```swift
    /// let x = Tensor([[1, 2, 3], [4, 5, 6]])
    /// x.gather(axis: 1, indices: Tensor([[2, 0], [1, 1]]))   // [[3, 1], [5, 5]]
    /// ```
    ///
    /// - Parameters:
    ///   - axis: The axis the indices run along (negative counts from the end).
    ///   - indices: An int64 (or int32) tensor of positions along `axis`.
    /// - Returns: A tensor of `indices`'s shape and `self`'s dtype.
    ///
    /// ### See Also
    /// - ``indexSelect(axis:indices:)``
    /// - ``takeAlong(axis:indices:)``
    public func gather(axis: Int, indices: Tensor) -> Tensor {
        check(indices.dtype.isInteger, "[gather] indices must be an integer tensor, got \(indices.dtype)")
        if rank == 0 {
            check(indices.rank == 0 && (axis == 0 || axis == -1),
                  "[gather] a 0-d input needs 0-d indices and axis 0, got indices of shape \(indices.shape), axis \(axis)")
            return reshape([1]).gather(axis: 0, indices: indices.reshape([1])).reshape([])
        }
        let a = Shape.normalize(axis: axis, rank: rank, op: "gather")
        check(indices.rank == rank, "[gather] indices of shape \(indices.shape) must have the rank of input shape \(shape)")
        check((0..<rank).allSatisfy { $0 == a || indices.shape[$0] <= shape[$0] },
              "[gather] indices of shape \(indices.shape) are larger than input shape \(shape) outside axis \(a)")
        return Tensor.custom(Gather(axis: a), [self, indices.astype(.int64)], shape: indices.shape, dtype: dtype)
    }

    /// NumPy's name for ``gather(axis:indices:)``: `np.take_along_axis(x, indices, axis)`.
    ///
    /// ```swift
    /// let i = x.argsort(axis: 1)
    /// x.takeAlong(axis: 1, indices: i)   // x sorted along axis 1
    /// ```
    ///
    /// ### See Also
    /// - ``gather(axis:indices:)``
    public func takeAlong(axis: Int, indices: Tensor) -> Tensor { gather(axis: axis, indices: indices) }

    /// `self` (the gradient of a gather) added into zeros of `shape` at the positions `index` names.
    func scatterAdd(axis a: Int, index: Tensor, shape: [Int]) -> Tensor {
        Tensor.custom(GatherBackward(axis: a), [self, index], shape: shape, dtype: dtype)
    }

    /// The slices at `indices` along `axis`, in that order, as PyTorch's `index_select` (NumPy's `take`).
    ///
    /// Indices may repeat and may be negative (counting from the end).
    ///
    /// ```swift
    /// let x = Tensor([[1, 2, 3], [4, 5, 6]])
    /// x.indexSelect(axis: 1, indices: Tensor([2, 0, 2]))   // [[3, 1, 3], [6, 4, 6]]
    /// ```
    ///
    /// - Parameters:
    ///   - axis: The axis to select along (negative counts from the end).
    ///   - indices: A 1-d (or 0-d) int64 or int32 tensor.
    /// - Returns: `self`'s shape with `axis` resized to `indices.count`.
    ///
    /// ### See Also
    /// - ``gather(axis:indices:)``
    public func indexSelect(axis: Int, indices: Tensor) -> Tensor {
        check(indices.dtype.isInteger, "[indexSelect] indices must be an integer tensor, got \(indices.dtype)")
        check(indices.rank <= 1, "[indexSelect] indices must be 1-d, got shape \(indices.shape)")
        check(rank >= 1, "[indexSelect] needs a tensor of rank 1 or more, got shape \(shape)")
        let a = Shape.normalize(axis: axis, rank: rank, op: "indexSelect")
        let idx = indices.astype(.int64).reshape([indices.count])
        var outShape = shape
        outShape[a] = idx.count
        return Tensor.custom(IndexSelect(axis: a), [self, idx], shape: outShape, dtype: dtype)
    }

    /// `self` (the gradient of an index selection) added into zeros of `shape` at slices `indices`.
    func indexAdd(axis a: Int, indices: Tensor, shape: [Int]) -> Tensor {
        Tensor.custom(IndexAdd(axis: a), [self, indices], shape: shape, dtype: dtype)
    }

    /// The elements where `mask` is true, in row-major order, as a 1-d tensor (NumPy's `x[mask]`).
    ///
    /// `mask` broadcasts against `self` (either may be the larger). The mask is computed at once,
    /// since the result's length depends on it.
    ///
    /// ```swift
    /// let x = Tensor([[1.0, -2], [3, -4]])
    /// x.maskedSelect(x .> 0)   // [1, 3]
    /// ```
    ///
    /// - Parameter mask: A tensor read as booleans (non-zero is true).
    /// - Returns: A 1-d tensor of `self`'s dtype.
    ///
    /// ### See Also
    /// - ``Tensor/where(_:_:_:)-(_,Tensor,Tensor)``
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        let common = Shape.broadcast([shape, mask.shape], op: "maskedSelect")
        let m = mask.astype(.bool).broadcast(to: common).contiguous().detach()
        let selected = m.scalars(as: Bool.self).reduce(0) { $0 + ($1 ? 1 : 0) }
        return broadcast(to: common).selecting(mask: m, count: selected)
    }

    /// The elements at the true positions of the bool mask `m` (same shape), `count` of them.
    fileprivate func selecting(mask m: Tensor, count: Int) -> Tensor {
        Tensor.custom(MaskedSelect(count: count), [self, m], shape: [count], dtype: dtype)
    }

    /// The 1-d `self` placed at the true positions of the bool mask `m`, zeros elsewhere.
    fileprivate func maskedScatter(mask m: Tensor, count: Int) -> Tensor {
        Tensor.custom(MaskedScatter(count: count), [self, m], shape: m.shape, dtype: dtype)
    }
}

/// `out[…, j, …] = x[…, index[…, j, …], …]` along `axis` (`torch.gather`).
struct Gather: KernelOp {
    let axis: Int
    var name: String { "gather" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [g.scatterAdd(axis: axis, index: inputs[1], shape: inputs[0].shape), nil]
    }
}

/// The gradient of ``Gather``: the input added into zeros of the output's shape at the indexed positions.
struct GatherBackward: KernelOp {
    let axis: Int
    var name: String { "gather_backward" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] { [g.gather(axis: axis, indices: inputs[1]), nil] }
}

/// The slices at a 1-d list of indices along `axis` (`torch.index_select`).
struct IndexSelect: KernelOp {
    let axis: Int
    var name: String { "index_select" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [g.indexAdd(axis: axis, indices: inputs[1], shape: inputs[0].shape), nil]
    }
}

/// The gradient of ``IndexSelect``: each slice of the input added into zeros at its index.
struct IndexAdd: KernelOp {
    let axis: Int
    var name: String { "index_select_backward" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [g.indexSelect(axis: axis, indices: inputs[1]), nil]
    }
}

/// The `count` elements at the true positions of a bool mask of the input's shape, in row-major order.
struct MaskedSelect: KernelOp {
    let count: Int
    var name: String { "masked_select" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [g.maskedScatter(mask: inputs[1], count: count), nil]
    }
}

/// The gradient of ``MaskedSelect``: the 1-d input at the mask's true positions, zeros elsewhere.
struct MaskedScatter: KernelOp {
    let count: Int
    var name: String { "masked_select_backward" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [g.selecting(mask: inputs[1], count: count), nil]
    }
}
