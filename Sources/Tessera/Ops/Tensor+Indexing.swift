/// Indexing by tensors: `gather`, `indexSelect` and `maskedSelect`. Each gradient scatter-adds the
/// output gradient back into zeros of the input's shape (a kernel whose own gradient is the gather again).
extension Tensor {
    /// Elements picked along `axis` by an integer tensor, as PyTorch's `torch.gather`.
    ///
    /// For a 2-d input and `axis: 1`, `out[i][j] = self[i][index[i][j]]`. `index` has the input's rank
    /// and is at most as large outside `axis`; the result has `index`'s shape. Negative indices count
    /// from the end of the axis; others out of range trap when the kernel runs.
    ///
    /// ```swift
    /// let x = Tensor([[1, 2, 3], [4, 5, 6]])
    /// x.gather(axis: 1, index: Tensor([[2, 0], [1, 1]]))   // [[3, 1], [5, 5]]
    /// ```
    ///
    /// - Parameters:
    ///   - axis: The axis the indices run along (negative counts from the end).
    ///   - index: An int64 (or int32) tensor of positions along `axis`.
    /// - Returns: A tensor of `index`'s shape and `self`'s dtype.
    ///
    /// ### See Also
    /// - ``indexSelect(axis:indices:)``
    /// - ``takeAlong(axis:indices:)``
    public func gather(axis: Int, index: Tensor) -> Tensor {
        check(index.dtype.isInteger, "[gather] index must be an integer tensor, got \(index.dtype)")
        if rank == 0 {
            check(index.rank == 0 && (axis == 0 || axis == -1),
                         "[gather] a 0-d input needs a 0-d index and axis 0, got index shape \(index.shape), axis \(axis)")
            return reshape([1]).gather(axis: 0, index: index.reshape([1])).reshape([])
        }
        let a = Shape.normalize(axis: axis, rank: rank, op: "gather")
        check(index.rank == rank,
                     "[gather] index shape \(index.shape) must have the rank of input shape \(shape)")
        check((0..<rank).allSatisfy { $0 == a || index.shape[$0] <= shape[$0] },
                     "[gather] index shape \(index.shape) is larger than input shape \(shape) outside axis \(a)")
        let idx = index.astype(.int64)
        let xShape = shape, dtype = self.dtype
        let op = CustomOp("gather", forward: { inputs, out in
            GatherPlan(input: xShape, index: inputs[1].shape, axis: a, op: "gather")
                .gather(inputs[0], index: inputs[1].pointer(Int64.self), into: out, dtype: dtype)
        }, vjp: { g, inputs, _ in
            [g.scatterAdd(axis: a, index: inputs[1], shape: inputs[0].shape), nil]
        })
        return Tensor.custom(op, [self, idx], shape: index.shape, dtype: dtype)
    }

    /// NumPy's name for ``gather(axis:index:)``: `np.take_along_axis(x, indices, axis)`.
    ///
    /// ```swift
    /// let i = x.argsort(axis: 1)
    /// x.takeAlong(axis: 1, indices: i)   // x sorted along axis 1
    /// ```
    ///
    /// ### See Also
    /// - ``gather(axis:index:)``
    public func takeAlong(axis: Int, indices: Tensor) -> Tensor { gather(axis: axis, index: indices) }

    /// `self` (the gradient of a gather) added into zeros of `shape` at the positions `index` names.
    func scatterAdd(axis a: Int, index: Tensor, shape: [Int]) -> Tensor {
        let dtype = self.dtype
        let op = CustomOp("gather_backward", forward: { inputs, out in
            GatherPlan(input: shape, index: inputs[1].shape, axis: a, op: "gather")
                .scatterAdd(inputs[0], index: inputs[1].pointer(Int64.self), into: out, dtype: dtype)
        }, vjp: { g, inputs, _ in
            [g.gather(axis: a, index: inputs[1]), nil]
        })
        return Tensor.custom(op, [self, index], shape: shape, dtype: dtype)
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
    /// - ``gather(axis:index:)``
    public func indexSelect(axis: Int, indices: Tensor) -> Tensor {
        check(indices.dtype.isInteger, "[indexSelect] indices must be an integer tensor, got \(indices.dtype)")
        check(indices.rank <= 1, "[indexSelect] indices must be 1-d, got shape \(indices.shape)")
        check(rank >= 1, "[indexSelect] needs a tensor of rank 1 or more, got shape \(shape)")
        let a = Shape.normalize(axis: axis, rank: rank, op: "indexSelect")
        let idx = indices.astype(.int64).reshape([indices.count])
        var outShape = shape
        outShape[a] = idx.count
        let xShape = shape, dtype = self.dtype
        let op = CustomOp("index_select", forward: { inputs, out in
            let (outer, n, inner) = axisSplit(xShape, a)
            let m = inputs[1].shape[0]
            let index = inputs[1].pointer(Int64.self)
            let positions = (0..<m).map { resolveIndex(index[$0], size: n, axis: a, op: "indexSelect") }
            let bytes = inner * dtype.byteSize, src = inputs[0].base
            let dst = SendablePointer(out.assumingMemoryBound(to: UInt8.self))
            parallelRanges(outer * m, grain: Swift.max(1, 32_768 / Swift.max(bytes, 1))) { rows in
                for row in rows {
                    let (o, j) = row.quotientAndRemainder(dividingBy: m)
                    (dst.base + row * bytes).update(from: src.assumingMemoryBound(to: UInt8.self) + (o * n + positions[j]) * bytes,
                                                    count: bytes)
                }
            }
        }, vjp: { g, inputs, _ in
            [g.indexAdd(axis: a, indices: inputs[1], shape: inputs[0].shape), nil]
        })
        return Tensor.custom(op, [self, idx], shape: outShape, dtype: dtype)
    }

    /// `self` (the gradient of an index selection) added into zeros of `shape` at slices `indices`.
    func indexAdd(axis a: Int, indices: Tensor, shape: [Int]) -> Tensor {
        let dtype = self.dtype
        let op = CustomOp("index_select_backward", forward: { inputs, out in
            let (outer, n, inner) = axisSplit(shape, a)
            let m = inputs[1].shape[0]
            let index = inputs[1].pointer(Int64.self)
            let positions = (0..<m).map { resolveIndex(index[$0], size: n, axis: a, op: "indexSelect") }
            func run<S: StorageElement>(_: S.Type) {
                let src = inputs[0].pointer(S.self)
                let dst = SendablePointer(out.bindMemory(to: S.self, capacity: outer * n * inner))
                parallelRanges(outer, grain: Swift.max(1, 16_384 / Swift.max(m * inner, 1))) { range in
                    for o in range {
                        let d = dst.base + o * n * inner
                        for i in 0..<(n * inner) { d[i] = S(double: 0) }
                        for j in 0..<m {
                            let s = src + (o * m + j) * inner, t = d + positions[j] * inner
                            for i in 0..<inner { t[i] = S(double: t[i].double + s[i].double) }
                        }
                    }
                }
            }
            run(dtype.storageType)
        }, vjp: { g, inputs, _ in
            [g.indexSelect(axis: a, indices: inputs[1]), nil]
        })
        return Tensor.custom(op, [self, indices], shape: shape, dtype: dtype)
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
    /// - ``Tensor/where(_:_:_:)``
    public func maskedSelect(_ mask: Tensor) -> Tensor {
        let common = Shape.broadcast([shape, mask.shape], op: "maskedSelect")
        let m = mask.astype(.bool).broadcast(to: common).contiguous().detach()
        let selected = m.scalars(as: Bool.self).reduce(0) { $0 + ($1 ? 1 : 0) }
        return broadcast(to: common).selecting(mask: m, count: selected)
    }

    /// The elements at the true positions of the realized bool mask `m` (same shape), `count` of them.
    private func selecting(mask m: Tensor, count: Int) -> Tensor {
        let dtype = self.dtype
        let op = CustomOp("masked_select", forward: { inputs, out in
            let flags = inputs[1].pointer(UInt8.self), total = Shape.count(inputs[1].shape)
            let size = dtype.byteSize
            let src = inputs[0].base.assumingMemoryBound(to: UInt8.self)
            let dst = out.assumingMemoryBound(to: UInt8.self)
            var k = 0
            for i in 0..<total where flags[i] != 0 {
                (dst + k * size).update(from: src + i * size, count: size)
                k += 1
            }
        }, vjp: { g, inputs, _ in
            [g.maskedScatter(mask: inputs[1], count: count), nil]
        })
        return Tensor.custom(op, [self, m], shape: [count], dtype: dtype)
    }

    /// The 1-d `self` placed at the true positions of the bool mask `m`, zeros elsewhere.
    private func maskedScatter(mask m: Tensor, count: Int) -> Tensor {
        let dtype = self.dtype
        let op = CustomOp("masked_select_backward", forward: { inputs, out in
            let flags = inputs[1].pointer(UInt8.self), total = Shape.count(inputs[1].shape)
            func run<S: StorageElement>(_: S.Type) {
                let src = inputs[0].pointer(S.self), dst = out.bindMemory(to: S.self, capacity: total)
                var k = 0
                for i in 0..<total {
                    if flags[i] != 0 {
                        dst[i] = src[k]
                        k += 1
                    } else {
                        dst[i] = S(double: 0)
                    }
                }
            }
            run(dtype.storageType)
        }, vjp: { g, inputs, _ in
            [g.selecting(mask: inputs[1], count: count), nil]
        })
        return Tensor.custom(op, [self, m], shape: m.shape, dtype: dtype)
    }
}

/// A dense shape seen as `[outer, size, inner]` around `axis`.
func axisSplit(_ shape: [Int], _ axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
}

/// A possibly negative index into an axis of `size`, trapping with the op's name when out of range.
@inline(__always)
func resolveIndex(_ i: Int64, size: Int, axis: Int, op: String) -> Int {
    let j = i < 0 ? Int(i) + size : Int(i)
    check(j >= 0 && j < size, "[\(op)] index \(i) is out of range for axis \(axis) of size \(size)")
    return j
}

/// Where `gather` reads: the index tensor's shape split around the axis, and for each outer and inner
/// position of the index, the matching offset into the (dense, possibly larger) input.
struct GatherPlan {
    let outer: Int, m: Int, inner: Int
    let size: Int, stride: Int, axis: Int, op: String, inputCount: Int
    let outerOffsets: [Int], innerOffsets: [Int]

    init(input: [Int], index: [Int], axis: Int, op: String) {
        let strides = Shape.contiguousStrides(input)
        (outer, m, inner) = axisSplit(index, axis)
        size = input[axis]
        stride = strides[axis]
        self.axis = axis
        self.op = op
        inputCount = Shape.count(input)
        outerOffsets = GatherPlan.offsets(Array(index[..<axis]), Array(strides[..<axis]))
        innerOffsets = GatherPlan.offsets(Array(index[(axis + 1)...]), Array(strides[(axis + 1)...]))
    }

    /// Σ coordinate · stride for every position of `shape` in row-major order.
    static func offsets(_ shape: [Int], _ strides: [Int]) -> [Int] {
        var result = [0]
        for (n, s) in zip(shape, strides) {
            result = result.flatMap { base in (0..<n).map { base + $0 * s } }
        }
        return result
    }

    func gather(_ x: KernelArgument, index: UnsafeMutablePointer<Int64>, into out: UnsafeMutableRawPointer, dtype: DType) {
        func run<S: StorageElement>(_: S.Type) {
            let src = x.pointer(S.self)
            let dst = SendablePointer(out.bindMemory(to: S.self, capacity: outer * m * inner))
            let idx = SendablePointer(index)
            parallelRanges(outer * m, grain: Swift.max(1, 16_384 / Swift.max(inner, 1))) { rows in
                for row in rows {
                    let base = outerOffsets[row / m]
                    for i in 0..<inner {
                        let k = resolveIndex(idx.base[row * inner + i], size: size, axis: axis, op: op)
                        dst.base[row * inner + i] = src[base + k * stride + innerOffsets[i]]
                    }
                }
            }
        }
        run(dtype.storageType)
    }

    /// Adds `g` (the index's shape) into zeros of the input's shape; outer slices are disjoint, so they
    /// run in parallel.
    func scatterAdd(_ g: KernelArgument, index: UnsafeMutablePointer<Int64>, into out: UnsafeMutableRawPointer,
                    dtype: DType) {
        func run<S: StorageElement>(_: S.Type) {
            let src = g.pointer(S.self)
            let dst = SendablePointer(out.bindMemory(to: S.self, capacity: inputCount))
            for i in 0..<inputCount { dst.base[i] = S(double: 0) }
            let idx = SendablePointer(index)
            parallelRanges(outer, grain: Swift.max(1, 16_384 / Swift.max(m * inner, 1))) { range in
                for o in range {
                    let base = outerOffsets[o]
                    for j in 0..<m {
                        let row = o * m + j
                        for i in 0..<inner {
                            let k = resolveIndex(idx.base[row * inner + i], size: size, axis: axis, op: op)
                            let p = dst.base + base + k * stride + innerOffsets[i]
                            p.pointee = S(double: p.pointee.double + src[row * inner + i].double)
                        }
                    }
                }
            }
        }
        run(dtype.storageType)
    }
}
