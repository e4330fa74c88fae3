import Tessera
import TesseraReport

/// The `--report FILE.html` page: one self-contained file (inline CSS and SVG, no scripts, no network) with
/// each run's environment and results table, and the charts, in the shared `HTMLPage` shell.
public enum HTMLReport {
    /// The page for `runs` (see `ReportRun.merge` for labelling runs from other machines).
    public static func render(_ runs: [ReportRun], title: String = "Tessera benchmark report") -> String {
        let entries = ReportCharts.entries(runs)
        var html = "<h2>Environment</h2>\n<div class=\"runs\">"
        for (index, run) in runs.enumerated() { html += environmentCard(run, index: index, of: runs.count) }
        html += "</div>\n"

        html += "<h2>Results</h2>\n"
        for (index, run) in runs.enumerated() { html += resultsTable(run, index: index, of: runs.count) }

        html += "<h2>Charts</h2>\n"
        if entries.contains(where: { ReportCharts.measured($0.result) != nil }) {
            html += "<figure>\(ReportCharts.timeChart(entries))</figure>\n"
            if let speedup = ReportCharts.speedupChart(entries) { html += "<figure>\(speedup)</figure>\n" }
            let sweeps = ReportCharts.sweeps(entries)
            if !sweeps.isEmpty {
                html += "<h3>Scaling</h3>\n<div class=\"scaling\">"
                for sweep in sweeps {
                    for chart in ReportCharts.scalingCharts(sweep) { html += "<figure>\(chart)</figure>" }
                }
                html += "</div>\n"
            }
        } else {
            html += "<p>No measured results to chart.</p>\n"
        }
        return HTMLPage.render(
            title: title, lead: summary(runs), body: html,
            footer: "Times are medians of the timed runs after warm-up; IQR and sample counts are in the JSON. "
                + "Runs marked <em>reference figures</em> were measured on another machine and are shown for comparison only.",
            css: css)
    }

    static func summary(_ runs: [ReportRun]) -> String {
        guard let first = runs.first else { return "No runs." }
        let results = runs.reduce(0) { $0 + $1.report.results.count }
        let failed = runs.reduce(0) { $0 + $1.report.results.filter { $0.check == "failed" }.count }
        var text = runs.count == 1
            ? "One run on \(xmlEscaped(first.machine)), \(results) results."
            : "\(runs.count) runs merged, \(results) results; the first run's machine is this report's own, runs from other machines are marked as reference figures."
        if failed > 0 { text += " <strong class=\"bad\">\(failed) result\(failed == 1 ? "" : "s") failed the check against float64.</strong>" }
        return text
    }

    static let fieldNames = ["cpu_model": "CPU", "cpu_simd": "SIMD", "cores": "Cores", "threads": "Threads",
                             "memory_bytes": "Memory", "os": "OS", "swift_version": "Swift", "blas": "BLAS",
                             "gpu": "GPU", "gpu_name": "GPU", "driver": "Driver", "cuda": "CUDA", "nvrtc": "NVRTC",
                             "cublas": "cuBLAS", "peer": "Peer versions"]

    static func runHeading(_ run: ReportRun, index: Int, of count: Int) -> String {
        var text = count > 1 ? "Run \(index + 1): \(xmlEscaped(run.label))" : "This run: " + xmlEscaped(run.machine)
        if run.isReference { text += " <span class=\"badge ref\">reference figures, another machine</span>" }
        else if count > 1 { text += " <span class=\"badge\">this machine</span>" }
        return text
    }

    static func environmentCard(_ run: ReportRun, index: Int, of count: Int) -> String {
        var rows: [(String, String)] = [("Source", run.source),
                                        ("Tessera", run.report.tesseraVersion + (run.report.gitCommit.map { " (commit \($0.prefix(12)))" } ?? ""))]
        for field in run.environmentFields {
            rows.append((fieldNames[field.key] ?? field.key, field.value))
        }
        if run.gpuDescription == nil {
            rows.insert(("GPU", "none recorded"), at: Swift.min(rows.count, rows.firstIndex { $0.0 == "BLAS" }.map { $0 + 1 } ?? rows.count))
        }
        if !run.environmentFields.contains(where: { $0.key == "peer" }) { rows.append(("Peer versions", "none")) }
        var html = "<section class=\"card\(run.isReference ? " reference" : "")\"><h3>\(runHeading(run, index: index, of: count))</h3><table class=\"env\">"
        for (name, value) in rows { html += "<tr><th>\(xmlEscaped(name))</th><td>\(xmlEscaped(value))</td></tr>" }
        return html + "</table></section>"
    }

    static func resultsTable(_ run: ReportRun, index: Int, of count: Int) -> String {
        let results = run.report.results
        let peers = ResultTable.peers(results)
        var html = "<table class=\"results\(run.isReference ? " reference" : "")\">"
        if count > 1 { html += "<caption>\(runHeading(run, index: index, of: count))</caption>" }
        html += "<thead><tr>" + ResultTable.header(results).map { "<th>\(xmlEscaped($0))</th>" }.joined() + "</tr></thead><tbody>"
        for result in results {
            let cells = ResultTable.cells(result, among: results, peers: peers)
            if result.skipped != nil {
                html += "<tr class=\"skipped\">" + cells.prefix(3).map { "<td>\(xmlEscaped($0))</td>" }.joined()
                html += "<td colspan=\"\(cells.count - 3)\">\(xmlEscaped(cells[3]))</td></tr>"
                continue
            }
            let failed = result.check == "failed"
            html += failed ? "<tr class=\"failed\">" : "<tr>"
            for (column, cell) in cells.enumerated() {
                let isCheck = column == 8
                let cls = [ResultTable.isNumeric(column) ? "num" : nil, isCheck && failed ? "bad" : nil].compactMap { $0 }
                html += cls.isEmpty ? "<td>" : "<td class=\"\(cls.joined(separator: " "))\">"
                html += isCheck && failed ? "<strong>\(xmlEscaped(cell.hasPrefix("failed") ? "FAILED" + cell.dropFirst(6) : cell))</strong>" : xmlEscaped(cell)
                html += "</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>\n"
    }

    /// Styles of this report beyond ``HTMLPage``'s: run cards side by side, reference runs, failed and skipped rows.
    static let css = """
        .runs{display:flex;flex-wrap:wrap;gap:12px}.card.reference{background:#fafafa;border-style:dashed}\
        table.results.reference{opacity:.85}tr.failed td{background:#fde2e2}tr.skipped td{color:#888}\
        .badge.ref{background:#fff3cd;color:#7a5a00}.scaling{display:flex;flex-wrap:wrap;gap:8px}
        """
}
