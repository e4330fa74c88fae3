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
    /// - Parameter block: `[rows, columns]` float32 or float64 whose first row sits at a multiple of
    ///   ``chunkRows`` in the whole matrix (only the last block of a matrix may end mid-chunk).
    public static func chunks(of block: Tensor) -> [ColumnMoments] {
        precondition(block.rank == 2 && (block.dtype == .float32 || block.dtype == .float64),
                     "[ColumnMoments] needs a float32 or float64 [rows, columns] block, got \(block.dtype) \(block.shape)")
        let rows = block.shape[0], columns = block.shape[1]
        let chunkCount = (rows + chunkRows - 1) / chunkRows
        var result = [ColumnMoments?](repeating: nil, count: chunkCount)
        func run<T: BinaryFloatingPoint>(_: T.Type) {
            block.withUnsafeElements(as: T.self) { values in
                result.withUnsafeMutableBufferPointer { out in
                    let out = UncheckedSendable(out)
                    parallelFor(chunkCount) { i in
                        let start = i * chunkRows, end = Swift.min(rows, start + chunkRows)
                        out.value[i] = reduce(UnsafeBufferPointer(rebasing: values[start * columns..<end * columns]),
                                              rows: end - start, columns: columns)
                    }
                }
            }
        }
        if block.dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return result.map { $0! }
    }

    /// One chunk, in row order: sums, then squared deviations about the chunk mean, min and max.
    static func reduce<T: BinaryFloatingPoint>(_ v: UnsafeBufferPointer<T>, rows: Int, columns: Int) -> ColumnMoments {
        var sum = [Double](repeating: 0, count: columns)
        var m2 = [Double](repeating: 0, count: columns)
        var lo = [Double](repeating: .infinity, count: columns)
        var hi = [Double](repeating: -.infinity, count: columns)
        var nan = [Bool](repeating: false, count: columns)
        sum.withUnsafeMutableBufferPointer { s in
            for r in 0..<rows {
                let row = r * columns
                for c in 0..<columns { s[c] += Double(v[row + c]) }
            }
        }
        let mean = sum.map { $0 / Double(rows) }
        mean.withUnsafeBufferPointer { mu in
            m2.withUnsafeMutableBufferPointer { q in
                lo.withUnsafeMutableBufferPointer { lo in
                    hi.withUnsafeMutableBufferPointer { hi in
                        for r in 0..<rows {
                            let row = r * columns
                            for c in 0..<columns {
                                let x = Double(v[row + c])
                                let d = x - mu[c]
                                q[c] += d * d
                                lo[c] = Swift.min(lo[c], x)
                                hi[c] = Swift.max(hi[c], x)
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<columns where mean[c].isNaN { nan[c] = true }
        return ColumnMoments(count: rows, mean: mean, m2: m2,
                             min: zip(lo, nan).map { $1 ? .nan : $0 }, max: zip(hi, nan).map { $1 ? .nan : $0 })
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
