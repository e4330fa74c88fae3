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

    public var dataset = 0
    public var channels: [String]?
    public var transform: ProfileTransform = .identity
    public var reference: ReferenceProfile = .mean
    public var metric: DistanceMetric = .euclidean
    public var percents: [Double] = DistanceSummary.defaultPercents
    public var outliers: OutlierRule? = .percentile(99)
    public var kMeans: Int?
    public var seed: UInt64 = 0

    public init() {}

    /// Parses the command-line spellings; every error is one line naming the option.
    public init(dataset: Int = 0, channels: String? = nil, transform: String = "none", reference: String = "mean",
                metric: String = "euclidean", percentiles: String = "1,5,25,50,75,95,99",
                outliers: String? = "percentile:99", kMeans: Int? = nil, seed: Int = 0) throws(TesseraError) {
        guard dataset >= 0 else { throw Self.bad("--dataset must be ≥ 0, got \(dataset)") }
        self.dataset = dataset
        if let channels {
            let list = channels.split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0).trimmingSpaces }
            guard !list.isEmpty, !list.contains("") else { throw Self.bad("--channels '\(channels)': expected names separated by commas") }
            self.channels = list
        }
        self.transform = try Self.parseTransform(transform)
        self.reference = try Self.parseReference(reference)
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
            throw bad("--reference '\(s)': unknown reference (available: mean, median, row:N, values:v1,v2,…)")
        }
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
