import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The passes of `tessera profile` over a matrix read in row blocks: column statistics (for z-scores and
/// a mean reference), the reference, one fused distance pass, then the summary and outliers from the
/// distances. A matrix in memory is one block; a `.npy` file larger than memory is read block by block;
/// a sharded run (``ProfileShards``) runs the same passes over row ranges on several machines. Every
/// statistic is computed so that all three give the same bits (see ``ColumnMoments``).
struct ProfilePipeline {
    let source: any RowSource
    /// The selected columns of the source, nil for all.
    let columnIndices: [Int]?
    let channels: [String]
    let rowNames: [String]?
    /// The input's format, as the summary names it.
    let format: String
    let options: ProfileOptions
    let file: String?

    /// Half the physical memory.
    static var defaultBudget: Int {
        Int(sysconf(Int32(_SC_PHYS_PAGES))) &* Int(sysconf(Int32(_SC_PAGESIZE))) / 2
    }

    var rows: Int { source.rows }
    var columns: Int { channels.count }

    /// Whether every row is in memory as one block (k-means and in-memory selection need that).
    var holdsAllRows: Bool { source.isInMemory && blockRows >= rows }

    /// The dtype of the distances: float64 for float64 data, else float32 (the dtype blocks are
    /// prepared in).
    var distanceDType: DType { source.dtype == .float64 ? .float64 : .float32 }

    /// - Throws: `.invalidArgument` for a matrix without rows or columns.
    func checkNotEmpty() throws(TesseraError) {
        guard rows > 0, source.columns > 0 else {
            throw TesseraError(.invalidArgument, "expected a non-empty [rows, channels] matrix, found shape [\(rows), \(source.columns)]", location: file)
        }
    }

    /// Rows per block: the option, the whole matrix when it is in memory, else what fits a quarter of
    /// the budget (whole chunks, so statistics do not depend on it).
    var blockRows: Int {
        if let b = options.blockRows { return b }
        if source.isInMemory { return max(rows, 1) }
        let budget = options.memoryBudget ?? Self.defaultBudget
        let fit = min(budget / 4, Self.streamingBlockBytes) / max(1, columns * 8) / ColumnMoments.chunkRows * ColumnMoments.chunkRows
        return max(ColumnMoments.chunkRows, fit)
    }

    /// The size of a block read from a file: small enough that every block reuses the memory of the
    /// one before (a fresh page costs more to fault in than to fill from the page cache), large enough
    /// that each read keeps the cores busy.
    static let streamingBlockBytes = 32 << 20

    /// Whether a `.npy` that fits in memory is still best read in blocks: when nothing needs all rows
    /// at once (k-means, a median reference, a reversed orientation), the passes over blocks cost less
    /// than loading the file whole.
    static func streams(_ options: ProfileOptions) -> Bool {
        if options.kMeans != nil || options.orientation != .rowsAreSamples { return false }
        if options.referenceSource == nil, case .median = options.reference { return false }
        return true
    }

    /// Calls `body` for each block of rows in `range` (whose start is a multiple of ``blockRows``'s
    /// chunk), prepared by `prepare`, reporting `label` progress.
    func forEachBlock(_ range: Range<Int>, label: String, progress: ((String, Double) -> Void)?,
                      prepare: (Tensor) -> Tensor, _ body: (Int, Tensor) throws(TesseraError) -> Void) throws(TesseraError) {
        var start = range.lowerBound
        let step = blockRows
        while start < range.upperBound {
            let end = min(range.upperBound, start + step)
            progress?(label, Double(start - range.lowerBound) / Double(max(1, range.count)))
            var block = try source.read(rows: start..<end)
            if let columnIndices { block = block.indexSelect(axis: 1, indices: Tensor(columnIndices)) }
            if !block.dtype.isFloatingPoint || block.dtype == .float16 || block.dtype == .bfloat16 {
                block = block.astype(.float32)
            }
            try body(start, prepare(block.to(options.device)).eval())
            start = end
        }
        progress?(label, 1)
    }

    // MARK: - Statistics passes

    /// The statistics the transform needs (column mean and std for z-scores), from the raw columns.
    struct TransformStatistics: Sendable, Codable, Equatable {
        var mean: [Double]
        var std: [Double]
    }

    /// Column moments of `range`: of the raw columns (`transformed: false`), or after the transform
    /// with `stats`.
    func moments(_ range: Range<Int>, transformed: Bool, stats: TransformStatistics?,
                 progress: ((String, Double) -> Void)?) throws(TesseraError) -> ColumnMoments.Chunks {
        var chunks = ColumnMoments.Chunks()
        try forEachBlock(range, label: transformed ? "reference" : "column statistics", progress: progress,
                         prepare: { transformed ? self.transform($0, stats) : $0 }) { (_, block) throws(TesseraError) in
            // The transformed columns give the mean reference: their spread is not needed.
            chunks.add(ColumnMoments.chunks(of: block, spread: !transformed))
        }
        return chunks
    }

    /// The transform of a raw block.
    func transform(_ x: Tensor, _ stats: TransformStatistics?) -> Tensor {
        switch options.transform {
        case .zScore:
            let s = stats!
            return ProfileTransform.standardize(x, mean: Tensor(shape: [s.mean.count], scalars: s.mean, dtype: x.dtype, device: x.device),
                                                std: Tensor(shape: [s.std.count], scalars: s.std, dtype: x.dtype, device: x.device))
        default:
            return options.transform.apply(x)
        }
    }

    static func transformStatistics(_ raw: ColumnMoments) -> TransformStatistics {
        TransformStatistics(mean: raw.mean, std: raw.variance.map { $0.squareRoot() })
    }

    /// The z-score statistics of the whole matrix, when the transform needs them.
    func transformStatistics(progress: ((String, Double) -> Void)?) throws(TesseraError) -> TransformStatistics? {
        guard options.transform == .zScore else { return nil }
        return Self.transformStatistics(try moments(0..<rows, transformed: false, stats: nil, progress: progress).total)
    }

    // MARK: - Reference

    /// The reference: one profile, or several named ones.
    enum Reference {
        case one(name: String, values: [Double])
        case several(names: [String], profiles: [[Double]])
    }

    /// Resolves the reference for the whole matrix.
    func reference(_ stats: TransformStatistics?, progress: ((String, Double) -> Void)?) throws(TesseraError) -> Reference {
        if let given = try givenReference(stats) { return given }
        switch options.reference {
        case .mean:
            return .one(name: "mean", values: try moments(0..<rows, transformed: true, stats: stats, progress: progress).total.mean)
        case .median:
            return .one(name: "median", values: try medians(stats, progress: progress))
        default:
            fatalError("givenReference resolves every other reference")
        }
    }

    /// The references that need no pass over all rows (a row, values, a sample, a file); nil for mean
    /// and median.
    func givenReference(_ stats: TransformStatistics?) throws(TesseraError) -> Reference? {
        if let source = options.referenceSource {
            switch source {
            case .sample(let name):
                guard let rowNames else {
                    throw TesseraError(.invalidArgument, "--reference sample:\(name): the file has no row names", location: file)
                }
                guard let r = rowNames.firstIndex(of: name) else {
                    let shown = rowNames.prefix(8).joined(separator: ", ") + (rowNames.count > 8 ? ", …" : "")
                    throw TesseraError(.invalidArgument, "--reference sample:\(name): no such row (rows: \(shown))", location: file)
                }
                return .one(name: "sample \(name)", values: try row(r, stats))
            case .file(let path):
                return try profileFile(path, stats)
            }
        }
        switch options.reference {
        case .row(let r):
            guard r < rows else {
                throw TesseraError(.invalidArgument, "--reference row:\(r) is out of range for \(rows) rows", location: file)
            }
            return .one(name: "row \(r)", values: try row(r, stats))
        case .vector(let v):
            guard v.count == columns else {
                throw TesseraError(.invalidArgument, "--reference values: has \(v.count) values for \(columns) channels", location: file)
            }
            return .one(name: "values", values: v)
        case .mean, .median:
            return nil
        }
    }

    /// Row `r`, selected and transformed.
    func row(_ r: Int, _ stats: TransformStatistics?) throws(TesseraError) -> [Double] {
        var values: [Double] = []
        try forEachBlock(r..<r + 1, label: "reference", progress: nil, prepare: { self.transform($0, stats) }) { (_, x) throws(TesseraError) in
            values = x.toArray()
        }
        return values
    }

    /// Profiles from a file: a CSV/TSV with channel names in its header and a profile per row (named by
    /// its first column), or a `.npy` `[channels]` / `[profiles, channels]`. Values are in the data's
    /// own units; they go through the same transform as the cells.
    func profileFile(_ path: String, _ stats: TransformStatistics?) throws(TesseraError) -> Reference {
        let matrix: Tensor
        var names: [String]
        if path.lowercased().hasSuffix(".npy") {
            var t = try Tensor.load(npy: path)
            if t.rank == 1 { t = t.reshape([1, t.count]) }
            guard t.rank == 2, t.shape[1] == columns else {
                throw TesseraError(.invalidArgument, "profile file has shape \(t.shape), expected [\(columns)] or [profiles, \(columns)]", location: path)
            }
            matrix = t.astype(.float64)
            names = (0..<t.shape[0]).map { "profile \($0)" }
        } else {
            let m = try LabeledMatrix.read(path)
            names = m.rowNames ?? (0..<m.rows).map { "profile \($0)" }
            if let header = m.columnNames, Set(channels).isSubset(of: Set(header)) {
                matrix = m.values.indexSelect(axis: 1, indices: Tensor(channels.map { header.firstIndex(of: $0)! })).astype(.float64)
            } else if m.columns == columns {
                matrix = m.values.astype(.float64)
            } else {
                let missing = channels.filter { !(m.columnNames ?? []).contains($0) }.prefix(5).joined(separator: ", ")
                throw TesseraError(.invalidArgument, "profile file lacks channels \(missing) (it has \(m.columns) columns for \(columns) channels)", location: path)
            }
        }
        guard matrix.shape[0] > 0 else { throw TesseraError(.invalidArgument, "profile file holds no profile", location: path) }
        let transformed = transform(matrix, stats)
        let profiles = (0..<matrix.shape[0]).map { transformed[$0].toArray() }
        if profiles.count == 1 { return .one(name: names[0], values: profiles[0]) }
        return .several(names: names, profiles: profiles)
    }

    /// The exact median of every (transformed) column: by selection in memory, or by counting passes
    /// (``StreamingSelection``) over the blocks.
    func medians(_ stats: TransformStatistics?, progress: ((String, Double) -> Void)?) throws(TesseraError) -> [Double] {
        let plan = PercentilePlan(count: rows, percents: [50])
        if holdsAllRows {
            var result = [Double](repeating: .nan, count: columns)
            try forEachBlock(0..<rows, label: "reference", progress: progress, prepare: { self.transform($0, stats) }) { (_, x) throws(TesseraError) in
                // Channels-major, then one channel per task: each selects in its own contiguous copy.
                let channels = x.T.contiguous().eval()
                func select<T: BinaryFloatingPoint>(_: T.Type) {
                    channels.withUnsafeElements(as: T.self) { all in
                        result.withUnsafeMutableBufferPointer { out in
                            let out = UncheckedSendable(out), all = UncheckedSendable(all), n = rows
                            parallelFor(columns) { c in
                                var values = Array(all.value[c * n..<(c + 1) * n])
                                out.value[c] = values.contains { $0.isNaN } ? .nan : exactPercentiles(&values, [50])[0]
                            }
                        }
                    }
                }
                if channels.dtype == .float64 { select(Double.self) } else { select(Float.self) }
            }
            return result
        }
        // A column holding NaN has a NaN median: the counting passes note it and count 0 in its place.
        var nanColumns = Set<Int>()
        let ranks = plan.ranks
        let found = try StreamingSelection.orderStatistics(series: columns, ranks: Array(repeating: ranks, count: columns)) { visit throws(TesseraError) in
            try forEachBlock(0..<rows, label: "median", progress: progress, prepare: { self.transform($0, stats).astype(.float64) }) { (_, x) throws(TesseraError) in
                var values = x.toArray()
                for i in values.indices where values[i].isNaN {
                    nanColumns.insert(i % columns)
                    values[i] = 0
                }
                values.withUnsafeBufferPointer { visit($0, x.shape[0]) }
            }
        }
        return (0..<columns).map { c in
            nanColumns.contains(c) ? .nan : plan.percentiles { rank in found[c][ranks.firstIndex(of: rank)!] }[0]
        }
    }
}

extension ProfilePipeline {
    /// Opens `path`: in row blocks for a `.npy` (``blockSource(_:options:)``), otherwise loaded whole.
    ///
    /// - Throws: the reader's error, an unknown channel, or `.invalidArgument` for an empty matrix.
    init(path: String, options: ProfileOptions) throws(TesseraError) {
        let source: any RowSource, names: [String]?, labels: [String?]?, rowNames: [String]?, format: String
        if let blocks = try Self.blockSource(path, options: options) {
            (source, names, labels, rowNames, format) = (blocks, nil, nil, nil, "npy")
        } else {
            let input = try ProfileInput.load(path, dataset: options.dataset, orientation: options.orientation)
            (source, names, labels, rowNames, format) = (TensorRows(input.values), input.channelNames, input.channelLabels,
                                                         input.rowNames, input.format)
        }
        var channels = ProfileInput.displayNames(names, labels, columns: source.columns)
        var indices: [Int]?
        if let wanted = options.channels {
            let chosen = try ProfileInput.channelIndices(wanted, names: names, labels: labels, columns: source.columns, file: path)
            channels = chosen.map { channels[$0] }
            if chosen != Array(0..<source.columns) { indices = chosen }
        }
        self.init(source: source, columnIndices: indices, channels: channels, rowNames: rowNames, format: format,
                  options: options, file: path)
        try checkNotEmpty()
    }

    /// A `.npy` read in row blocks: when its data is larger than the memory budget, when
    /// `options.blockRows` asks for blocks, or when blocks cost less (``streams(_:)``); nil to load the
    /// file whole.
    static func blockSource(_ path: String, options: ProfileOptions) throws(TesseraError) -> NPYRows? {
        guard path.lowercased().hasSuffix(".npy") else { return nil }
        let rows = try NPYRows(path)
        let budget = options.memoryBudget ?? defaultBudget
        guard options.blockRows != nil || rows.rows * rows.rowBytes > budget || streams(options) else { return nil }
        guard options.orientation == .rowsAreSamples else {
            throw TesseraError(.unsupported, "--orientation features-by-samples needs the matrix in memory; it is read in row blocks (\(rows.rows) rows × \(rows.columns) columns)", location: path)
        }
        return rows
    }
}
