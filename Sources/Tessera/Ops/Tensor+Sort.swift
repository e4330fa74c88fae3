/// Order statistics along an axis: `sorted`, `argsort`, `topk`, `cumsum`, `quantile`, `percentile`.
///
/// One kernel sorts (`argsort`, stable, NaN as the largest value); values come from a ``gather(axis:index:)``
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
        if rank == 0 { return Tensor.constant(0, shape: [], dtype: .int64) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "argsort")
        let dtype = self.dtype
        let op = CustomOp("argsort", forward: { inputs, out in
            RowSort.argsort(inputs[0], dtype: dtype, axis: a, descending: descending,
                            into: out.bindMemory(to: Int64.self, capacity: inputs[0].layout.shape.reduce(1, *)))
        })
        // Indices carry no gradient; building the node without grad keeps it out of backward passes.
        return withoutGrad { Tensor.custom(op, [self], shape: shape, dtype: .int64) }
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
        return gather(axis: a, index: argsort(axis: a, descending: descending))
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
        return (gather(axis: a, index: indices), indices)
    }

    /// Running sums along `axis` (of the flattened tensor when nil), as NumPy's `cumsum`.
    ///
    /// Integers and bools sum as int64; floats keep their dtype.
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).cumsum(axis: 1)   // [[1, 3, 6], [4, 9, 15]]
    /// ```
    ///
    /// - Parameter axis: The axis to accumulate along (negative counts from the end), or nil.
    /// - Returns: A tensor of `self`'s shape (1-d when `axis` is nil).
    ///
    /// ### See Also
    /// - ``sum(axis:keepDims:)``
    public func cumsum(axis: Int? = nil) -> Tensor {
        guard let axis else { return reshape([count]).cumsum(axis: 0) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "cumsum")
        return (dtype.isFloatingPoint ? self : astype(.int64)).scan(axis: a, reverse: false)
    }

    /// Running sums along `axis`, from the end when `reverse` (the gradient of the other direction).
    private func scan(axis a: Int, reverse: Bool) -> Tensor {
        let dtype = self.dtype
        let op = CustomOp(reverse ? "cumsum_reverse" : "cumsum", forward: { inputs, out in
            let (outer, n, inner) = axisSplit(inputs[0].shape, a)
            func run<S: StorageElement>(_: S.Type) {
                let src = inputs[0].pointer(S.self)
                let dst = SendablePointer(out.bindMemory(to: S.self, capacity: outer * n * inner))
                let isFloat = S.dtype.isFloatingPoint
                parallelRanges(outer, grain: Swift.max(1, 32_768 / Swift.max(n * inner, 1))) { range in
                    for o in range {
                        let s = src + o * n * inner, d = dst.base + o * n * inner
                        for step in 0..<n {
                            let j = reverse ? n - 1 - step : step, prev = reverse ? j + 1 : j - 1
                            for i in 0..<inner {
                                let x = s[j * inner + i]
                                if step == 0 {
                                    d[j * inner + i] = x
                                } else if isFloat {
                                    d[j * inner + i] = S(double: d[prev * inner + i].double + x.double)
                                } else {
                                    d[j * inner + i] = S(int64: d[prev * inner + i].int64 &+ x.int64)
                                }
                            }
                        }
                    }
                }
            }
            run(dtype.storageType)
        }, vjp: { g, _, _ in [g.scan(axis: a, reverse: !reverse)] })
        return Tensor.custom(op, [self], shape: shape, dtype: dtype)
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
    /// - ``quantile(_:axis:keepDims:)-(Array<Double>,_,_)``
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
        let lo = stats.indexSelect(axis: a, indices: Tensor(below.map { ranks.firstIndex(of: $0)! }))
        let hi = stats.indexSelect(axis: a, indices: Tensor(above.map { ranks.firstIndex(of: $0)! }))
        var gShape = [Int](repeating: 1, count: x.rank)
        gShape[a] = q.count
        let t = Tensor(shape: gShape, scalars: gamma, dtype: x.dtype)
        let upper = Tensor(shape: gShape, scalars: gamma.map { $0 >= 0.5 }, dtype: .bool)
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
    private func orderStatistics(axis a: Int, ranks: [Int]) -> Tensor {
        var outShape = shape
        outShape[a] = ranks.count
        let dtype = self.dtype, n = shape[a]
        let op = CustomOp("quantile_select", forward: { inputs, out in
            switch dtype {
            case .float16: LaneSelection.run(inputs[0], axis: a, ranks: ranks, into: out, Float16.self, as: Float.self)
            case .bfloat16: LaneSelection.run(inputs[0], axis: a, ranks: ranks, into: out, BFloat16.self, as: Float.self)
            case .float32: LaneSelection.run(inputs[0], axis: a, ranks: ranks, into: out, Float.self, as: Float.self)
            case .float64: LaneSelection.run(inputs[0], axis: a, ranks: ranks, into: out, Double.self, as: Double.self)
            default: fatalError("[quantile] selection needs a floating-point tensor, got \(dtype)")
            }
        }, vjp: { g, inputs, out in
            let order = inputs[0].argsort(axis: a)
            let index = Tensor.where(out.isnan(), order.indexSelect(axis: a, indices: Tensor([n - 1])),
                                     order.indexSelect(axis: a, indices: Tensor(ranks)))
            return [g.scatterAdd(axis: a, index: index, shape: inputs[0].shape)]
        })
        return Tensor.custom(op, [self], shape: outShape, dtype: dtype)
    }
}

/// Order statistics of every lane (1-d slice) along one axis of a dense buffer, for `quantile`.
///
/// Lanes are copied into per-worker scratch in the selection type `E` (float32 for the 16-bit floats,
/// exact); ``OrderStatistics`` selects the ranks of each lane free of NaN. When lanes are strided
/// (`inner > 1`), neighbouring lanes are copied together, a cache line of each row at a time.
enum LaneSelection {
    static func run<S: StorageElement, E: BinaryFloatingPoint>(
        _ x: KernelArgument, axis: Int, ranks: [Int], into out: UnsafeMutableRawPointer, _: S.Type, as _: E.Type
    ) {
        let (outer, n, inner) = axisSplit(x.shape, axis)
        let m = ranks.count, src = x.pointer(S.self)
        let dst = SendablePointer(out.bindMemory(to: S.self, capacity: outer * m * inner))
        let width = Swift.max(1, Swift.min(64 / MemoryLayout<S>.stride, inner, (outer * inner + cpuThreadCount - 1) / cpuThreadCount))
        let groups = (inner + width - 1) / width
        parallelRanges(outer * groups, grain: Swift.max(1, 65_536 / Swift.max(n * width, 1))) { items in
            let scratch = UnsafeMutablePointer<E>.allocate(capacity: n * width)
            let values = UnsafeMutablePointer<E>.allocate(capacity: m)
            let pending = UnsafeMutablePointer<OrderStatistics.PendingRange>.allocate(capacity: m)
            defer { scratch.deallocate(); values.deallocate(); pending.deallocate() }
            ranks.withUnsafeBufferPointer { sortedRanks in
                for item in items {
                    let (o, group) = item.quotientAndRemainder(dividingBy: groups)
                    let first = group * width, lanes = Swift.min(width, inner - first)
                    let s = src + o * n * inner + first, d = dst.base + o * m * inner + first
                    for j in 0..<n {
                        for l in 0..<lanes { scratch[l * n + j] = E(s[j * inner + l].double) }
                    }
                    for l in 0..<lanes {
                        let lane = s + l, result = d + l
                        let buffer = UnsafeMutableBufferPointer(start: scratch + l * n, count: n)
                        if buffer.reduce(0, { $0 | ($1.isNaN ? 1 : 0) }) != 0 {
                            let lastNaN = lane[(0..<n).last { lane[$0 * inner].double.isNaN }! * inner]
                            for r in 0..<m { result[r * inner] = lastNaN }
                            continue
                        }
                        OrderStatistics.select(buffer, sortedRanks: sortedRanks, into: values, pending: pending)
                        for r in 0..<m {
                            result[r * inner] = values[r] == 0
                                ? zero(atRank: sortedRanks[r], lane, stride: inner, count: n, selected: buffer)
                                : S(double: Double(values[r]))
                        }
                    }
                }
            }
        }
    }

    /// The zero a stable sort puts at `rank` (−0 and +0 compare equal, so they keep their index order):
    /// the `(rank − negatives)`-th zero of the lane.
    private static func zero<S: StorageElement, E: BinaryFloatingPoint>(
        atRank rank: Int, _ lane: UnsafeMutablePointer<S>, stride: Int, count n: Int,
        selected: UnsafeMutableBufferPointer<E>
    ) -> S {
        var skip = rank - selected.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        for j in 0..<n where lane[j * stride].float == 0 {
            if skip == 0 { return lane[j * stride] }
            skip -= 1
        }
        fatalError("[quantile] no zero at rank \(rank)")
    }
}

/// The stable sort of every row along one axis of a dense buffer.
///
/// Keys map each value to an unsigned integer in the same order (NaN the largest, −0 = +0), so rows of
/// 32-bit-or-narrower types sort as one array of `key << 32 | index` words: plain integer sorting that
/// is stable by construction. 64-bit types sort (key, index) pairs.
enum RowSort {
    static func argsort(_ x: KernelArgument, dtype: DType, axis: Int, descending: Bool,
                        into out: UnsafeMutablePointer<Int64>) {
        func run<S: StorageElement>(_: S.Type) {
            let (outer, n, inner) = axisSplit(x.shape, axis)
            let src = x.pointer(S.self), dst = SendablePointer(out)
            let wide = S.dtype.byteSize == 8 || n > Int(UInt32.max)
            let isFloat = S.dtype.isFloatingPoint
            parallelRanges(outer * inner, grain: Swift.max(1, 65_536 / Swift.max(n, 1))) { rows in
                var words = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
                var pairs: [(key: UInt64, index: Int)] = wide ? Array(repeating: (0, 0), count: n) : []
                defer { words.deallocate() }
                for row in rows {
                    let (o, i) = row.quotientAndRemainder(dividingBy: inner)
                    let s = src + o * n * inner + i, d = dst.base + o * n * inner + i
                    if wide {
                        for j in 0..<n {
                            let k = isFloat ? key64(s[j * inner].double) : UInt64(bitPattern: s[j * inner].int64) ^ (1 << 63)
                            pairs[j] = (descending ? ~k : k, j)
                        }
                        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
                        for j in 0..<n { d[j * inner] = Int64(pairs[j].index) }
                    } else {
                        for j in 0..<n {
                            let k = isFloat ? key32(s[j * inner].float)
                                : UInt32(bitPattern: Int32(truncatingIfNeeded: s[j * inner].int64)) ^ (1 << 31)
                            words[j] = UInt64(descending ? ~k : k) << 32 | UInt64(j)
                        }
                        words.sort()
                        for j in 0..<n { d[j * inner] = Int64(words[j] & 0xFFFF_FFFF) }
                    }
                }
            }
        }
        run(dtype.storageType)
    }

    /// An order-preserving unsigned key for a float: NaN last, −0 equal to +0.
    @inline(__always)
    static func key32(_ f: Float) -> UInt32 {
        if f.isNaN { return .max }
        let bits = (f == 0 ? 0 : f).bitPattern
        return bits & (1 << 31) != 0 ? ~bits : bits | (1 << 31)
    }

    @inline(__always)
    static func key64(_ f: Double) -> UInt64 {
        if f.isNaN { return .max }
        let bits = (f == 0 ? 0 : f).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }
}
