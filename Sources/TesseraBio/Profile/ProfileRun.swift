import Tessera

/// The result of one profile run: the distances and every statistic the summary shows.
public struct ProfileRun: Sendable {
    public var rows: Int
    public var channels: [String]
    public var transform: ProfileTransform
    public var metric: DistanceMetric
    public var referenceName: String
    /// The reference profile (the first one when several are given).
    public var reference: [Double]
    /// The distance of every row (to its nearest profile when several are given), in memory or on disk.
    public var distances: ColumnStore
    public var summary: DistanceSummary
    public var outlierRule: ProfileOptions.OutlierRule?
    public var outliers: ProfileOutliers?
    public var kMeans: KMeans?
    /// Nearest-profile classification, when the reference file holds several profiles.
    public var nearest: NearestProfiles?
    /// Per channel: the mean of the outlier rows and of the other rows (with ``ProfileOptions/reportDetails``).
    public var channelMeans: (outliers: [Double], rest: [Double])?
    /// The distances in 50 bins (with ``ProfileOptions/reportDetails``).
    public var histogram: Histogram?
    /// The input's format: `FCS 3.1`, `CSV`, `TSV`, `npy`.
    public var format: String

    /// Loads `path`, selects the channels and runs the profile; a `.npy` file whose data is larger than
    /// the memory budget (or any `.npy` with `blockRows`) is read in row blocks instead of whole.
    ///
    /// - Throws: the reader's error, an unknown channel (listing the available ones), or an invalid reference.
    public static func run(path: String, options: ProfileOptions,
                           progress: ((String, Double) -> Void)? = nil) throws(TesseraError) -> ProfileRun {
        try ProfilePipeline(path: path, options: options).run(progress: progress)
    }

    /// Transform, reference, distances (one fused pass), summary, outliers and k-means for `x`.
    ///
    /// - Parameters:
    ///   - x: `[rows, channels]`; integers are read as float32.
    ///   - channels: A name per column.
    ///   - options: What to compute (transform, reference, metric, percentiles, outliers, k-means).
    ///   - file: The name that error messages give as the location, if any.
    /// - Throws: `.invalidArgument` for a reference row out of range, a `values:` profile of the wrong
    ///   length, an empty matrix or k larger than the rows.
    public static func run(_ x: Tensor, channels: [String], options: ProfileOptions, file: String? = nil) throws(TesseraError) -> ProfileRun {
        guard x.rank == 2, x.shape[0] > 0, x.shape[1] > 0 else {
            throw TesseraError(.invalidArgument, "expected a non-empty [rows, channels] matrix, found shape \(x.shape)", location: file)
        }
        return try ProfilePipeline(source: TensorRows(x), columnIndices: nil, channels: channels, rowNames: nil, format: "matrix",
                                   options: options, file: file).run()
    }
}

/// Rows flagged as outliers, with their distances.
public struct ProfileOutliers: Sendable, Equatable {
    /// The flagged rows, ascending.
    public var indices: [Int]
    /// Their distances, in the same order.
    public var distances: [Double]
    /// The cut on the distance (percentile rule) or on the robust z-score (MAD rule).
    public var threshold: Double
    /// The median distance (MAD rule only).
    public var median: Double?
    /// The median absolute deviation of the distances (MAD rule only).
    public var mad: Double?
}

/// Each row's nearest profile among several named ones.
public struct NearestProfiles: Sendable {
    /// The profile names.
    public var names: [String]
    /// The profiles, `[profiles][channels]`.
    public var profiles: [[Double]]
    /// Rows assigned to each profile.
    public var counts: [Int]
    /// The index of each row's profile.
    public var assignments: ColumnStore
}
