import Tessera

/// Timings of one benchmark case: every sample and the statistics the tables and JSON report.
public struct Timing: Sendable {
    /// Wall time of each timed run, in seconds, in the order they ran.
    public let samples: [Double]

    public var median: Double { quantile(0.5) }
    public var min: Double { samples.min() ?? 0 }
    public var max: Double { samples.max() ?? 0 }
    /// The interquartile range (75th minus 25th percentile), linear interpolation as NumPy's default.
    public var iqr: Double { quantile(0.75) - quantile(0.25) }

    public init(samples: [Double]) { self.samples = samples }

    /// The `q` quantile of the samples, interpolating linearly between order statistics.
    public func quantile(_ q: Double) -> Double {
        let sorted = samples.sorted()
        guard let first = sorted.first else { return 0 }
        if sorted.count == 1 { return first }
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }
}

/// How many times to run a case: warm-up runs, then at least `minSamples` timed runs filling about
/// `targetSeconds`, unless `repeats` fixes the count.
public struct HarnessSettings: Sendable {
    public var warmup = 1
    public var minSamples = 5
    public var maxSamples = 200
    public var targetSeconds = 1.0
    /// A fixed number of timed runs (`--repeats`), overriding the automatic count.
    public var repeats: Int?

    public init(repeats: Int? = nil) { self.repeats = repeats }

    /// The number of timed runs for a case whose warm-up took `seconds`.
    public func sampleCount(forRunOf seconds: Double) -> Int {
        if let repeats { return repeats }
        guard seconds > 0 else { return maxSamples }
        let fitting = Int((targetSeconds / seconds).rounded(.down))
        return Swift.min(maxSamples, Swift.max(minSamples, fitting))
    }
}

/// Times a closure: warm-up first (which also sizes the run), then the timed samples.
public enum Harness {
    /// Runs `body` `settings.warmup` times untimed, then the number of timed runs the settings give.
    ///
    /// `body` must finish its work before returning (call `eval()` on lazy results).
    public static func measure(_ settings: HarnessSettings, _ body: () -> Void) -> Timing {
        var warmupSeconds = 0.0
        for _ in 0..<Swift.max(settings.warmup, 1) {
            let start = monotonicSeconds()
            body()
            warmupSeconds = monotonicSeconds() - start
        }
        let count = settings.sampleCount(forRunOf: warmupSeconds)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = monotonicSeconds()
            body()
            samples.append(monotonicSeconds() - start)
        }
        return Timing(samples: samples)
    }
}

/// One row of a benchmark report: a workload run by one implementation, or why it was skipped.
///
/// The same shape is written by `--json` and printed by the NumPy peer, so both decode alike.
public struct BenchResult: Codable, Sendable {
    public var workload: String
    /// `tessera` or the peer's name (`numpy`).
    public var implementation: String
    /// Which path ran, where a workload has several: `fused`, `blas`, `builtin`, `sum`, `copy`.
    public var variant: String?
    public var device = "cpu"
    public var params: [String: Int]
    public var medianMs: Double?
    public var minMs: Double?
    public var maxMs: Double?
    public var iqrMs: Double?
    public var samples: Int?
    /// The largest relative error of the sampled outputs against a float64 reference.
    public var maxRelError: Double?
    /// `ok` or `failed`.
    public var check: String?
    public var gbps: Double?
    public var gflops: Double?
    /// Why the case did not run (peer missing, say).
    public var skipped: String?

    enum CodingKeys: String, CodingKey {
        case workload, implementation, variant, device, params
        case medianMs = "median_ms", minMs = "min_ms", maxMs = "max_ms", iqrMs = "iqr_ms"
        case samples, maxRelError = "max_rel_error", check, gbps, gflops, skipped
    }

    public init(workload: String, implementation: String, variant: String? = nil, params: [String: Int]) {
        self.workload = workload
        self.implementation = implementation
        self.variant = variant
        self.params = params
    }

    /// Fills the timing fields; `bytes` and `flops` per run give GB/s and GFLOP/s from the median.
    public mutating func record(_ timing: Timing, bytes: Double? = nil, flops: Double? = nil) {
        medianMs = timing.median * 1e3
        minMs = timing.min * 1e3
        maxMs = timing.max * 1e3
        iqrMs = timing.iqr * 1e3
        samples = timing.samples.count
        if let bytes, timing.median > 0 { gbps = bytes / timing.median / 1e9 }
        if let flops, timing.median > 0 { gflops = flops / timing.median / 1e9 }
    }

    /// Records the validation: `ok` when `error` is within `tolerance`.
    public mutating func validate(maxRelativeError error: Double, tolerance: Double) {
        maxRelError = error
        check = error <= tolerance ? "ok" : "failed"
    }
}

/// A whole `--json` report.
public struct BenchReport: Codable, Sendable {
    public var tesseraVersion: String
    public var gitCommit: String?
    public var environment: BenchEnvironment
    public var results: [BenchResult]

    enum CodingKeys: String, CodingKey {
        case tesseraVersion = "tessera_version", gitCommit = "git_commit", environment, results
    }

    public init(environment: BenchEnvironment, results: [BenchResult]) {
        self.tesseraVersion = BuildInfo.version
        self.gitCommit = environment.gitCommit
        self.environment = environment
        self.results = results
    }
}

/// The aligned text table `tessera bench` prints: one row per result, then one "vs PEER" speed-up
/// column per peer measured (NumPy, PyTorch, torch.compile), each the peer's median over the row's.
public enum ResultTable {
    static let baseHeader = ["workload", "params", "implementation", "median ms", "min ms", "max ms", "samples",
                             "throughput", "check"]

    /// The peers the speed-up columns compare with: every implementation other than Tessera that has a
    /// measured row, in order of first appearance.
    public static func peers(_ results: [BenchResult]) -> [String] {
        var seen: [String] = []
        for r in results where r.implementation != "tessera" && r.skipped == nil && !seen.contains(r.implementation) {
            seen.append(r.implementation)
        }
        return seen
    }

    /// The column titles for `results`.
    public static func header(_ results: [BenchResult]) -> [String] {
        baseHeader + peers(results).map { "vs \($0)" }
    }

    /// Whether a column holds numbers (right-aligned).
    static func isNumeric(_ column: Int) -> Bool { (3...7).contains(column) || column >= baseHeader.count }

    /// One line per row, columns padded; numbers right-aligned.
    public static func render(_ results: [BenchResult]) -> String {
        let header = header(results), peers = peers(results)
        let rows = [header] + results.map { cells($0, among: results, peers: peers) }
        // A skipped row's reason runs on past the columns instead of widening them.
        let measured = [header] + zip(results, rows.dropFirst()).filter { $0.0.skipped == nil }.map(\.1)
        let widths = header.indices.map { column in
            (column < 3 ? rows : measured).map { $0[column].count }.max() ?? 0
        }
        return rows.enumerated().map { index, row in
            let line = row.indices.map { column in
                let cell = row[column], pad = String(repeating: " ", count: Swift.max(0, widths[column] - cell.count))
                return isNumeric(column) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            let trimmed = String(line.reversed().drop(while: { $0 == " " }).reversed())
            if index == 0 {
                return trimmed + "\n" + String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
            }
            return trimmed
        }.joined(separator: "\n")
    }

    /// The cells of `r`: its figures, then its speed-up over each of `peers` measured on the same
    /// workload and sizes among `all` (empty for the peers' own rows and where a peer has no row).
    static func cells(_ r: BenchResult, among all: [BenchResult], peers: [String]) -> [String] {
        let params = r.params["d"].map { "\(r.params["n"] ?? 0)×\($0)" } ?? "n=\(r.params["n"] ?? 0)"
        var implementation = r.variant.map { "\(r.implementation) (\($0))" } ?? r.implementation
        if r.device != "cpu" { implementation += " [\(r.device)]" }
        if let skipped = r.skipped {
            return [r.workload, params, implementation, "skipped: \(skipped)"] + Array(repeating: "", count: baseHeader.count - 4 + peers.count)
        }
        let ms = { (x: Double?) in x.map(milliseconds) ?? "" }
        var throughput = ""
        if let gbps = r.gbps { throughput = fixed(gbps, 1) + " GB/s" }
        if let gflops = r.gflops { throughput = fixed(gflops, 1) + " GFLOP/s" }
        var check = r.check ?? ""
        if let error = r.maxRelError { check += error == 0 ? " (exact)" : " (" + NumberFormat.scientific(error, fractionDigits: 1) + ")" }
        let speedups = peers.map { name -> String in
            guard r.implementation == "tessera", let mine = r.medianMs, mine > 0,
                  let peer = all.first(where: { $0.implementation == name && $0.skipped == nil && comparable(r, $0) }),
                  let theirs = peer.medianMs else { return "" }
            return fixed(theirs / mine, 2) + "×"
        }
        return [r.workload, params, implementation, ms(r.medianMs), ms(r.minMs), ms(r.maxMs),
                r.samples.map(String.init) ?? "", throughput, check] + speedups
    }

    /// Rows time the same thing: same workload and sizes, and for bandwidth the same variant.
    static func comparable(_ a: BenchResult, _ b: BenchResult) -> Bool {
        a.workload == b.workload && a.params == b.params && (a.workload != "bandwidth" || a.variant == b.variant)
    }

    /// Three significant digits or so: 1234, 123.4, 12.34, 1.234, 0.123.
    static func milliseconds(_ x: Double) -> String {
        fixed(x, x >= 1000 ? 0 : x >= 100 ? 1 : x >= 10 ? 2 : 3)
    }
}
