import Tessera

/// Count, mean, sum of squared deviations, minimum and maximum of each column, in float64, computed so
/// that the result depends only on the data — not on thread count, block size or how rows are split
/// over machines.
///
/// Rows are cut into fixed chunks of ``chunkRows`` at absolute row numbers; each chunk is reduced in
/// row order (two passes, so the squared deviations are taken about the chunk's own mean), and chunks
/// are combined left to right with Chan et al.'s pairwise update. A run over the whole matrix, a run in
/// row blocks and a sharded run whose shards start at multiples of ``chunkRows`` therefore produce the
/// same bits.
///
/// ```swift
/// var m = ColumnMoments.Chunks()
/// m.add(try ColumnMoments.chunks(of: block))   // blocks in row order
/// let total = m.total                          // .mean, .variance
/// ```
public struct ColumnMoments: Sendable, Equatable, Codable {
    /// Rows per chunk; blocks and shards start at multiples of it.
    public static let chunkRows = 65_536

    /// Rows counted.
    public var count: Int
    /// Column means; NaN for a column holding NaN.
    public var mean: [Double]
    /// Σ (x − mean)² per column.
    public var m2: [Double]
    /// Column minimums (NaN when the column holds NaN, as NumPy).
    public var min: [Double]
    /// Column maximums (NaN when the column holds NaN).
    public var max: [Double]

    /// The population variance of each column (`ddof = 0`).
    public var variance: [Double] { m2.map { $0 / Double(count) } }

    /// Merges `other` (rows after this one's) into this one.
    public mutating func combine(_ other: ColumnMoments) {
        precondition(mean.count == other.mean.count, "[ColumnMoments] \(mean.count) vs \(other.mean.count) columns")
        let n = count + other.count
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let a = Double(count), b = Double(other.count), total = Double(n)
        for c in mean.indices {
            let delta = other.mean[c] - mean[c]
            mean[c] += delta * (b / total)
            m2[c] += other.m2[c] + delta * delta * (a * b / total)
            min[c] = Self.extreme(min[c], other.min[c], <)
            max[c] = Self.extreme(max[c], other.max[c], >)
        }
        count = n
    }

    /// NaN wins; otherwise the value `better` prefers.
    private static func extreme(_ x: Double, _ y: Double, _ better: (Double, Double) -> Bool) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        return better(y, x) ? y : x
    }

    /// The moments of each ``chunkRows`` chunk of `block`, in order; chunks are reduced in parallel.
    ///
    /// - Parameters:
    ///   - block: `[rows, columns]` float32 or float64 whose first row sits at a multiple of
    ///     ``chunkRows`` in the whole matrix (only the last block of a matrix may end mid-chunk).
    ///   - spread: Also compute ``m2``, ``min`` and ``max`` (a second pass over each chunk); without it
    ///     they are NaN and only ``count`` and ``mean`` hold.
    public static func chunks(of block: Tensor, spread: Bool = true) -> [ColumnMoments] {
        precondition(block.rank == 2 && (block.dtype == .float32 || block.dtype == .float64),
                     "[ColumnMoments] needs a float32 or float64 [rows, columns] block, got \(block.dtype) \(block.shape)")
        let rows = block.shape[0], columns = block.shape[1]
        let chunkCount = (rows + chunkRows - 1) / chunkRows
        var result = [ColumnMoments?](repeating: nil, count: chunkCount)
        func run<T: BinaryFloatingPoint & SIMDScalar>(_: T.Type) {
            block.withUnsafeElements(as: T.self) { values in
                result.withUnsafeMutableBufferPointer { out in
                    let out = UncheckedSendable(out)
                    parallelFor(chunkCount) { i in
                        let start = i * chunkRows, end = Swift.min(rows, start + chunkRows)
                        out.value[i] = reduce(UnsafeBufferPointer(rebasing: values[start * columns..<end * columns]),
                                              rows: end - start, columns: columns, spread: spread)
                    }
                }
            }
        }
        if block.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return result.map { $0! }
    }

    /// One chunk, in row order: sums, then (with `spread`) squared deviations about the chunk mean, min
    /// and max.
    ///
    /// Columns go eight at a time in SIMD registers (each lane still adds its column's rows in order,
    /// so the bits are those of a scalar loop); the rest one at a time.
    static func reduce<T: BinaryFloatingPoint & SIMDScalar>(_ v: UnsafeBufferPointer<T>, rows: Int, columns: Int,
                                                             spread: Bool) -> ColumnMoments {
        if columns == 1 { return reduceColumn(v, spread: spread) }
        let groups = columns / 8, rest = groups * 8..<columns
        let base = UnsafeRawPointer(v.baseAddress!)
        let stride = MemoryLayout<T>.stride
        @inline(__always) func load(_ row: Int, _ g: Int) -> SIMD8<Double> {
            SIMD8<Double>(base.loadUnaligned(fromByteOffset: (row * columns + g * 8) * stride, as: SIMD8<T>.self))
        }
        // Rows in tiles that stay in L1 while each group of eight columns runs over them.
        let tile = 256
        var s = [SIMD8<Double>](repeating: SIMD8(), count: groups)
        var sum = [Double](repeating: 0, count: columns)
        for start in Swift.stride(from: 0, to: rows, by: tile) {
            let end = Swift.min(rows, start + tile)
            for g in 0..<groups {
                var acc = s[g]
                for r in start..<end { acc += load(r, g) }
                s[g] = acc
            }
        }
        for g in 0..<groups { for i in 0..<8 { sum[g * 8 + i] = s[g][i] } }
        for c in rest { for r in 0..<rows { sum[c] += Double(v[r * columns + c]) } }
        let mean = sum.map { $0 / Double(rows) }
        guard spread else {
            let nan = [Double](repeating: .nan, count: columns)
            return ColumnMoments(count: rows, mean: mean, m2: nan, min: nan, max: nan)
        }
        var m2 = [Double](repeating: 0, count: columns)
        var lo = [Double](repeating: .infinity, count: columns)
        var hi = [Double](repeating: -.infinity, count: columns)
        var q = [SIMD8<Double>](repeating: SIMD8(), count: groups)
        var low = [SIMD8<Double>](repeating: SIMD8(repeating: .infinity), count: groups)
        var high = [SIMD8<Double>](repeating: SIMD8(repeating: -.infinity), count: groups)
        let means = (0..<groups).map { g in SIMD8<Double>(mean[g * 8..<g * 8 + 8]) }
        for start in Swift.stride(from: 0, to: rows, by: tile) {
            let end = Swift.min(rows, start + tile)
            for g in 0..<groups {
                var (qa, la, ha, mu) = (q[g], low[g], high[g], means[g])
                for r in start..<end {
                    let x = load(r, g)
                    let d = x - mu
                    qa += d * d
                    la = la.replacing(with: x, where: x .< la)
                    ha = ha.replacing(with: x, where: x .> ha)
                }
                (q[g], low[g], high[g]) = (qa, la, ha)
            }
        }
        for g in 0..<groups {
            for i in 0..<8 { (m2[g * 8 + i], lo[g * 8 + i], hi[g * 8 + i]) = (q[g][i], low[g][i], high[g][i]) }
        }
        for c in rest {
            for r in 0..<rows {
                let x = Double(v[r * columns + c])
                m2[c] += (x - mean[c]) * (x - mean[c])
                if x < lo[c] { lo[c] = x }
                if x > hi[c] { hi[c] = x }
            }
        }
        return ColumnMoments(count: rows, mean: mean, m2: m2,
                             min: zip(lo, mean).map { $1.isNaN ? .nan : $0 }, max: zip(hi, mean).map { $1.isNaN ? .nan : $0 })
    }

    /// One chunk of a single column: eight rows at a time in SIMD lanes (row `r` in lane `r % 8`), the
    /// lanes then added in a fixed order, so the bits depend on the chunk alone.
    static func reduceColumn<T: BinaryFloatingPoint & SIMDScalar>(_ v: UnsafeBufferPointer<T>, spread: Bool) -> ColumnMoments {
        let rows = v.count, whole = rows / 8 * 8
        let base = UnsafeRawPointer(v.baseAddress!)
        @inline(__always) func load(_ r: Int) -> SIMD8<Double> {
            SIMD8<Double>(base.loadUnaligned(fromByteOffset: r * MemoryLayout<T>.stride, as: SIMD8<T>.self))
        }
        var lanes = SIMD8<Double>()
        for r in Swift.stride(from: 0, to: whole, by: 8) { lanes += load(r) }
        var sum = 0.0
        for i in 0..<8 { sum += lanes[i] }
        for r in whole..<rows { sum += Double(v[r]) }
        let mean = sum / Double(rows)
        guard spread else { return ColumnMoments(count: rows, mean: [mean], m2: [.nan], min: [.nan], max: [.nan]) }
        var q = SIMD8<Double>(), low = SIMD8<Double>(repeating: .infinity), high = SIMD8<Double>(repeating: -.infinity)
        let mu = SIMD8<Double>(repeating: mean)
        for r in Swift.stride(from: 0, to: whole, by: 8) {
            let x = load(r)
            let d = x - mu
            q += d * d
            low = low.replacing(with: x, where: x .< low)
            high = high.replacing(with: x, where: x .> high)
        }
        var m2 = 0.0, lo = Double.infinity, hi = -Double.infinity
        for i in 0..<8 {
            m2 += q[i]
            lo = Swift.min(lo, low[i])
            hi = Swift.max(hi, high[i])
        }
        for r in whole..<rows {
            let x = Double(v[r])
            m2 += (x - mean) * (x - mean)
            if x < lo { lo = x }
            if x > hi { hi = x }
        }
        return ColumnMoments(count: rows, mean: [mean], m2: [m2], min: [mean.isNaN ? .nan : lo], max: [mean.isNaN ? .nan : hi])
    }

    /// The chunks of a whole matrix (or of a run of blocks), kept in row order so they combine the same
    /// way however they were produced.
    public struct Chunks: Sendable, Equatable, Codable {
        /// Every chunk so far, in row order.
        public var chunks: [ColumnMoments] = []

        public init() {}

        /// Appends the chunks of the next rows.
        public mutating func add(_ next: [ColumnMoments]) { chunks += next }

        /// All chunks combined, left to right.
        public var total: ColumnMoments {
            precondition(!chunks.isEmpty, "[ColumnMoments] no rows")
            var t = chunks[0]
            for c in chunks.dropFirst() { t.combine(c) }
            return t
        }
    }
}

/// A value handed to parallel workers that write disjoint parts of it.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
