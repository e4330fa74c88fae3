import Tessera

/// The result of one profile run: the distances and every statistic the summary shows.
public struct ProfileRun: Sendable {
    public var rows: Int
    public var channels: [String]
    public var transform: ProfileTransform
    public var metric: DistanceMetric
    public var referenceName: String
    public var reference: [Double]
    /// `[rows]`.
    public var distances: Tensor
    public var summary: DistanceSummary
    public var outlierRule: ProfileOptions.OutlierRule?
    public var outliers: Outliers?
    public var kMeans: KMeans?

    /// Loads `path`, selects the channels and runs ``run(_:channels:options:file:)``.
    ///
    /// - Throws: the reader's error, an unknown channel (listing the available ones), or an invalid reference.
    public static func run(path: String, options: ProfileOptions) throws(TesseraError) -> ProfileRun {
        let input = try ProfileInput.load(path, dataset: options.dataset)
        var x = input.values
        var names = input.displayNames
        if let wanted = options.channels {
            let indices = try input.channelIndices(wanted, file: path)
            if indices != Array(0..<x.shape[1]) {
                x = x.indexSelect(axis: 1, indices: Tensor(indices))
            }
            names = indices.map { names[$0] }
        }
        return try run(x, channels: names, options: options, file: path)
    }

    /// Transform, reference, distances (one fused pass), summary, outliers and k-means for `x`.
    ///
    /// - Parameters:
    ///   - x: `[rows, channels]`; integers are read as float32.
    ///   - channels: A name per column.
    /// - Throws: `.invalidArgument` for a reference row out of range, a `values:` profile of the wrong
    ///   length, an empty matrix or k larger than the rows.
    public static func run(_ x: Tensor, channels: [String], options: ProfileOptions, file: String? = nil) throws(TesseraError) -> ProfileRun {
        guard x.rank == 2, x.shape[0] > 0, x.shape[1] > 0 else {
            throw TesseraError(.invalidArgument, "expected a non-empty [rows, channels] matrix, found shape \(x.shape)", location: file)
        }
        let rows = x.shape[0]
        var x = x.dtype.isFloatingPoint ? x : x.astype(.float32)
        if options.transform != .identity { x = options.transform.apply(x) }
        x = x.eval()
        let name: String
        switch options.reference {
        case .mean: name = "mean"
        case .median: name = "median"
        case .row(let r):
            guard r < rows else {
                throw TesseraError(.invalidArgument, "--reference row:\(r) is out of range for \(rows) rows", location: file)
            }
            name = "row \(r)"
        case .vector(let v):
            guard v.count == x.shape[1] else {
                throw TesseraError(.invalidArgument, "--reference values: has \(v.count) values for \(x.shape[1]) channels", location: file)
            }
            name = "values"
        }
        if let k = options.kMeans, k > rows {
            throw TesseraError(.invalidArgument, "--kmeans \(k) is more than the \(rows) rows", location: file)
        }
        let reference = options.reference.profile(of: x).eval()
        let distances = options.metric.distances(x, to: reference).eval()
        // Mean, std, min and max in tensor ops; every percentile (the summary's, the outlier cut, the MAD
        // rule's medians) by exact selection on one float64 copy instead of one full sort each.
        var summary = DistanceSummary(of: distances, percents: [])
        let all = distances.toArray()
        var values = all
        var wanted = options.percents
        switch options.outliers {
        case .percentile(let p)?: wanted.append(p)
        case .mad?: wanted.append(50)
        case nil: break
        }
        let anyNaN = summary.mean.isNaN && all.contains { $0.isNaN }
        let quantiles = anyNaN ? wanted.map { _ in Double.nan } : exactPercentiles(&values, wanted)
        values = []
        summary.percentiles = zip(options.percents, quantiles).map { DistanceSummary.Percentile(percent: $0, value: $1) }
        var outliers: Outliers?
        switch options.outliers {
        case .percentile?:
            // As `Outliers.percentile`, on the float64 values: rows strictly above the cut.
            let cut = quantiles.last!
            outliers = Outliers(indices: all.indices.filter { all[$0] > cut }, threshold: cut, scores: distances,
                                median: nil, mad: nil)
        case .mad(let z)?:
            // As `Outliers.mad`: |x − median| / (1.4826 · MAD) > z.
            let median = quantiles.last!
            var deviation = all.map { Swift.abs($0 - median) }
            let mad = anyNaN ? Double.nan : exactPercentiles(&deviation, [50])[0]
            let scale = Outliers.madScale * mad
            let scores = ((distances.astype(.float64) - median).abs() / scale).eval()
            outliers = Outliers(indices: all.indices.filter { Swift.abs(all[$0] - median) / scale > z }, threshold: z,
                                scores: scores, median: median, mad: mad)
        case nil: break
        }
        let km = options.kMeans.map { KMeans.fit(x, k: $0, seed: options.seed) }
        return ProfileRun(rows: rows, channels: channels, transform: options.transform, metric: options.metric,
                          referenceName: name, reference: reference.toArray(), distances: distances, summary: summary,
                          outlierRule: options.outliers, outliers: outliers, kMeans: km)
    }
}
