import FoundationEssentials
import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tessera profile` split over machines: each stage runs on every shard of rows (a SLURM job array),
/// and a merge reads what the shards wrote and finishes the run — with the same bits as one machine,
/// because shards start at multiples of ``ColumnMoments/chunkRows`` and every statistic is combined
/// chunk by chunk in row order.
///
/// Stages, each needing the ones before: ``ProfileStage/statistics`` (column moments, for z-scores),
/// ``ProfileStage/reference`` (column means after the transform, for a mean reference),
/// ``ProfileStage/distances`` (distances and their moments); then ``merge(path:options:shards:workDirectory:progress:)``.
public enum ProfileShards {
    /// The stages a run with `options` needs, in order.
    ///
    /// - Throws: `.unsupported` for what cannot be sharded: k-means and a median reference (both need
    ///   every row at once).
    public static func stages(for options: ProfileOptions) throws(TesseraError) -> [ProfileStage] {
        if options.kMeans != nil {
            throw TesseraError(.unsupported, "--kmeans cannot be sharded (it needs every row at once); run it without --shards")
        }
        if options.referenceSource == nil, case .median = options.reference {
            throw TesseraError(.unsupported, "--reference median cannot be sharded (an exact median needs every row); use mean, row:N, values:…, sample:NAME or file:PATH")
        }
        var stages: [ProfileStage] = []
        if options.transform == .zScore { stages.append(.statistics) }
        if options.referenceSource == nil, case .mean = options.reference { stages.append(.reference) }
        return stages + [.distances]
    }

    /// The rows of shard `index` of `count`: whole chunks, the last shards possibly shorter or empty.
    public static func rows(shard index: Int, of count: Int, rows: Int) -> Range<Int> {
        let chunk = ColumnMoments.chunkRows
        let chunks = (rows + chunk - 1) / chunk
        let perShard = (chunks + count - 1) / count * chunk
        let start = min(rows, index * perShard)
        return start..<min(rows, start + perShard)
    }

    /// Runs `stage` on shard `index` of `count`, writing its results into `workDirectory`.
    ///
    /// - Returns: A one-object JSON summary of what was written (for `--json`).
    /// - Throws: the reader's errors, or `.invalidArgument` naming a missing earlier stage's file.
    public static func run(stage: ProfileStage, path: String, options: ProfileOptions, shard index: Int, of count: Int,
                           workDirectory: String, progress: ((String, Double) -> Void)? = nil) throws(TesseraError) -> String {
        guard count >= 1, index >= 0, index < count else {
            throw TesseraError(.invalidArgument, "--shard \(index) is not in 0…\(count - 1)")
        }
        let stages = try stages(for: options)
        guard stages.contains(stage) else {
            throw TesseraError(.invalidArgument, "--stage \(stage.rawValue) is not needed with these options (stages: \(stages.map(\.rawValue).joined(separator: ", ")))")
        }
        try makeDirectories(workDirectory)
        let pipeline = try ProfilePipeline(path: path, options: options)
        let range = rows(shard: index, of: count, rows: pipeline.rows)
        let prefix = "\(workDirectory)/\(stage.rawValue)-\(index)"
        switch stage {
        case .statistics, .reference:
            let stats = stage == .reference ? try transformStatistics(pipeline, count: count, workDirectory: workDirectory) : nil
            let chunks = try pipeline.moments(range, transformed: stage == .reference, stats: stats, progress: progress)
            try save(ShardMoments(rows: range, chunks: chunks, counts: []), to: prefix + ".json")
        case .distances:
            let stats = try transformStatistics(pipeline, count: count, workDirectory: workDirectory)
            let reference = try self.reference(pipeline, stats: stats, count: count, workDirectory: workDirectory)
            let pass = try pipeline.distancePass(range, reference: reference, stats: stats, outputPath: prefix + ".npy",
                                                 progress: progress)
            try pass.assignments?.save(npy: "\(workDirectory)/assignments-\(index).npy")
            try save(ShardMoments(rows: range, chunks: pass.moments, counts: pass.counts), to: prefix + ".json")
        }
        return "{\"stage\": \"\(stage.rawValue)\", \"shard\": \(index), \"shards\": \(count), \"rows\": [\(range.lowerBound), \(range.upperBound)], \"file\": \(jsonString(prefix + ".json"))}\n"
    }

    /// Reads every shard's distances and finishes the run: summary, exact percentiles, outliers.
    ///
    /// - Throws: `.invalidArgument` naming the shards whose results are missing.
    public static func merge(path: String, options: ProfileOptions, shards count: Int, workDirectory: String,
                             progress: ((String, Double) -> Void)? = nil) throws(TesseraError) -> ProfileRun {
        _ = try stages(for: options)
        let pipeline = try ProfilePipeline(path: path, options: options)
        let stats = try transformStatistics(pipeline, count: count, workDirectory: workDirectory)
        let reference = try self.reference(pipeline, stats: stats, count: count, workDirectory: workDirectory)
        let parts = try load(.distances, count: count, workDirectory: workDirectory)
        var moments = ColumnMoments.Chunks()
        var counts: [Int] = []
        for part in parts {
            moments.add(part.chunks.chunks)
            counts = counts.isEmpty ? part.counts : zip(counts, part.counts).map { $0 + $1 }
        }
        let distances = try concatenate((0..<count).map { "\(workDirectory)/distances-\($0).npy" }, rows: pipeline.rows,
                                        dtype: pipeline.distanceDType, pipeline: pipeline, what: "distances")
        var assignments: ColumnStore?
        if case .several = reference {
            assignments = try concatenate((0..<count).map { "\(workDirectory)/assignments-\($0).npy" }, rows: pipeline.rows,
                                          dtype: .int64, pipeline: pipeline, what: "profiles")
        }
        let pass = ProfilePipeline.DistancePass(distances: distances, assignments: assignments, moments: moments, counts: counts)
        return try pipeline.finish(pass, reference: reference, stats: stats, progress: progress)
    }

    // MARK: - Shard files

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(TesseraError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o777) != 0 && errno != EEXIST {
                throw TesseraError(.io, "cannot create directory: \(String(cString: strerror(errno)))", location: prefix)
            }
        }
    }

    /// What a statistics, reference or distances task records beside its arrays.
    struct ShardMoments: Codable {
        var rows: Range<Int>
        var chunks: ColumnMoments.Chunks
        var counts: [Int]
    }

    static func save(_ value: ShardMoments, to path: String) throws(TesseraError) {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value) else { throw TesseraError(.io, "cannot encode shard results", location: path) }
        try AtomicFile.write(Array(data), to: path)
    }

    /// Every shard's record of `stage`, in shard order, checked to cover the rows without gaps.
    static func load(_ stage: ProfileStage, count: Int, workDirectory: String) throws(TesseraError) -> [ShardMoments] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var parts: [ShardMoments] = []
        var missing: [Int] = []
        for i in 0..<count {
            let path = "\(workDirectory)/\(stage.rawValue)-\(i).json"
            guard let bytes = try? AtomicFile.read(path), let part = try? decoder.decode(ShardMoments.self, from: Data(bytes)) else {
                missing.append(i)
                continue
            }
            parts.append(part)
        }
        guard missing.isEmpty else {
            throw TesseraError(.invalidArgument, "the \(stage.rawValue) results of shard\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(count) are missing or unreadable", location: workDirectory)
        }
        for (a, b) in zip(parts, parts.dropFirst()) where a.rows.upperBound != b.rows.lowerBound {
            throw TesseraError(.invalidArgument, "\(stage.rawValue) shards do not line up (rows \(a.rows) then \(b.rows)); were they run with the same --shards?", location: workDirectory)
        }
        return parts
    }

    /// The z-score statistics from the statistics stage, when the transform needs them.
    static func transformStatistics(_ pipeline: ProfilePipeline, count: Int, workDirectory: String) throws(TesseraError) -> ProfilePipeline.TransformStatistics? {
        guard pipeline.options.transform == .zScore else { return nil }
        return ProfilePipeline.transformStatistics(try combined(.statistics, count: count, workDirectory: workDirectory).total)
    }

    /// The reference: given, or the mean from the reference stage.
    static func reference(_ pipeline: ProfilePipeline, stats: ProfilePipeline.TransformStatistics?, count: Int,
                          workDirectory: String) throws(TesseraError) -> ProfilePipeline.Reference {
        if let given = try pipeline.givenReference(stats) { return given }
        return .one(name: "mean", values: try combined(.reference, count: count, workDirectory: workDirectory).total.mean)
    }

    static func combined(_ stage: ProfileStage, count: Int, workDirectory: String) throws(TesseraError) -> ColumnMoments.Chunks {
        var all = ColumnMoments.Chunks()
        for part in try load(stage, count: count, workDirectory: workDirectory) { all.add(part.chunks.chunks) }
        return all
    }

    /// The shards' `.npy` files as one store: in memory when they fit the budget, else copied into one
    /// scratch file.
    static func concatenate(_ files: [String], rows: Int, dtype: DType, pipeline: ProfilePipeline,
                            what: String) throws(TesseraError) -> ColumnStore {
        let spill = rows * dtype.byteSize > (pipeline.options.memoryBudget ?? ProfilePipeline.defaultBudget) / 4
        let store = try ColumnStore(rows: rows, dtype: dtype, spillPath: spill ? pipeline.scratchPath(what) : nil)
        for file in files {
            let reader = try NPYRowReader(file)
            var start = 0
            while start < reader.rows {
                let end = min(reader.rows, start + (1 << 22))
                try store.append(try reader.read(rows: start..<end))
                start = end
            }
        }
        try store.finish()
        return store
    }
}

/// One stage of a sharded profile run.
public enum ProfileStage: String, Sendable, CaseIterable {
    /// Column moments of the raw values (z-score statistics).
    case statistics
    /// Column means after the transform (a mean reference).
    case reference
    /// Distances of each shard's rows, and their moments.
    case distances
}
