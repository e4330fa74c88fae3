import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A numeric table loaded from an FCS, CSV/TSV or `.npy` file, with what `tessera data inspect` reports.
public struct ProfileInput: Sendable {
    /// `FCS 3.1`, `CSV`, `TSV`, `npy`.
    public var format: String
    /// `[rows, columns]`, in the file's own dtype (FCS integers stay integers, `.npy` keeps its dtype).
    public var values: Tensor
    /// Column names: FCS `$PnN`, a CSV header; nil when the file has none.
    public var channelNames: [String]?
    /// FCS `$PnS` per channel (nil where absent); nil for other formats.
    public var channelLabels: [String?]?
    /// Row names of a CSV with a row-name column.
    public var rowNames: [String]?
    /// Missing cells (NaN) in a CSV or `.npy`.
    public var missingCount: Int
    /// How the file stores the values, where that differs from ``values``' dtype: FCS `$DATATYPE` and `$PnB`.
    public var storedAs: String?

    /// Loads `path`: `.npy` by extension, FCS by its `FCS` magic, anything else as delimited text.
    ///
    /// - Throws: the reader's ``TesseraError`` (one line naming the file).
    public static func load(_ path: String, dataset: Int = 0) throws(TesseraError) -> ProfileInput {
        if path.lowercased().hasSuffix(".npy") {
            var t = try Tensor.load(npy: path)
            switch t.rank {
            case 1: t = t.reshape([t.count, 1])
            case 2: break
            default:
                throw TesseraError(.unsupported, "expected a 1- or 2-dimensional array, found shape \(t.shape)", location: path)
            }
            let missing = t.dtype.isFloatingPoint ? Int(t.isnan().astype(.int64).sum().item(as: Int64.self)) : 0
            return ProfileInput(format: "npy", values: t, channelNames: nil, channelLabels: nil, rowNames: nil,
                                missingCount: missing, storedAs: nil)
        }
        let bytes = try AtomicFile.read(path)
        let lowerPath = path.lowercased()
        let fcsMagic = bytes.count >= 3 && bytes[0] == UInt8(ascii: "F") && bytes[1] == UInt8(ascii: "C") && bytes[2] == UInt8(ascii: "S")
        if fcsMagic || lowerPath.hasSuffix(".fcs") || lowerPath.hasSuffix(".lmd") {
            let fcs = try FCSFile.parse(bytes, path: path, dataset: dataset)
            return ProfileInput(format: fcs.version.hasPrefix("FCS") ? "FCS " + fcs.version.dropFirst(3) : "FCS \(fcs.version)", values: fcs.data, channelNames: fcs.parameters.map(\.name),
                                channelLabels: fcs.parameters.map(\.label), rowNames: nil, missingCount: 0,
                                storedAs: "$DATATYPE \(fcs.dataType), $PnB " + Array(Set(fcs.parameters.map(\.bits))).sorted().map(String.init).joined(separator: "/"))
        }
        guard dataset == 0 else {
            throw TesseraError(.invalidArgument, "--dataset \(dataset) applies to FCS files only", location: path)
        }
        let matrix = try LabeledMatrix.parse(bytes, name: path)
        let lower = path.lowercased()
        let format = lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") || lower.hasSuffix(".txt") ? "TSV" : "CSV"
        return ProfileInput(format: format, values: matrix.values, channelNames: matrix.columnNames, channelLabels: nil,
                            rowNames: matrix.rowNames, missingCount: matrix.missingCount, storedAs: nil)
    }

    /// The names to show for each column: FCS `$PnN` (with `$PnS` after it), a CSV header, else `0…`.
    public var displayNames: [String] {
        (0..<values.shape[1]).map { i in
            guard let names = channelNames else { return "\(i)" }
            if let label = channelLabels?[i] ?? nil, !label.isEmpty, label != names[i] { return "\(names[i]) (\(label))" }
            return names[i]
        }
    }

    /// The column indices of `wanted`: each matched against `$PnN`, then `$PnS`, then (for files without
    /// names, or when nothing else matches) a column number.
    ///
    /// - Throws: `.invalidArgument`, one line listing the available channels, for a name the file lacks.
    public func channelIndices(_ wanted: [String], file: String) throws(TesseraError) -> [Int] {
        var indices: [Int] = []
        for name in wanted {
            if let i = channelNames?.firstIndex(of: name) ?? channelLabels?.firstIndex(where: { $0 == name }) {
                indices.append(i)
            } else if let i = Int(name), i >= 0, i < values.shape[1] {
                indices.append(i)
            } else {
                let available = channelNames == nil
                    ? "columns 0…\(values.shape[1] - 1) (the file has no names)"
                    : displayNames.joined(separator: ", ")
                throw TesseraError(.invalidArgument, "no channel '\(name)'; available: \(available)", location: file)
            }
        }
        return indices
    }
}

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
        let all = float64Array(distances)
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

    // MARK: - Output

    /// The terminal summary.
    public func summaryText(outlierListLimit: Int = 10) -> String {
        var s = ""
        s += "rows        \(rows)\n"
        s += "channels    \(channels.count): \(channels.joined(separator: ", "))\n"
        s += "transform   \(Self.describe(transform))\n"
        s += "reference   \(referenceName) [\(reference.map { formatNumber($0) }.joined(separator: ", "))]\n"
        s += "metric      \(metric.rawValue)\n"
        s += "distance    mean \(formatNumber(summary.mean))  std \(formatNumber(summary.std))  "
            + "min \(formatNumber(summary.min))  max \(formatNumber(summary.max))\n"
        if !summary.percentiles.isEmpty {
            s += "percentiles " + summary.percentiles.map { "p\(formatNumber($0.percent)) \(formatNumber($0.value))" }
                .joined(separator: "  ") + "\n"
        }
        if let outliers, let rule = outlierRule {
            let ruleText: String
            switch rule {
            case .percentile(let p): ruleText = "above p\(formatNumber(p)) = \(formatNumber(outliers.threshold))"
            case .mad(let z): ruleText = "MAD z-score > \(formatNumber(z)) (median \(formatNumber(outliers.median ?? .nan)), MAD \(formatNumber(outliers.mad ?? .nan)))"
            }
            s += "outliers    \(outliers.indices.count) \(ruleText)\n"
            let shown = Array(outliers.indices.prefix(outlierListLimit))
            if !shown.isEmpty {
                let values = distances.indexSelect(axis: 0, indices: Tensor(shown)).toArray()
                for (row, d) in zip(shown, values) { s += "  row \(row)  distance \(formatNumber(d))\n" }
                if outliers.indices.count > shown.count { s += "  … \(outliers.indices.count - shown.count) more\n" }
            }
        }
        if let km = kMeans {
            s += "k-means     k \(km.sizes.count)  inertia \(formatNumber(km.inertia))  iterations \(km.iterations)"
                + (km.converged ? "" : " (not converged)") + "\n"
            s += "  sizes     " + km.sizes.map(String.init).joined(separator: ", ") + "\n"
        }
        return s
    }

    static func describe(_ t: ProfileTransform) -> String {
        switch t {
        case .identity: return "none"
        case .asinh(let c): return "asinh:\(formatNumber(c))"
        case .log1p: return "log1p"
        case .zScore: return "zscore"
        }
    }

    /// The whole summary as JSON.
    public func json() -> String {
        func num(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        func str(_ v: String) -> String { jsonString(v) }
        var fields: [String] = []
        fields.append("\"rows\": \(rows)")
        fields.append("\"channels\": [\(channels.map(str).joined(separator: ", "))]")
        fields.append("\"transform\": \(str(Self.describe(transform)))")
        fields.append("\"reference\": {\"kind\": \(str(referenceName)), \"values\": [\(reference.map(num).joined(separator: ", "))]}")
        fields.append("\"metric\": \(str(metric.rawValue))")
        fields.append("\"summary\": {\"count\": \(summary.count), \"mean\": \(num(summary.mean)), \"std\": \(num(summary.std)), "
            + "\"min\": \(num(summary.min)), \"max\": \(num(summary.max)), \"percentiles\": ["
            + summary.percentiles.map { "{\"percent\": \(num($0.percent)), \"value\": \(num($0.value))}" }.joined(separator: ", ")
            + "]}")
        if let outliers, let rule = outlierRule {
            let ruleText: String
            switch rule {
            case .percentile(let p): ruleText = "\"rule\": \"percentile\", \"percent\": \(num(p))"
            case .mad(let z): ruleText = "\"rule\": \"mad\", \"z\": \(num(z)), \"median\": \(num(outliers.median ?? .nan)), \"mad\": \(num(outliers.mad ?? .nan))"
            }
            let values = outliers.indices.isEmpty ? [] : distances.indexSelect(axis: 0, indices: Tensor(outliers.indices)).toArray()
            fields.append("\"outliers\": {\(ruleText), \"threshold\": \(num(outliers.threshold)), \"count\": \(outliers.indices.count), "
                + "\"rows\": [\(zip(outliers.indices, values).map { "{\"row\": \($0), \"distance\": \(num($1))}" }.joined(separator: ", "))]}")
        }
        if let km = kMeans {
            fields.append("\"kmeans\": {\"k\": \(km.sizes.count), \"inertia\": \(num(km.inertia)), \"iterations\": \(km.iterations), "
                + "\"converged\": \(km.converged), \"sizes\": [\(km.sizes.map(String.init).joined(separator: ", "))]}")
        }
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }

    /// `--out` as CSV: `row,distance[,cluster],outlier` with one line per row.
    public func csvBytes() -> [UInt8] {
        let d = float64Array(distances)
        let clusters = kMeans.map { int64Array($0.assignments) }
        var flags = [Bool](repeating: false, count: rows)
        for i in outliers?.indices ?? [] { flags[i] = true }
        var out: [UInt8] = []
        out.reserveCapacity(rows * 24)
        out.append(contentsOf: (clusters == nil ? "row,distance,outlier\n" : "row,distance,cluster,outlier\n").utf8)
        let isFloat32 = distances.dtype == .float32
        for i in 0..<rows {
            var line = String(i)
            line += ","
            line += d[i].isNaN ? "nan" : (isFloat32 ? Float(d[i]).description : d[i].description)
            if let clusters { line += ","; line += String(clusters[i]) }
            line += flags[i] ? ",1\n" : ",0\n"
            out.append(contentsOf: line.utf8)
        }
        return out
    }
}

/// The elements of `t` as float64, copied in bulk (`scalars(as:)` converts one element at a time).
func float64Array(_ t: Tensor) -> [Double] {
    rawElements(t.astype(.float64)).map { Double(bitPattern: $0) }
}

/// The elements of `t` as int64, copied in bulk.
func int64Array(_ t: Tensor) -> [Int64] {
    rawElements(t.astype(.int64)).map { Int64(bitPattern: $0) }
}

/// The 8-byte elements of `t` (float64 or int64) as raw bits, through the `.npy` encoder's parallel copy.
private func rawElements(_ t: Tensor) -> [UInt64] {
    let bytes = t.npyBytes()
    // NPY 1.0: a 2-byte header length after the 8-byte magic and version; 2.0 and 3.0: 4 bytes.
    let start = bytes[6] == 1
        ? 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
        : 12 + (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24)
    let n = t.count
    precondition(bytes.count - start == n * 8, "[rawElements] unexpected .npy layout")
    return [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
        bytes.withUnsafeBytes { raw in
            for i in 0..<n { out[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + i * 8, as: UInt64.self)) }
        }
        initialized = n
    }
}

/// NumPy's default (linear) percentiles of `values`, exactly, by selection (`values` is reordered).
///
/// Each percentile needs the order statistics at `⌊(n − 1)·q⌋` and the next; all of them are found in one
/// multi-selection (quickselect with three-way partitions, so ties cost nothing), O(n log m) for m
/// percentiles, instead of an O(n log n) sort. `values` must hold no NaN.
func exactPercentiles(_ values: inout [Double], _ percents: [Double]) -> [Double] {
    let n = values.count
    guard n > 0, !percents.isEmpty else { return percents.map { _ in .nan } }
    var plan: [(below: Int, above: Int, gamma: Double)] = []
    var ranks = Set<Int>()
    for p in percents {
        let virtual = Double(n - 1) * (p / 100)
        let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
        let below = floorIndex < 0 ? n - 1 : floorIndex
        let above = floorIndex < 0 ? n - 1 : floorIndex + 1
        plan.append((below, above, virtual - Double(floorIndex)))
        ranks.insert(below)
        ranks.insert(above)
    }
    var found: [Int: Double] = [:]
    values.withUnsafeMutableBufferPointer { v in
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        // Work items: a range [lo, hi) of `v` and the sorted ranks inside it.
        var stack: [(lo: Int, hi: Int, ranks: ArraySlice<Int>)] = [(0, n, ArraySlice(ranks.sorted()))]
        while let (lo, hi, ks) = stack.popLast() {
            if ks.isEmpty { continue }
            if hi - lo <= 32 {
                v[lo..<hi].sort()
                for k in ks { found[k] = v[k] }
                continue
            }
            // Median of three random elements as the pivot.
            func draw() -> Double {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return v[lo + Int((rng >> 33) % UInt64(hi - lo))]
            }
            let a = draw(), b = draw(), c = draw()
            let pivot = max(min(a, b), min(max(a, b), c))
            // Three-way partition: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot.
            var lt = lo, i = lo, gt = hi
            while i < gt {
                let x = v[i]
                if x < pivot {
                    v.swapAt(lt, i); lt += 1; i += 1
                } else if x > pivot {
                    gt -= 1; v.swapAt(i, gt)
                } else {
                    i += 1
                }
            }
            let left = ks.prefix { $0 < lt }
            let rest = ks.dropFirst(left.count)
            let middle = rest.prefix { $0 < gt }
            for k in middle { found[k] = pivot }
            stack.append((lo, lt, left))
            stack.append((gt, hi, rest.dropFirst(middle.count)))
        }
    }
    return plan.map { p in
        let lo = found[p.below]!, hi = found[p.above]!
        let diff = hi - lo
        return p.gamma >= 0.5 ? hi - diff * (1 - p.gamma) : lo + diff * p.gamma
    }
}

/// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
package func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

/// `%.6g`, NaN as `nan`.
public func formatNumber(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    var buffer = [CChar](repeating: 0, count: 64)
    _ = buffer.withUnsafeMutableBufferPointer { p in
        withVaList([v]) { vsnprintf(p.baseAddress, 64, "%.6g", $0) }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

