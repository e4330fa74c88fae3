import Tessera
import TesseraReport

/// The `tessera profile --report FILE.html` page: one self-contained file (inline CSS and SVG, no scripts, no
/// network) in the same `HTMLPage` shell as the benchmark report.
///
/// It shows the input, the distance summary, a histogram of the distances with the percentiles and the outlier
/// threshold marked, and — when the data has them — the outlier rows, per-channel means of the outliers against
/// the other cells, the k-means cluster sizes and the nearest-profile counts. Every text is escaped and numbers
/// are written as `%.6g` (``formatNumber(_:)``).
///
/// ```swift
/// try AtomicFile.write(Array(ProfileReport.render(data).utf8), to: "report.html")
/// ```
///
/// ### See Also
/// - ``ProfileReportData``
public enum ProfileReport {
    /// The whole page for `data`, starting with `<!DOCTYPE html>`.
    ///
    /// - Parameter data: What the page shows; nil sections are left out.
    /// - Returns: The HTML document, well-formed XML.
    public static func render(_ data: ProfileReportData) -> String {
        var body = input(data) + distances(data)
        if let outliers = data.outliers { body += outlierSection(outliers, rows: data.rows) }
        body += channelSection(data)
        if let clusters = data.clusters { body += clusterSection(clusters) }
        if let nearest = data.nearestProfiles { body += nearestSection(nearest) }
        var footer = data.generator.map { "Written by \(xmlEscaped($0)). " } ?? ""
        let edges = data.histogram.edges
        footer += "Percentiles are exact (linear interpolation, as NumPy's default); the histogram has "
            + "\(data.histogram.counts.count) equal-width bins from \(formatNumber(edges.first ?? .nan)) to \(formatNumber(edges.last ?? .nan))."
        return HTMLPage.render(title: "Tessera profile report", lead: lead(data), body: body, footer: footer, css: css)
    }

    static func lead(_ data: ProfileReportData) -> String {
        var text = "The \(xmlEscaped(data.metric)) distance of each of \(data.rows) cells in <strong>\(xmlEscaped(data.file))</strong> "
            + "to the reference profile <em>\(xmlEscaped(data.referenceName))</em>, over \(data.channels.count) "
            + "channel\(data.channels.count == 1 ? "" : "s")"
        text += data.transform == "none" ? "." : " after the \(xmlEscaped(data.transform)) transform."
        if let outliers = data.outliers {
            text += " <strong>\(outliers.total) outlier\(outliers.total == 1 ? "" : "s")</strong> (\(xmlEscaped(outliers.rule)))."
        }
        return text
    }

    static func input(_ data: ProfileReportData) -> String {
        let rows = [("File", data.file), ("Format", data.format), ("Cells", "\(data.rows)"),
                    ("Channels", "\(data.channels.count): " + data.channels.joined(separator: ", ")),
                    ("Transform", data.transform), ("Metric", data.metric), ("Reference profile", data.referenceName)]
        var html = "<h2>Input</h2>\n<section class=\"card\"><table class=\"env\">"
        for (name, value) in rows { html += "<tr><th>\(name)</th><td>\(xmlEscaped(value))</td></tr>" }
        return html + "</table></section>\n"
    }

    /// The summary as two one-row tables, the statistics and the percentiles, which wrap under each other
    /// on a narrow page; then the histogram.
    static func distances(_ data: ProfileReportData) -> String {
        let s = data.summary
        let statistics = [("cells", "\(s.count)"), ("mean", formatNumber(s.mean)), ("std", formatNumber(s.std)),
                          ("min", formatNumber(s.min)), ("max", formatNumber(s.max))]
        let percentiles = s.percentiles.map { (percentileName($0.percent), formatNumber($0.value)) }
        var html = "<h2>Distances</h2>\n<div class=\"tables\">"
        for columns in [statistics, percentiles] where !columns.isEmpty {
            html += "<table class=\"results summary\"><thead><tr>" + columns.map { "<th>\(xmlEscaped($0.0))</th>" }.joined()
            html += "</tr></thead><tbody><tr>" + columns.map { "<td class=\"num\">\(xmlEscaped($0.1))</td>" }.joined() + "</tr></tbody></table>"
        }
        return html + "</div>\n<figure>\(histogram(data))</figure>\n"
    }

    /// The histogram, its count axis logarithmic when the fullest bin holds 100 times the emptiest non-empty one
    /// (a long tail would otherwise not show).
    static func histogram(_ data: ProfileReportData) -> String {
        let counts = data.histogram.counts
        let nonEmpty = counts.filter { $0 > 0 }
        let logCounts = (nonEmpty.max() ?? 0) >= 100 * (nonEmpty.min() ?? 1)
        var markers = data.summary.percentiles.map {
            SVGChart.Marker(label: percentileName($0.percent), value: $0.value, color: $0.percent == 50 ? "#222" : "#666",
                            detail: percentileName($0.percent) + " = " + formatNumber($0.value))
        }
        if let outliers = data.outliers {
            markers.append(SVGChart.Marker(label: "threshold " + formatNumber(outliers.threshold), value: outliers.threshold,
                                           color: "#d62728", dashed: true, detail: "outliers: " + outliers.rule))
        }
        return SVGChart.histogram(title: "Distance to the reference profile", xTitle: "\(data.metric) distance",
                                  yTitle: logCounts ? "cells (log scale)" : "cells", edges: data.histogram.edges,
                                  counts: counts, markers: markers, logCounts: logCounts, format: formatNumber)
    }

    /// The outliers listed in tables of 25 rows side by side.
    static func outlierSection(_ outliers: ProfileReportData.OutlierList, rows: Int) -> String {
        var html = "<h2>Outliers</h2>\n<p>Rule: <strong>\(xmlEscaped(outliers.rule))</strong> (threshold "
            + "\(formatNumber(outliers.threshold))). \(outliers.total) of \(rows) cells (\(percent(outliers.total, of: rows))) are outliers"
        html += outliers.rows.isEmpty ? ".</p>\n" : "; their rows:</p>\n<div class=\"tables\">"
        for start in stride(from: 0, to: outliers.rows.count, by: 25) {
            html += "<table class=\"results outliers\"><thead><tr><th>row</th><th>distance</th></tr></thead><tbody>"
            for (row, distance) in outliers.rows[start..<Swift.min(start + 25, outliers.rows.count)] {
                html += "<tr><td class=\"num\">\(row)</td><td class=\"num\">\(formatNumber(distance))</td></tr>"
            }
            html += "</tbody></table>"
        }
        if !outliers.rows.isEmpty { html += "</div>\n" }
        if outliers.total > outliers.rows.count {
            html += "<p class=\"more\">… \(outliers.total - outliers.rows.count) more not listed.</p>\n"
        }
        return html
    }

    /// The reference profile per channel and, with channel means, the outliers' mean against the rest's.
    static func channelSection(_ data: ProfileReportData) -> String {
        let means = data.channelMeans
        let differences = data.channels.indices.map { i in
            means.map { value($0.outliers, i) - value($0.rest, i) } ?? .nan
        }
        let largest = differences.filter(\.isFinite).map(Swift.abs).max() ?? 0
        var html = "<h2>Channels</h2>\n"
        if means != nil { html += "<p>Mean of each channel over the outlier cells and over the other cells.</p>\n" }
        html += "<table class=\"results channels\"><thead><tr><th>channel</th><th>reference</th>"
        if means != nil { html += "<th>outliers</th><th>other cells</th><th>difference</th><th></th>" }
        html += "</tr></thead><tbody>"
        for (i, channel) in data.channels.enumerated() {
            html += "<tr><td>\(xmlEscaped(channel))</td><td class=\"num\">\(formatNumber(value(data.reference, i)))</td>"
            if let means {
                let d = differences[i]
                html += "<td class=\"num\">\(formatNumber(value(means.outliers, i)))</td><td class=\"num\">\(formatNumber(value(means.rest, i)))</td>"
                html += "<td class=\"num\">\(d > 0 ? "+" : "")\(formatNumber(d))</td>"
                html += "<td>\(SVGChart.inlineBar(d, range: -largest...largest, color: d > 0 ? "#d62728" : "#1f77b4"))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>\n"
    }

    static func clusterSection(_ clusters: ProfileReportData.Clusters) -> String {
        let html = "<h2>Clusters</h2>\n<p>k-means with k = \(clusters.sizes.count): inertia \(formatNumber(clusters.inertia)) "
            + "after \(clusters.iterations) iteration\(clusters.iterations == 1 ? "" : "s")"
            + (clusters.converged ? " (converged).</p>\n" : " <strong class=\"bad\">(did not converge)</strong>.</p>\n")
        return html + shareTable(header: "cluster", names: clusters.sizes.indices.map { "\($0)" }, counts: clusters.sizes)
    }

    static func nearestSection(_ nearest: ProfileReportData.NearestProfiles) -> String {
        "<h2>Nearest profiles</h2>\n<p>Each cell counted under the reference profile it is nearest to.</p>\n"
            + shareTable(header: "profile", names: nearest.names, counts: nearest.counts)
    }

    /// Names with their counts, each count's share of the total and a bar.
    static func shareTable(header: String, names: [String], counts: [Int]) -> String {
        let total = counts.reduce(0, +), largest = counts.max() ?? 0
        var html = "<table class=\"results shares\"><thead><tr><th>\(header)</th><th>cells</th><th>share</th><th></th></tr></thead><tbody>"
        for (name, count) in zip(names, counts) {
            html += "<tr><td>\(xmlEscaped(name))</td><td class=\"num\">\(count)</td><td class=\"num\">\(percent(count, of: total))</td>"
            html += "<td>\(SVGChart.inlineBar(Double(count), range: 0...Double(Swift.max(largest, 1)), color: "#4c8cc4"))</td></tr>"
        }
        return html + "</tbody></table>\n"
    }

    /// `p50`, `p99.9`.
    static func percentileName(_ percent: Double) -> String { "p" + formatNumber(percent) }

    /// `12.3 %`.
    static func percent(_ count: Int, of total: Int) -> String {
        total > 0 ? NumberFormat.fixed(100 * Double(count) / Double(total), fractionDigits: 1) + " %" : "–"
    }

    /// `values[i]`, or NaN (printed `nan`) when the caller passed fewer values than channels.
    static func value(_ values: [Double], _ i: Int) -> Double { values.indices.contains(i) ? values[i] : .nan }

    /// Styles of this page beyond ``HTMLPage``'s: small tables as wide as their content and side by side, inline
    /// bars aligned with the text.
    static let css = """
        table.results.channels,table.results.shares{width:auto}\
        .tables{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start;overflow-x:auto}\
        .tables table.results{width:auto;margin:0 0 12px}\
        svg.inline-bar{vertical-align:middle}p.more{color:#555;font-style:italic}
        """
}
