#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Testing
import Tessera
@testable import TesseraBench
import TesseraReport
import TesseraTestSupport

/// Builders for report fixtures.
enum Fixture {
    static func result(_ workload: String, _ implementation: String, variant: String? = nil, device: String = "cpu",
                       n: Int, d: Int? = nil, ms: Double?, gbps: Double? = nil, check: String = "ok",
                       skipped: String? = nil) -> BenchResult {
        var params = ["n": n]
        if let d { params["d"] = d }
        var r = BenchResult(workload: workload, implementation: implementation, variant: variant, params: params)
        r.device = device
        if let skipped { r.skipped = skipped; return r }
        r.medianMs = ms
        r.minMs = ms.map { $0 * 0.9 }
        r.maxMs = ms.map { $0 * 1.2 }
        r.iqrMs = ms.map { $0 * 0.05 }
        r.samples = 5
        r.maxRelError = check == "ok" ? 1e-7 : 0.5
        r.check = check
        r.gbps = gbps
        return r
    }

    static func environment(cpu: String = "AMD EPYC", cores: Int = 2, peer: String? = "numpy 2.1.0") -> BenchEnvironment {
        BenchEnvironment(cpuModel: cpu, cpuSIMD: "avx2 fma", cores: cores, memoryBytes: 24 << 30, os: "Debian GNU/Linux 12",
                         swiftVersion: "6.3", blas: "OpenBLAS (/usr/lib/libopenblas.so)", threads: cores,
                         gitCommit: "0123456789abcdef0123", peer: peer)
    }

    static var results: [BenchResult] {
        [result("distance", "tessera", variant: "fused", n: 1_000_000, d: 32, ms: 12.5, gbps: 10.2),
         result("distance", "numpy", n: 1_000_000, d: 32, ms: 61.0, gbps: 2.1),
         result("matmul", "tessera", variant: "blas", n: 1000, ms: 40),
         result("matmul", "numpy", n: 1000, ms: 38, check: "failed"),
         result("matmul", "torch", n: 1000, ms: nil, skipped: "torch is not installed (ModuleNotFoundError)")]
    }

    static func run(_ results: [BenchResult] = results, source: String = "laptop.json", cpu: String = "AMD EPYC") -> ReportRun {
        ReportRun(source: source, report: BenchReport(environment: environment(cpu: cpu), results: results))
    }
}

@Suite struct SVGChartTests {
    func entries(_ results: [BenchResult] = Fixture.results) -> [ReportCharts.Entry] {
        ReportCharts.entries([Fixture.run(results)])
    }

    @Test func timeChartHasOneBarPerMeasuredResult() throws {
        let svg = try XMLCheck.parse(ReportCharts.timeChart(entries()))
        #expect(svg.name == "svg")
        #expect(svg.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.children.first?.name == "title")
        let bars = svg.elements("rect", class: "bar")
        #expect(bars.count == 4)
        let labels = svg.elements("text", class: "bar-label").map(\.text)
        #expect(labels == ["tessera (fused) · cpu", "numpy · cpu", "tessera (blas) · cpu", "numpy · cpu", "torch · cpu"])
        let groups = svg.elements("text", class: "group").map(\.text)
        #expect(groups == ["distance 1000000×32", "matmul n=1000"])
        let values = svg.elements("text", class: "bar-value").map(\.text)
        #expect(values == ["12.50 ms", "61.00 ms", "40.00 ms", "38.00 ms"])
        #expect(svg.all.contains { $0.name == "script" } == false)
    }

    @Test func barLengthsAreLogPositions() throws {
        let svg = try XMLCheck.parse(ReportCharts.timeChart(entries()))
        let widths = svg.elements("rect", class: "bar").map { Double($0.attributes["width"]!)! }
        let ticks = svg.elements("text", class: "tick-label")
        let x = Dictionary(uniqueKeysWithValues: ticks.map { ($0.text, Double($0.attributes["x"]!)!) })
        // The values span 12.5…61 ms, so the axis runs from 10 to 100 ms with ticks at 10, 20, 50, 100.
        #expect(ticks.map(\.text) == ["10", "20", "50", "100"])
        let decade = x["100"]! - x["10"]!
        #expect(Swift.abs((x["20"]! - x["10"]!) - decade * log10(2)) < 0.2)
        #expect(Swift.abs((x["50"]! - x["10"]!) - decade * log10(5)) < 0.2)
        // Bars start at the axis' left end, so a bar's width is decade × log10(value / 10 ms).
        for (width, ms) in zip(widths, [12.5, 61, 40, 38]) {
            #expect(Swift.abs(width - decade * log10(ms / 10)) < 0.2)
        }
    }

    @Test func textIsEscaped() throws {
        let odd = Fixture.result("a<b&\"c\">", "tessera", n: 5, ms: 1)
        let chart = ReportCharts.timeChart(entries([odd]))
        #expect(chart.contains("a&lt;b&amp;&quot;c&quot;&gt;"))
        let svg = try XMLCheck.parse(chart)
        #expect(svg.elements("text", class: "group").map(\.text) == ["a<b&\"c\"> n=5"])
    }

    @Test func speedupBarsCompareWithinTheSameWorkload() throws {
        let svg = try XMLCheck.parse(try #require(ReportCharts.speedupChart(entries())))
        let labels = svg.elements("text", class: "bar-label").map(\.text)
        #expect(labels == ["tessera (fused) · cpu vs numpy · cpu", "tessera (blas) · cpu vs numpy · cpu"])
        #expect(svg.elements("text", class: "bar-value").map(\.text) == ["4.88×", "0.95×"])
        #expect(svg.elements("line", class: "baseline").count == 1)
        #expect(ReportCharts.speedupChart(entries([Fixture.results[0]])) == nil)
    }

    @Test func sweepsGiveScalingCharts() throws {
        var results: [BenchResult] = []
        for n in [1_000_000, 5_000_000, 20_000_000] {
            results.append(Fixture.result("distance", "tessera", n: n, d: 32, ms: Double(n) / 1e5, gbps: 12))
            results.append(Fixture.result("distance", "numpy", n: n, d: 32, ms: Double(n) / 2e4, gbps: 2.5))
        }
        results.append(Fixture.result("matmul", "tessera", n: 1000, ms: 40))
        let sweeps = ReportCharts.sweeps(entries(results))
        #expect(sweeps.count == 1)
        let sweep = try #require(sweeps.first)
        #expect(sweep.parameter == "n" && sweep.fixed == ["d": 32] && sweep.entries.count == 6)
        #expect(sweep.title == "distance sweep over n (d=32)")
        let charts = try ReportCharts.scalingCharts(sweep).map(XMLCheck.parse)
        #expect(charts.count == 2)
        for chart in charts {
            #expect(chart.elements("polyline", class: "series").count == 2)
            #expect(chart.elements("circle", class: "point").count == 6)
            #expect(chart.elements("text", class: "legend").map(\.text) == ["tessera · cpu", "numpy · cpu"])
        }
        #expect(charts[0].elements("text", class: "tick-label").map(\.text).contains("1M"))
        #expect(ReportCharts.sweeps(entries()).isEmpty)
    }
}

@Suite struct HTMLReportTests {
    @Test func pageIsWellFormedAndComplete() throws {
        let html = HTMLReport.render(ReportRun.merge([Fixture.run()]))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let page = try XMLCheck.parse(html)
        #expect(page.name == "html")
        #expect(page.all.contains { $0.name == "script" || $0.name == "link" } == false)
        #expect(!html.replacingAllOccurrences("http://www.w3.org/2000/svg", with: "").contains("http"))
        let text = page.allText
        for expected in ["AMD EPYC", "avx2 fma", "24.0 GiB", "Debian GNU/Linux 12", "OpenBLAS", "numpy 2.1.0",
                         "0.1.0-dev", "0123456789ab", "none recorded"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        let table = try #require(page.elements("table", class: "results").first)
        #expect(table.elements("th").map(\.text) == ResultTable.header(Fixture.results))
        let rows = table.elements("tbody")[0].children
        #expect(rows.count == Fixture.results.count)
        let failed = rows.filter { $0.attributes["class"] == "failed" }
        #expect(failed.count == 1)
        #expect(failed.first?.elements("strong").first?.text == "FAILED (5.0e-01)")
        #expect(rows.filter { $0.attributes["class"] == "skipped" }.count == 1)
        #expect(page.elements("svg").count == 2)
    }

    @Test func mergingKeepsEveryRunAndLabelsReferenceRuns() throws {
        let laptop = Fixture.run(source: "runs/laptop.json")
        let sameMachine = Fixture.run([Fixture.result("multiply", "tessera", n: 2000, ms: 5)], source: "laptop-2.json")
        let cluster = Fixture.run([Fixture.result("distance", "tessera", variant: "fused", device: "cuda", n: 1_000_000, d: 32, ms: 0.4)],
                                  source: "/scratch/cluster-a100.json", cpu: "Intel Xeon Platinum")
        let runs = ReportRun.merge([laptop, sameMachine, cluster])
        #expect(runs.map(\.isReference) == [false, false, true])
        #expect(runs.map(\.label) == ["laptop", "laptop-2", "cluster-a100"])
        #expect(ReportRun.merge([laptop, laptop]).map(\.label) == ["laptop", "laptop #2"])
        let page = try XMLCheck.parse(HTMLReport.render(runs))
        #expect(page.elements("table", class: "results").count == 3)
        #expect(page.elements("section", class: "reference").count == 1)
        #expect(page.allText.contains("/scratch/cluster-a100.json"))
        #expect(page.elements("span", class: "ref").map(\.text) == ["reference figures, another machine",
                                                                    "reference figures, another machine"])
        let chart = try #require(page.elements("svg").first)
        #expect(chart.elements("rect", class: "bar").count == 4 + 1 + 1)
        #expect(chart.elements("text", class: "bar-label").map(\.text).contains("tessera (fused) · cuda [cluster-a100] (reference)"))
    }
}

@Suite struct TableFormatTests {
    /// An RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        return rows
    }

    @Test func csvRoundTripsValuesAndQuotes() throws {
        var results = Fixture.results
        results[4].skipped = "torch missing, \"pip install torch\""
        results[0].medianMs = 0.1 + 0.2
        let text = TableFormats.csv(results)
        #expect(text.hasSuffix("\r\n"))
        #expect(text.contains("\"torch missing, \"\"pip install torch\"\"\""))
        let rows = Self.parseCSV(text)
        #expect(rows.count == results.count + 1)
        let header = rows[0]
        #expect(header == ["workload", "implementation", "variant", "device", "params.n", "params.d", "median_ms", "min_ms",
                           "max_ms", "iqr_ms", "samples", "max_rel_error", "check", "gbps", "gflops", "skipped"])
        for (row, r) in zip(rows.dropFirst(), results) {
            #expect(row.count == header.count)
            let field = { (name: String) in row[header.firstIndex(of: name)!] }
            #expect(field("workload") == r.workload && field("implementation") == r.implementation)
            #expect(field("variant") == (r.variant ?? "") && field("device") == r.device)
            #expect(Int(field("params.n")) == r.params["n"])
            #expect(field("params.d") == (r.params["d"].map(String.init) ?? ""))
            #expect(Double(field("median_ms")) == r.medianMs)
            #expect(Double(field("iqr_ms")) == r.iqrMs)
            #expect(Double(field("max_rel_error")) == r.maxRelError)
            #expect(Double(field("gbps")) == r.gbps)
            #expect(field("check") == (r.check ?? "") && field("skipped") == (r.skipped ?? ""))
        }
        let merged = Self.parseCSV(TableFormats.csv(Array(results.prefix(2)), runs: ["a", "b,c"]))
        #expect(merged[0][0] == "run" && merged[1][0] == "a" && merged[2][0] == "b,c")
    }

    @Test func markdownHasOneRowPerResult() {
        var results = Fixture.results
        results[0].variant = "a|b"
        let lines = TableFormats.markdown(results).split(separator: "\n")
        #expect(lines.count == results.count + 2)
        #expect(lines[0] == "| " + ResultTable.header(results).joined(separator: " | ") + " |")
        #expect(lines[1].hasPrefix("| --- | --- | --- | ---: |"))
        #expect(lines[2].contains("tessera (a\\|b)"))
        #expect(lines[5].contains("**failed") && !lines[4].contains("**"))
        #expect(lines.allSatisfy { $0.hasPrefix("|") && $0.hasSuffix("|") })
        let merged = TableFormats.markdown(Array(results.prefix(2)), runs: ["laptop", "cluster"]).split(separator: "\n")
        #expect(merged.count == 4 && merged[0].hasPrefix("| run | workload"))
    }
}

@Suite struct ReportLoadTests {
    static func temporary(_ name: String, _ contents: String) throws -> String {
        let path = "/tmp/tessera-report-test-\(getpid())-\(name)"
        try AtomicFile.write(Array(contents.utf8), to: path)
        return path
    }

    @Test func roundTripsAJSONReport() throws {
        let encoder = JSONEncoder()
        let data = try encoder.encode(BenchReport(environment: Fixture.environment(), results: Fixture.results))
        var json = String(decoding: data, as: UTF8.self)
        // A newer writer's extra environment field is kept for the page.
        json = json.replacingFirst("\"environment\":{", with: "\"environment\":{\"gpu_name\":\"NVIDIA A100\",")
        let path = try Self.temporary("ok.json", json)
        defer { unlink(path) }
        let run = try ReportRun.load(path: path)
        #expect(run.report.results.count == Fixture.results.count)
        #expect(run.gpuDescription == "NVIDIA A100")
        #expect(run.environmentFields.first?.key == "cpu_model")
        #expect(HTMLReport.render([run]).contains("NVIDIA A100"))
    }

    @Test func badFilesGiveOneLineNamingThem() throws {
        let missing = "/tmp/definitely-not-here-\(getpid()).json"
        let error1 = #expect(throws: ReportLoadError.self) { try ReportRun.load(path: missing) }
        #expect(error1?.description == missing + ": no such file")
        let error5 = #expect(throws: ReportLoadError.self) { try ReportRun.load(path: "/tmp") }
        #expect(error5?.description == "/tmp: is a directory, not a JSON file")

        let garbage = try Self.temporary("garbage.json", "{ not json")
        defer { unlink(garbage) }
        let error2 = #expect(throws: ReportLoadError.self) { try ReportRun.load(path: garbage) }
        #expect(error2?.description == garbage + ": not valid JSON")

        let other = try Self.temporary("other.json", "{\"tessera_version\": \"0.1\", \"environment\": {}}")
        defer { unlink(other) }
        let error3 = #expect(throws: ReportLoadError.self) { try ReportRun.load(path: other) }
        #expect(error3?.description.hasPrefix(other + ": not a tessera bench report: missing field") == true)

        let empty = try Self.temporary("empty.json", "\n")
        defer { unlink(empty) }
        let error4 = #expect(throws: ReportLoadError.self) { try ReportRun.load(path: empty) }
        #expect(error4?.description == empty + ": the file is empty")
        for error in [error1, error2, error3, error4] { #expect(error?.description.contains("\n") == false) }
    }
}

extension String {
    func replacingAllOccurrences(_ target: String, with replacement: String) -> String {
        var text = self
        while text.contains(target) { text = text.replacingFirst(target, with: replacement) }
        return text
    }

    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = self.firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
