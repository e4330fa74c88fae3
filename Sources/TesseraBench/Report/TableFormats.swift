import Tessera
import TesseraReport

/// `--csv` and `--markdown`: the results as a spreadsheet-ready CSV and as a GitHub Markdown table.
public enum TableFormats {
    /// The CSV columns: the JSON field names, with `params` spread into one `params.<key>` column per key.
    static let leading = ["workload", "implementation", "variant", "device"]
    static let trailing = ["median_ms", "min_ms", "max_ms", "iqr_ms", "samples", "max_rel_error", "check", "gbps",
                           "gflops", "skipped"]

    /// RFC 4180 CSV: CRLF line ends, a header row, fields quoted when they hold a comma, quote or line break.
    /// Numbers are written in full (shortest round-tripping form); absent values are empty. With `runs`
    /// (one label per result) a leading `run` column names each result's source.
    public static func csv(_ results: [BenchResult], runs: [String]? = nil) -> String {
        let paramKeys = orderedParamKeys(results)
        var header = leading + paramKeys.map { "params." + $0 } + trailing
        if runs != nil { header.insert("run", at: 0) }
        var lines = [header.map(csvField).joined(separator: ",")]
        for (index, r) in results.enumerated() {
            let number = { (x: Double?) in x.map { String($0) } ?? "" }
            var row = [r.workload, r.implementation, r.variant ?? "", r.device]
            row += paramKeys.map { r.params[$0].map(String.init) ?? "" }
            row += [number(r.medianMs), number(r.minMs), number(r.maxMs), number(r.iqrMs), r.samples.map(String.init) ?? "",
                    number(r.maxRelError), r.check ?? "", number(r.gbps), number(r.gflops), r.skipped ?? ""]
            if let runs { row.insert(runs[index], at: 0) }
            lines.append(row.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `n` and `d` first, then the other parameter names alphabetically.
    static func orderedParamKeys(_ results: [BenchResult]) -> [String] {
        let keys = Set(results.flatMap { $0.params.keys })
        return ["n", "d"].filter(keys.contains) + keys.subtracting(["n", "d"]).sorted()
    }

    /// A GitHub table with the terminal table's columns (numbers right-aligned); `runs` adds a `run` column.
    public static func markdown(_ results: [BenchResult], runs: [String]? = nil) -> String {
        var header = ResultTable.header(results)
        let peerNames = ResultTable.peers(results)
        var alignment = header.indices.map { ResultTable.isNumeric($0) ? "---:" : "---" }
        if runs != nil { header.insert("run", at: 0); alignment.insert("---", at: 0) }
        var lines = [row(header), row(alignment)]
        for (index, r) in results.enumerated() {
            // Speed-ups compare within the same run only.
            let peers = runs.map { labels in results.indices.filter { labels[$0] == labels[index] }.map { results[$0] } } ?? results
            var cells = ResultTable.cells(r, among: peers, peers: peerNames)
            if r.check == "failed", cells.indices.contains(8) { cells[8] = "**" + cells[8] + "**" }
            if let runs { cells.insert(runs[index], at: 0) }
            lines.append(row(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingAll("|", with: "\\|").replacingAll("\n", with: " ") }.joined(separator: " | ") + " |"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
