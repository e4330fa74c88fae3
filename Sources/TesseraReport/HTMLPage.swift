/// The page every Tessera HTML report is poured into, so the reports look alike: one self-contained file (inline
/// CSS, inline SVG, no scripts, nothing loaded from the network), written as well-formed XML so tests can parse it.
///
/// ```swift
/// let html = HTMLPage.render(title: "Tessera profile report", lead: "Distances of 1000 cells …",
///                            body: "<h2>Distances</h2>\n" + chart, footer: "Written by tessera 0.1.0.")
/// ```
///
/// The shared styles cover headings, the lead paragraph, cards (`section.card`), key–value tables
/// (`table.env`), data tables (`table.results`, right-aligned `td.num`), badges, figures and the footer.
public enum HTMLPage {
    /// Renders a page: the head with the shared styles and `css`, the title as `<h1>`, the lead paragraph,
    /// `body`, and the footer.
    ///
    /// - Parameters:
    ///   - title: The page's title, as plain text (escaped here).
    ///   - lead: The paragraph under the title, as HTML (the caller escapes what it inserts).
    ///   - body: The sections, as HTML.
    ///   - footer: The footer's content, as HTML.
    ///   - css: Styles of this report only, appended to the shared ones.
    /// - Returns: The whole document, starting with `<!DOCTYPE html>`.
    public static func render(title: String, lead: String, body: String, footer: String, css: String = "") -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        html += "<title>\(xmlEscaped(title))</title><style>\(sharedCSS)\(css)</style></head><body>\n"
        html += "<h1>\(xmlEscaped(title))</h1>\n"
        html += "<p class=\"lead\">\(lead)</p>\n"
        html += body
        html += "<footer>\(footer)</footer>\n"
        html += "</body></html>\n"
        return html
    }

    static let sharedCSS = """
        body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222;line-height:1.4}\
        h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}\
        h3{font-size:15px;margin:6px 0}.lead{color:#555}\
        .card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;flex:1 1 420px}\
        table{border-collapse:collapse;font-size:13px}table.env th{text-align:left;padding:2px 12px 2px 0;color:#555;font-weight:500;vertical-align:top}\
        table.env td{padding:2px 0;word-break:break-word}\
        table.results{margin:8px 0 18px;width:100%}table.results caption{text-align:left;font-weight:600;padding:4px 0}\
        table.results th,table.results td{padding:4px 8px;border-bottom:1px solid #e4e4e4;white-space:nowrap}\
        table.results th{background:#f3f3f3;text-align:left}table.results td.num{text-align:right;font-variant-numeric:tabular-nums}\
        td.bad,.bad{color:#b00020}\
        .badge{font-size:11px;font-weight:500;background:#e8f0fe;color:#1a4fa0;border-radius:4px;padding:1px 6px;margin-left:6px}\
        figure{margin:12px 0;overflow-x:auto}footer{margin-top:28px;font-size:12px;color:#666}
        """
}
