// The CPU kernels of argsort and the quantile selection.

extension Argsort: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        RowSort.argsort(inputs[0], dtype: inputs[0].dtype, axis: axis, descending: descending,
                        into: output.pointer(Int64.self))
    }
}

extension OrderStatisticsSelect: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (x, out) = (inputs[0], output.base)
        switch x.dtype {
        case .float16: LaneSelection.run(x, axis: axis, ranks: ranks, into: out, Float16.self, as: Float.self)
        case .bfloat16: LaneSelection.run(x, axis: axis, ranks: ranks, into: out, BFloat16.self, as: Float.self)
        case .float32: LaneSelection.run(x, axis: axis, ranks: ranks, into: out, Float.self, as: Float.self)
        default: LaneSelection.run(x, axis: axis, ranks: ranks, into: out, Double.self, as: Double.self)
        }
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
