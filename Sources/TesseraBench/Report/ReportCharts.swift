import Tessera
import TesseraReport

/// Turns the results of one or more runs into the report's charts.
public enum ReportCharts {
    /// A result with the run it belongs to.
    public struct Entry: Sendable {
        public var result: BenchResult
        public var run: Int
        public var runLabel: String
        public var reference: Bool
    }

    /// Every result of `runs`, in order.
    public static func entries(_ runs: [ReportRun]) -> [Entry] {
        runs.enumerated().flatMap { index, run in
            run.report.results.map { Entry(result: $0, run: index, runLabel: run.label, reference: run.isReference) }
        }
    }

    static let implementationColors = ["tessera": "#1f77b4", "numpy": "#ff7f0e", "torch": "#d62728",
                                       "torch.compile": "#9467bd"]

    static func color(_ implementation: String) -> String { implementationColors[implementation] ?? "#7f7f7f" }

    /// `1000000×32` for n and d (as the terminal table writes it), `n=2000` for n alone, others appended.
    public static func describe(_ params: [String: Int]) -> String {
        if params.isEmpty { return "" }
        var text = "", rest = params.keys.sorted()
        if let n = params["n"] {
            text = params["d"].map { "\(n)×\($0)" } ?? "n=\(n)"
            rest.removeAll { $0 == "n" || $0 == "d" }
        }
        for key in rest {
            text += (text.isEmpty ? "" : " ") + "\(key)=\(params[key]!)"
        }
        return text
    }

    /// `tessera (fused) · cpu`, plus the run's name when the report merges several.
    static func label(_ e: Entry, multipleRuns: Bool) -> String {
        var text = e.result.implementation + (e.result.variant.map { " (\($0))" } ?? "") + " · " + e.result.device
        if multipleRuns { text += " [\(e.runLabel)]" }
        return text
    }

    static func groupKey(_ r: BenchResult) -> String { r.workload + " " + describe(r.params) }

    /// Groups in first-seen order.
    static func grouped(_ entries: [Entry], by key: (Entry) -> String) -> [(key: String, entries: [Entry])] {
        var order: [String] = [], groups: [String: [Entry]] = [:]
        for e in entries {
            let k = key(e)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(e)
        }
        return order.map { ($0, groups[$0]!) }
    }

    static func legend(_ entries: [Entry]) -> [(name: String, color: String)] {
        var seen: [String] = []
        for e in entries where !seen.contains(e.result.implementation) { seen.append(e.result.implementation) }
        return seen.map { ($0, color($0)) }
    }

    /// Median time per implementation, one group per workload and parameters, log axis.
    public static func timeChart(_ entries: [Entry]) -> String {
        let multiple = Set(entries.map(\.run)).count > 1
        let groups = grouped(entries) { groupKey($0.result) }.map { key, members in
            SVGChart.Group(
                title: key,
                bars: members.compactMap { e in
                    guard e.result.skipped == nil, let ms = e.result.medianMs, ms > 0 else { return nil }
                    return SVGChart.Bar(label: label(e, multipleRuns: multiple), value: ms,
                                        valueText: ResultTable.milliseconds(ms) + " ms",
                                        color: color(e.result.implementation), reference: e.reference)
                },
                notes: members.filter { $0.result.skipped != nil }.map { label($0, multipleRuns: multiple) })
        }
        return SVGChart.horizontalBars(title: "Median time per implementation", axisTitle: "milliseconds (log scale, shorter is faster)",
                                       groups: groups, legend: legend(entries))
    }

    /// The speed-ups of Tessera over each peer in the same run (peer median / Tessera median), or nil when no
    /// run has both.
    public static func speedupChart(_ entries: [Entry]) -> String? {
        let multiple = Set(entries.map(\.run)).count > 1
        var groups: [SVGChart.Group] = []
        for (key, members) in grouped(entries, by: { groupKey($0.result) }) {
            var bars: [SVGChart.Bar] = []
            for mine in members where mine.result.implementation == "tessera" {
                guard let t = measured(mine.result) else { continue }
                for peer in members where peer.run == mine.run && peer.result.implementation != "tessera"
                    && ResultTable.comparable(mine.result, peer.result) {
                    guard let p = measured(peer.result) else { continue }
                    let speedup = p / t
                    var text = "tessera" + (mine.result.variant.map { " (\($0))" } ?? "") + " · \(mine.result.device) vs "
                        + peer.result.implementation + (peer.result.variant.map { " (\($0))" } ?? "") + " · \(peer.result.device)"
                    if multiple { text += " [\(mine.runLabel)]" }
                    bars.append(SVGChart.Bar(label: text, value: speedup, valueText: fixed(speedup, 2) + "×",
                                             color: speedup >= 1 ? "#2ca02c" : "#d62728", reference: mine.reference))
                }
            }
            if !bars.isEmpty { groups.append(SVGChart.Group(title: key, bars: bars)) }
        }
        guard !groups.isEmpty else { return nil }
        return SVGChart.horizontalBars(title: "Speed-up of Tessera over each peer", axisTitle: "× faster (log scale; right of 1× Tessera is faster)",
                                       groups: groups, baseline: 1,
                                       legend: [("Tessera faster", "#2ca02c"), ("Tessera slower", "#d62728")])
    }

    static func measured(_ r: BenchResult) -> Double? {
        guard r.skipped == nil, let ms = r.medianMs, ms > 0 else { return nil }
        return ms
    }

    /// A workload run at several values of one parameter, the others fixed.
    public struct Sweep: Sendable {
        public var workload: String
        /// The parameter that varies (`n`).
        public var parameter: String
        /// The fixed parameters.
        public var fixed: [String: Int]
        public var entries: [Entry]
        public var title: String {
            workload + " sweep over " + parameter + (fixed.isEmpty ? "" : " (" + describe(fixed) + ")")
        }
    }

    /// The sweeps in `entries`: for each workload and parameter, results that agree on every other
    /// parameter and take at least two values of it.
    public static func sweeps(_ entries: [Entry]) -> [Sweep] {
        var sweeps: [Sweep] = []
        for (workload, members) in grouped(entries, by: { $0.result.workload }) {
            let keys = Set(members.flatMap { $0.result.params.keys }).sorted()
            for key in keys {
                let withKey = members.filter { $0.result.params[key] != nil && measured($0.result) != nil }
                for (_, same) in grouped(withKey, by: { e in describe(e.result.params.filter { $0.key != key }) }) {
                    if Set(same.map { $0.result.params[key]! }).count >= 2 {
                        sweeps.append(Sweep(workload: workload, parameter: key,
                                            fixed: same[0].result.params.filter { $0.key != key }, entries: same))
                    }
                }
            }
        }
        return sweeps
    }

    /// Time and (where recorded) GB/s or GFLOP/s against the swept parameter, log-log, one line per
    /// implementation.
    public static func scalingCharts(_ sweep: Sweep) -> [String] {
        let multiple = Set(sweep.entries.map(\.run)).count > 1
        let lines = grouped(sweep.entries) { label($0, multipleRuns: multiple) }
        func series(_ value: (BenchResult) -> Double?) -> [SVGChart.Series] {
            lines.enumerated().compactMap { index, line in
                let points = line.entries.compactMap { e -> (x: Double, y: Double)? in
                    guard let y = value(e.result), y > 0 else { return nil }
                    return (Double(e.result.params[sweep.parameter]!), y)
                }
                guard !points.isEmpty else { return nil }
                return SVGChart.Series(name: line.key + (line.entries[0].reference ? SVGChart.referenceSuffix : ""), points: points,
                                       color: SVGChart.palette[index % SVGChart.palette.count],
                                       dashed: line.entries[0].reference)
            }
        }
        var charts = [SVGChart.lineChart(title: sweep.title + ": time", xTitle: sweep.parameter + " (log scale)",
                                         yTitle: "median ms (log)", series: series { $0.medianMs })]
        let gbps = series { $0.gbps }, gflops = series { $0.gflops }
        if !gbps.isEmpty {
            charts.append(SVGChart.lineChart(title: sweep.title + ": bandwidth", xTitle: sweep.parameter + " (log scale)",
                                             yTitle: "GB/s (log)", series: gbps))
        } else if !gflops.isEmpty {
            charts.append(SVGChart.lineChart(title: sweep.title + ": throughput", xTitle: sweep.parameter + " (log scale)",
                                             yTitle: "GFLOP/s (log)", series: gflops))
        }
        return charts
    }
}
