import Tessera

/// Everything `tessera profile` is asked to do, parsed and checked before any file is read.
public struct ProfileOptions: Sendable {
    /// How outliers are flagged.
    public enum OutlierRule: Sendable, Equatable {
        /// Above this percentile of the distances.
        case percentile(Double)
        /// Robust z-score above this threshold.
        case mad(Double)
    }

    /// Where the reference comes from when it is not computed from the matrix itself.
    public enum ReferenceSource: Sendable, Equatable {
        /// The row with this name (a CSV row name, after `--orientation`).
        case sample(String)
        /// A profile file: a CSV/TSV with a header of channel names and one named profile per row, or a
        /// `.npy` of `[channels]` or `[profiles, channels]`; several profiles classify each cell by its
        /// nearest one.
        case file(String)
    }

    public var dataset = 0
    public var channels: [String]?
    public var transform: ProfileTransform = .identity
    /// The reference computed from the matrix, unless ``referenceSource`` names a sample or a file.
    public var reference: ReferenceProfile = .mean
    /// A named sample or a profile file as the reference.
    public var referenceSource: ReferenceSource?
    /// Whether samples (cells) are the file's rows or its columns (`samples-by-features` or
    /// `features-by-samples` on the command line).
    public var orientation: LabeledMatrix.Orientation = .rowsAreSamples
    /// Rows per block when the matrix is read in blocks (a multiple of ``ColumnMoments/chunkRows``);
    /// nil: the whole matrix when it fits in ``memoryBudget``.
    public var blockRows: Int?
    /// Bytes the run may hold at once; a `.npy` file whose data is larger is read in row blocks, and
    /// distances that do not fit are kept on disk. Nil: half the physical memory.
    public var memoryBudget: Int?
    /// Where distances kept on disk go (a directory); nil: `$TMPDIR` or `/tmp`.
    public var scratchDirectory: String?
    /// Also compute what the HTML report shows: a histogram of the distances, and each channel's mean
    /// over the outlier rows and over the rest.
    public var reportDetails = false
    public var metric: DistanceMetric = .euclidean
    public var percents: [Double] = DistanceSummary.defaultPercents
    public var outliers: OutlierRule? = .percentile(99)
    public var kMeans: Int?
    public var seed: UInt64 = 0
    /// Where the passes over the rows compute (blocks are read on the host and moved there).
    public var device: Device = .cpu

    public init() {}

    /// Parses the command-line spellings; every error is one line naming the option.
    public init(dataset: Int = 0, channels: String? = nil, transform: String = "none", reference: String = "mean",
                metric: String = "euclidean", percentiles: String = "1,5,25,50,75,95,99",
                outliers: String? = "percentile:99", kMeans: Int? = nil, seed: Int = 0,
                orientation: String = "samples-by-features", blockRows: Int? = nil,
                memory: String? = nil) throws(TesseraError) {
        guard dataset >= 0 else { throw Self.bad("--dataset must be ≥ 0, got \(dataset)") }
        self.dataset = dataset
        if let channels {
            let list = channels.split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces }
            guard !list.isEmpty, !list.contains("") else { throw Self.bad("--channels '\(channels)': expected names separated by commas") }
            self.channels = list
        }
        self.transform = try Self.parseTransform(transform)
        if reference.hasPrefix("sample:") {
            let name = String(reference.dropFirst(7))
            guard !name.isEmpty else { throw Self.bad("--reference '\(reference)': expected sample:NAME") }
            referenceSource = .sample(name)
        } else if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard !path.isEmpty else { throw Self.bad("--reference '\(reference)': expected file:PATH") }
            referenceSource = .file(path)
        } else {
            self.reference = try Self.parseReference(reference)
        }
        switch orientation {
        case "samples-by-features": self.orientation = .rowsAreSamples
        case "features-by-samples": self.orientation = .columnsAreSamples
        default: throw Self.bad("--orientation '\(orientation)': expected samples-by-features or features-by-samples")
        }
        if let blockRows {
            guard blockRows > 0, blockRows % ColumnMoments.chunkRows == 0 else {
                throw Self.bad("--block-rows \(blockRows): expected a positive multiple of \(ColumnMoments.chunkRows)")
            }
            self.blockRows = blockRows
        }
        if let memory { memoryBudget = try Self.parseBytes(memory, option: "--memory") }
        self.metric = try Self.parseMetric(metric)
        self.percents = try Self.numbers(percentiles, option: "--percentiles")
        guard percents.allSatisfy({ $0 >= 0 && $0 <= 100 }) else {
            throw Self.bad("--percentiles '\(percentiles)': each must be in 0…100")
        }
        if let outliers { self.outliers = try Self.parseOutliers(outliers) } else { self.outliers = nil }
        if let kMeans, kMeans < 1 { throw Self.bad("--kmeans must be at least 1, got \(kMeans)") }
        self.kMeans = kMeans
        guard seed >= 0 else { throw Self.bad("--seed must be ≥ 0, got \(seed)") }
        self.seed = UInt64(seed)
    }

    static func bad(_ message: String) -> TesseraError { TesseraError(.invalidArgument, message) }

    static func number(_ s: Substring) -> Double? {
        guard let v = Double(String(s).trimmingSpaces), v.isFinite else { return nil }
        return v
    }

    static func numbers(_ s: String, option: String) throws(TesseraError) -> [Double] {
        var out: [Double] = []
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = number(part) else { throw bad("\(option) '\(s)': '\(part)' is not a number") }
            out.append(v)
        }
        return out
    }

    public static func parseTransform(_ s: String) throws(TesseraError) -> ProfileTransform {
        switch s {
        case "none", "identity": return .identity
        case "log1p": return .log1p
        case "zscore", "z-score": return .zScore
        case "asinh": return .asinh(cofactor: ProfileTransform.flowCytometryCofactor)
        default:
            if s.hasPrefix("asinh:") {
                guard let c = number(s.dropFirst(6)), c > 0 else {
                    throw bad("--transform '\(s)': expected asinh:COFACTOR with a positive number (5 for mass, 150 for flow cytometry)")
                }
                return .asinh(cofactor: c)
            }
            throw bad("--transform '\(s)': unknown transform (available: none, asinh:COFACTOR, log1p, zscore)")
        }
    }

    public static func parseReference(_ s: String) throws(TesseraError) -> ReferenceProfile {
        switch s {
        case "mean": return .mean
        case "median": return .median
        default:
            if s.hasPrefix("row:") {
                guard let n = Int(s.dropFirst(4)), n >= 0 else { throw bad("--reference '\(s)': expected row:N with N ≥ 0") }
                return .row(n)
            }
            if s.hasPrefix("values:") {
                let v = try numbers(String(s.dropFirst(7)), option: "--reference")
                return .vector(v)
            }
            throw bad("--reference '\(s)': unknown reference (available: mean, median, row:N, values:v1,v2,…, sample:NAME, file:PATH)")
        }
    }

    /// A byte count such as `512M`, `16G` or `1048576`.
    public static func parseBytes(_ s: String, option: String) throws(TesseraError) -> Int {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(s.uppercased())
        if digits.hasSuffix("B") && digits.count > 1 { digits = digits.dropLast() }
        var scale = 1
        if let unit = digits.last, let u = units[unit] { scale = u; digits = digits.dropLast() }
        guard let value = Double(digits), value > 0, value * Double(scale) < 9e18 else {
            throw bad("\(option) '\(s)': expected a size such as 512M or 16G")
        }
        return Int(value * Double(scale))
    }

    public static func parseMetric(_ s: String) throws(TesseraError) -> DistanceMetric {
        switch s {
        case "euclidean": return .euclidean
        case "sqeuclidean", "squared-euclidean": return .squaredEuclidean
        case "cosine": return .cosine
        case "correlation": return .correlation
        default: throw bad("--metric '\(s)': unknown metric (available: euclidean, sqeuclidean, cosine, correlation)")
        }
    }

    public static func parseOutliers(_ s: String) throws(TesseraError) -> OutlierRule? {
        if s == "none" { return nil }
        if s.hasPrefix("percentile:") {
            guard let p = number(s.dropFirst(11)), p >= 0, p <= 100 else {
                throw bad("--outliers '\(s)': expected percentile:P with P in 0…100")
            }
            return .percentile(p)
        }
        if s.hasPrefix("mad:") {
            guard let t = number(s.dropFirst(4)), t > 0 else { throw bad("--outliers '\(s)': expected mad:Z with Z > 0") }
            return .mad(t)
        }
        throw bad("--outliers '\(s)': unknown rule (available: percentile:P, mad:Z, none)")
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
