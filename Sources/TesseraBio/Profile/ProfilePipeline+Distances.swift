import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProfilePipeline {
    /// What the distance pass over a range of rows produces.
    struct DistancePass {
        var distances: ColumnStore
        /// The nearest profile of each row, when there are several.
        var assignments: ColumnStore?
        /// The moments of the distances, per chunk.
        var moments: ColumnMoments.Chunks
        /// Rows per profile, when there are several.
        var counts: [Int]
    }

    /// Whether `count` values of `dtype` must be kept on disk rather than in memory.
    func spills(_ count: Int, _ dtype: DType) -> Bool {
        !holdsAllRows && count * dtype.byteSize > (options.memoryBudget ?? Self.defaultBudget) / 4
    }

    /// A fresh scratch file name for values kept on disk.
    func scratchPath(_ what: String) -> String {
        let directory = options.scratchDirectory ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(directory)/tessera-\(what)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).npy"
    }

    /// Distances of the rows in `range` to the reference, one fused pass per block; kept in memory, or
    /// written to `outputPath` (a `.npy`) or a scratch file when they do not fit.
    func distancePass(_ range: Range<Int>, reference: Reference, stats: TransformStatistics?, outputPath: String? = nil,
                      progress: ((String, Double) -> Void)?) throws(TesseraError) -> DistancePass {
        let dtype = distanceDType
        let spill = outputPath != nil || spills(range.count, dtype)
        let store = try ColumnStore(rows: range.count, dtype: dtype, spillPath: spill ? (outputPath ?? scratchPath("distances")) : nil,
                                    removeWhenDone: outputPath == nil)
        var assignments: ColumnStore?
        var counts: [Int] = []
        if case .several(let names, _) = reference {
            counts = Array(repeating: 0, count: names.count)
            assignments = try ColumnStore(rows: range.count, dtype: .int64,
                                          spillPath: spills(range.count, .int64) ? scratchPath("profiles") : nil)
        }
        var moments = ColumnMoments.Chunks()
        try forEachBlock(range, label: "distances", progress: progress, prepare: { self.transform($0, stats) }) { (_, x) throws(TesseraError) in
            let d: Tensor
            switch reference {
            case .one(_, let values):
                d = options.metric.distances(x, to: Tensor(shape: [values.count], scalars: values, dtype: x.dtype, device: x.device)).eval()
            case .several(let names, let profiles):
                let set = ProfileSet(names: names, profiles: Tensor(shape: [profiles.count, columns], scalars: profiles.flatMap { $0 },
                                                                    dtype: x.dtype, device: x.device))
                let assigned = set.assign(x, metric: options.metric)
                d = assigned.distances
                for (i, c) in assigned.counts.enumerated() { counts[i] += c }
                try assignments!.append(assigned.indices)
            }
            try store.append(d)
            moments.add(ColumnMoments.chunks(of: d.reshape([d.count, 1])))
        }
        try store.finish()
        try assignments?.finish()
        return DistancePass(distances: store, assignments: assignments, moments: moments, counts: counts)
    }

    // MARK: - Summary

    /// Summary, percentiles and outliers of the distances of all rows.
    func summarize(_ distances: ColumnStore, moments: ColumnMoments.Chunks,
                   progress: ((String, Double) -> Void)?) throws(TesseraError) -> (DistanceSummary, ProfileOutliers?) {
        let m = moments.total
        let anyNaN = m.mean[0].isNaN
        var wanted = options.percents
        switch options.outliers {
        case .percentile(let p)?: wanted.append(p)
        case .mad?: wanted.append(50)
        case nil: break
        }
        let quantiles = anyNaN ? wanted.map { _ in Double.nan } : try percentiles(distances, wanted, progress: progress)
        var summary = DistanceSummary(count: m.count, mean: m.mean[0], std: m.variance[0].squareRoot(),
                                      min: m.min[0], max: m.max[0], percentiles: [])
        summary.percentiles = zip(options.percents, quantiles).map { DistanceSummary.Percentile(percent: $0, value: $1) }
        var outliers: ProfileOutliers?
        switch options.outliers {
        case .percentile?:
            // Rows strictly above the cut, compared in float64.
            let cut = quantiles.last!
            outliers = try flagged(distances, threshold: cut) { $0 > cut }
        case .mad(let z)?:
            // |x − median| / (1.4826 · MAD) > z.
            let median = quantiles.last!
            let mad = anyNaN ? Double.nan : try percentiles(distances, [50], progress: progress) { Swift.abs($0 - median) }[0]
            let scale = Outliers.madScale * mad
            outliers = try flagged(distances, threshold: z) { Swift.abs($0 - median) / scale > z }
            outliers?.median = median
            outliers?.mad = mad
        case nil: break
        }
        return (summary, outliers)
    }

    /// Exact percentiles of `map(distance)`: by selection in memory, or by counting passes on disk.
    func percentiles(_ distances: ColumnStore, _ percents: [Double], progress: ((String, Double) -> Void)?,
                     map: ((Double) -> Double)? = nil) throws(TesseraError) -> [Double] {
        if let t = distances.tensor {
            if map == nil && t.dtype == .float32 {
                var values = t.scalars(as: Float.self)
                return exactPercentiles(&values, percents)
            }
            var values = t.toArray()
            if let map { values = values.map(map) }
            return exactPercentiles(&values, percents)
        }
        let plan = PercentilePlan(count: distances.rows, percents: percents)
        let ranks = plan.ranks
        let found = try StreamingSelection.orderStatistics(series: 1, ranks: [ranks]) { visit throws(TesseraError) in
            try distances.forEachBlock(rows: blockRows) { (start, block) throws(TesseraError) in
                progress?("percentiles", Double(start) / Double(max(1, distances.rows)))
                var values = block.toArray()
                if let map { values = values.map(map) }
                values.withUnsafeBufferPointer { visit($0, values.count) }
            }
        }[0]
        return plan.percentiles { found[ranks.firstIndex(of: $0)!] }
    }

    /// The rows whose distance satisfies `isOutlier`, with their distances.
    func flagged(_ distances: ColumnStore, threshold: Double, _ isOutlier: (Double) -> Bool) throws(TesseraError) -> ProfileOutliers {
        var rows: [Int] = [], values: [Double] = []
        func scan<T: BinaryFloatingPoint>(_ start: Int, _ d: UnsafeBufferPointer<T>) {
            for i in d.indices where isOutlier(Double(d[i])) {
                rows.append(start + i)
                values.append(Double(d[i]))
            }
        }
        try distances.forEachBlock(rows: blockRows) { (start, block) throws(TesseraError) in
            if block.dtype == .float32 {
                block.withUnsafeElements(as: Float.self) { scan(start, $0) }
            } else {
                block.astype(.float64).withUnsafeElements(as: Double.self) { scan(start, $0) }
            }
        }
        return ProfileOutliers(indices: rows, distances: values, threshold: threshold)
    }

    /// Each channel's mean over the outlier rows and over the rest, in float64: the outlier rows summed
    /// in row order, all rows through ``ColumnMoments`` — so the same bits however the rows are blocked.
    func channelMeans(_ outliers: [Int], stats: TransformStatistics?,
                      progress: ((String, Double) -> Void)?) throws(TesseraError) -> (outliers: [Double], rest: [Double]) {
        var outlierSums = [Double](repeating: 0, count: columns)
        var all = ColumnMoments.Chunks()
        var next = 0
        try forEachBlock(0..<rows, label: "channel means", progress: progress, prepare: { self.transform($0, stats) }) { (start, x) throws(TesseraError) in
            all.add(ColumnMoments.chunks(of: x, spread: false))
            let end = start + x.shape[0]
            var mine: [Int] = []
            while next < outliers.count && outliers[next] < end { mine.append(outliers[next] - start); next += 1 }
            guard !mine.isEmpty else { return }
            let picked = x.indexSelect(axis: 0, indices: Tensor(mine, device: x.device)).toArray()
            for r in mine.indices { for c in 0..<columns { outlierSums[c] += picked[r * columns + c] } }
        }
        let total = all.total
        let k = Double(outliers.count), rest = Double(rows - outliers.count)
        return (outlierSums.map { k > 0 ? $0 / k : .nan },
                (0..<columns).map { c in rest > 0 ? (total.mean[c] * Double(rows) - outlierSums[c]) / rest : .nan })
    }

    /// 50 equal bins from the smallest to the largest distance, counted a block at a time (NaN is not
    /// counted); nil when the distances are all NaN.
    func histogram(_ distances: ColumnStore, summary: DistanceSummary, bins: Int = 50) throws(TesseraError) -> Histogram? {
        guard summary.min.isFinite && summary.max.isFinite else { return nil }
        var total: Histogram?
        try distances.forEachBlock(rows: blockRows) { (_, block) throws(TesseraError) in
            let h = Histogram(of: block, bins: bins, range: summary.min...summary.max)
            total = total.map { Histogram(edges: $0.edges, counts: zip($0.counts, h.counts).map { $0 + $1 }) } ?? h
        }
        return total
    }

    // MARK: - The whole run

    /// Every pass over the whole matrix, in order.
    func run(progress: ((String, Double) -> Void)? = nil) throws(TesseraError) -> ProfileRun {
        if let k = options.kMeans {
            guard k <= rows else {
                throw TesseraError(.invalidArgument, "--kmeans \(k) is more than the \(rows) rows", location: file)
            }
            guard holdsAllRows else {
                throw TesseraError(.unsupported, "--kmeans needs the whole matrix in memory; this run reads it in row blocks (raise --memory or drop --block-rows)", location: file)
            }
        }
        let stats = try transformStatistics(progress: progress)
        let reference = try self.reference(stats, progress: progress)
        let pass = try distancePass(0..<rows, reference: reference, stats: stats, progress: progress)
        return try finish(pass, reference: reference, stats: stats, progress: progress)
    }

    /// Summary, outliers, channel means and k-means from a finished distance pass over all rows.
    func finish(_ pass: DistancePass, reference: Reference, stats: TransformStatistics?,
                progress: ((String, Double) -> Void)?) throws(TesseraError) -> ProfileRun {
        let (summary, outliers) = try summarize(pass.distances, moments: pass.moments, progress: progress)
        var means: (outliers: [Double], rest: [Double])?
        var histogram: Histogram?
        if options.reportDetails {
            if let outliers { means = try channelMeans(outliers.indices, stats: stats, progress: progress) }
            histogram = try self.histogram(pass.distances, summary: summary)
        }
        var km: KMeans?
        if let k = options.kMeans {
            // One block: `run` checked that every row is in memory.
            try forEachBlock(0..<rows, label: "k-means", progress: nil, prepare: { self.transform($0, stats) }) { (_, x) throws(TesseraError) in
                km = KMeans.fit(x, k: k, seed: options.seed)
            }
        }
        let name: String, values: [Double]
        var nearest: NearestProfiles?
        switch reference {
        case .one(let n, let v): (name, values) = (n, v)
        case .several(let names, let profiles):
            (name, values) = ("nearest of \(names.count) profiles", profiles[0])
            nearest = NearestProfiles(names: names, profiles: profiles, counts: pass.counts, assignments: pass.assignments!)
        }
        return ProfileRun(rows: rows, channels: channels, transform: options.transform, metric: options.metric,
                          referenceName: name, reference: values, distances: pass.distances, summary: summary,
                          outlierRule: options.outliers, outliers: outliers, kMeans: km, nearest: nearest,
                          channelMeans: means, histogram: histogram, format: format)
    }
}
