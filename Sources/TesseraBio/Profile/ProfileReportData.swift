/// What the `tessera profile --report` page shows, as plain values: the input, the distance summary and
/// histogram, and the optional outlier, channel, cluster and nearest-profile sections.
///
/// ```swift
/// let data = ProfileReportData(
///     file: "sample.fcs", format: "FCS 3.1", rows: 10_000, channels: ["CD3", "CD19"], transform: "asinh:5",
///     metric: "euclidean", referenceName: "median", reference: [1.2, 0.4],
///     summary: summary, histogram: Histogram(of: distances, bins: 60))
/// let html = ProfileReport.render(data)
/// ```
///
/// ### See Also
/// - ``ProfileReport``
public struct ProfileReportData: Sendable {
    /// The input file as the user named it.
    public var file: String
    /// The file's format, e.g. `FCS 3.1` or `CSV`.
    public var format: String
    /// The number of cells (rows) profiled.
    public var rows: Int
    /// The channels used, in column order.
    public var channels: [String]
    /// The transform applied before measuring, e.g. `asinh:5` or `none`.
    public var transform: String
    /// The distance metric, e.g. `euclidean`.
    public var metric: String
    /// The reference profile's name, e.g. `median` or a file name.
    public var referenceName: String
    /// The reference profile, one value per channel.
    public var reference: [Double]
    /// Who wrote the page, e.g. `tessera 0.1.0 (commit 0123abcd)`; shown in the footer.
    public var generator: String?
    /// The distances' count, mean, spread and percentiles; the percentiles are marked on the histogram.
    public var summary: DistanceSummary
    /// The distances binned.
    public var histogram: Histogram
    /// The outliers, when a rule was given.
    public var outliers: OutlierList?
    /// Per-channel means of the outlier rows and of the others.
    public var channelMeans: ChannelMeans?
    /// The k-means clustering, when asked for.
    public var clusters: Clusters?
    /// How many cells are nearest to each of several reference profiles.
    public var nearestProfiles: NearestProfiles?

    /// The outlier rule and the rows it picked.
    public struct OutlierList: Sendable {
        /// The rule in words, e.g. `above p99 = 4.31` or `MAD z > 3.5`.
        public var rule: String
        /// The distance above which a row is an outlier (marked on the histogram).
        public var threshold: Double
        /// How many rows are outliers; may be more than `rows` lists.
        public var total: Int
        /// The listed outliers (the caller picks which, at most about 100).
        public var rows: [(row: Int, distance: Double)]
        public init(rule: String, threshold: Double, total: Int, rows: [(row: Int, distance: Double)]) {
            (self.rule, self.threshold, self.total, self.rows) = (rule, threshold, total, rows)
        }
    }

    /// Per-channel means, in the order of ``ProfileReportData/channels``.
    public struct ChannelMeans: Sendable {
        /// The mean of each channel over the outlier rows.
        public var outliers: [Double]
        /// The mean of each channel over the other rows.
        public var rest: [Double]
        public init(outliers: [Double], rest: [Double]) { (self.outliers, self.rest) = (outliers, rest) }
    }

    /// A k-means clustering of the cells.
    public struct Clusters: Sendable {
        /// The number of cells in each cluster.
        public var sizes: [Int]
        /// The sum of squared distances of the cells to their centroids.
        public var inertia: Double
        public var iterations: Int
        public var converged: Bool
        public init(sizes: [Int], inertia: Double, iterations: Int, converged: Bool) {
            (self.sizes, self.inertia, self.iterations, self.converged) = (sizes, inertia, iterations, converged)
        }
    }

    /// A nearest-profile classification: each cell counted once, under the profile it is nearest to.
    public struct NearestProfiles: Sendable {
        public var names: [String]
        public var counts: [Int]
        public init(names: [String], counts: [Int]) { (self.names, self.counts) = (names, counts) }
    }

    /// Collects the page's values; the optional sections are left out of the page when nil.
    public init(file: String, format: String, rows: Int, channels: [String], transform: String, metric: String,
                referenceName: String, reference: [Double], generator: String? = nil,
                summary: DistanceSummary, histogram: Histogram, outliers: OutlierList? = nil,
                channelMeans: ChannelMeans? = nil, clusters: Clusters? = nil, nearestProfiles: NearestProfiles? = nil) {
        (self.file, self.format, self.rows, self.channels, self.transform, self.metric) = (file, format, rows, channels, transform, metric)
        (self.referenceName, self.reference, self.generator) = (referenceName, reference, generator)
        (self.summary, self.histogram, self.outliers) = (summary, histogram, outliers)
        (self.channelMeans, self.clusters, self.nearestProfiles) = (channelMeans, clusters, nearestProfiles)
    }
}
