import Testing
import Tessera
import TesseraBio
import TesseraTestSupport

/// `ProfileReport`: the `tessera profile --report` page, parsed back as XML.
@Suite struct ProfileReportTests {
    /// 200 distances `10·u²` for `u` evenly spread over (0, 1): skewed right, all within 0…10.
    static let distances: [Double] = (0..<200).map { (i: Int) -> Double in
        let u: Double = (Double(i) + 0.5) / 200
        return 10 * u * u
    }

    /// A page with every section; five bins over exactly 0…10, so the histogram's x axis is 0…10.
    static func data(channels: [String] = ["CD3", "CD19", "CD45"], full: Bool = true) -> ProfileReportData {
        let values = Tensor(distances, dtype: .float64)
        var data = ProfileReportData(
            file: "sample.fcs", format: "FCS 3.1", rows: distances.count, channels: channels, transform: "asinh:5",
            metric: "euclidean", referenceName: "median", reference: [1.5, -0.25, 3], generator: "tessera 0.1.0-test",
            summary: DistanceSummary(of: values), histogram: Histogram(of: values, bins: 5, range: 0...10))
        guard full else { return data }
        let outliers = distances.enumerated().filter { $0.element > 8 }.map { (row: $0.offset, distance: $0.element) }
        data.outliers = ProfileReportData.OutlierList(rule: "MAD z > 3.5", threshold: 8, total: outliers.count, rows: outliers)
        data.channelMeans = ProfileReportData.ChannelMeans(outliers: [2.123456789, -1, 3], rest: [1, 0.5, 3])
        data.clusters = ProfileReportData.Clusters(sizes: [100, 60, 40], inertia: 1234.56789, iterations: 7, converged: true)
        data.nearestProfiles = ProfileReportData.NearestProfiles(names: ["T cells", "B cells"], counts: [150, 50])
        return data
    }

    static func page(_ data: ProfileReportData) throws -> XMLNode { try XMLCheck.parse(ProfileReport.render(data)) }

    static func number(_ node: XMLNode, _ attribute: String) -> Double { Double(node.attributes[attribute] ?? "") ?? .nan }

    @Test func pageIsWellFormedWithEverySection() throws {
        let html = ProfileReport.render(Self.data())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let page = try XMLCheck.parse(html)
        #expect(page.name == "html")
        #expect(page.elements("h2").map(\.text) == ["Input", "Distances", "Outliers", "Channels", "Clusters", "Nearest profiles"])
        // The histogram, one bar per channel difference, one per cluster and one per profile; all inline XML.
        let svgs = page.elements("svg")
        #expect(svgs.count == 1 + 3 + 3 + 2)
        #expect(svgs.allSatisfy { $0.attributes["xmlns"] == "http://www.w3.org/2000/svg" })
        #expect(page.all.contains { $0.name == "script" || $0.name == "link" || $0.name == "img" } == false)
        var offline = html
        while let ns = offline.firstRange(of: "http://www.w3.org/2000/svg") { offline.removeSubrange(ns) }
        #expect(!offline.contains("http") && !offline.contains("url("))
        #expect(page.elements("footer").first?.text.hasPrefix("Written by tessera 0.1.0-test.") == true)
        let input = try #require(page.elements("table", class: "env").first)
        #expect(input.elements("th").map(\.text) == ["File", "Format", "Cells", "Channels", "Transform", "Metric", "Reference profile"])
        #expect(input.elements("td").map(\.text) == ["sample.fcs", "FCS 3.1", "200", "3: CD3, CD19, CD45", "asinh:5", "euclidean", "median"])
    }

    @Test func optionalSectionsAreLeftOutWhenNil() throws {
        let page = try Self.page(Self.data(full: false))
        #expect(page.elements("h2").map(\.text) == ["Input", "Distances", "Channels"])
        #expect(page.elements("svg").count == 1)
        let chart = try #require(page.elements("svg").first)
        #expect(chart.elements("text", class: "marker-label").map(\.text) == ["p1", "p5", "p25", "p50", "p75", "p95", "p99"])
        let channels = try #require(page.elements("table", class: "channels").first)
        #expect(channels.elements("th").map(\.text) == ["channel", "reference"])
        #expect(channels.elements("td").map(\.text) == ["CD3", "1.5", "CD19", "-0.25", "CD45", "3"])
        #expect(try #require(page.elements("p", class: "lead").first).allText.contains("outlier") == false)
    }

    @Test func hostileStringsAreEscaped() throws {
        let channels = ["<CD3>", "a&b", "\"q\" 'x'"]
        var data = Self.data(channels: channels)
        data.file = "x<y>&z.fcs"
        data.referenceName = "<script>alert(1)</script>"
        data.transform = "asinh:<5>"
        data.generator = "tessera <dev> & co"
        data.outliers?.rule = "d > 3 & \"<5>\""
        data.nearestProfiles?.names = ["<A>", "B&B"]
        let html = ProfileReport.render(data)
        for raw in channels + ["x<y>&z.fcs", "<script>", "asinh:<5>", "<dev> &", "d > 3 & \"<5>\"", "<A>", "B&B"] {
            #expect(!html.contains(raw), "\(raw) is not escaped")
        }
        let page = try XMLCheck.parse(html)
        #expect(page.all.contains { $0.name == "script" } == false)
        let text = page.allText
        for decoded in ["x<y>&z.fcs", "<script>alert(1)</script>", "asinh:<5>", "tessera <dev> & co", "d > 3 & \"<5>\""] {
            #expect(text.contains(decoded), "missing \(decoded)")
        }
        let channelCells = try #require(page.elements("table", class: "channels").first).elements("tbody")[0].children.map { $0.children[0].text }
        #expect(channelCells == channels)
        let profiles = try #require(page.elements("table", class: "shares").last).elements("tbody")[0].children.map { $0.children[0].text }
        #expect(profiles == ["<A>", "B&B"])
        let threshold = try #require(page.elements("svg").first?.elements("line", class: "marker").first { $0.attributes["stroke-dasharray"] != nil })
        #expect(threshold.elements("title").first?.text == "outliers: d > 3 & \"<5>\"")
    }

    @Test func histogramBarsAreProportionalToCounts() throws {
        let data = Self.data()
        let counts = data.histogram.counts
        #expect(counts == [89, 37, 29, 24, 21])
        let chart = try #require(try Self.page(data).elements("svg").first)
        let bars = chart.elements("rect", class: "bar")
        #expect(bars.count == counts.count)
        #expect(bars.map { $0.elements("title").first?.text } == ["[0, 2): 89", "[2, 4): 37", "[4, 6): 29", "[6, 8): 24", "[8, 10]: 21"])
        let plot = try #require(chart.elements("rect", class: "plot").first)
        let bottom = Self.number(plot, "y") + Self.number(plot, "height")
        // Counts up to 89 give a linear 0…100 axis.
        #expect(chart.elements("text", class: "axis-title").map(\.text) == ["euclidean distance", "cells"])
        for (bar, count) in zip(bars, counts) {
            #expect(Swift.abs(Self.number(bar, "height") - Self.number(plot, "height") * Double(count) / 100) < 0.1)
            #expect(Swift.abs(Self.number(bar, "y") + Self.number(bar, "height") - bottom) < 0.1)
        }
    }

    @Test func markersSitAtThePercentilesAndTheThreshold() throws {
        let data = Self.data()
        let chart = try #require(try Self.page(data).elements("svg").first)
        let plot = try #require(chart.elements("rect", class: "plot").first)
        let (left, width) = (Self.number(plot, "x"), Self.number(plot, "width"))
        let lines = chart.elements("line", class: "marker")
        let byTitle = Dictionary(uniqueKeysWithValues: lines.map { ($0.elements("title").first?.text ?? "", $0) })
        var expected = data.summary.percentiles.map { ("p" + formatNumber($0.percent) + " = " + formatNumber($0.value), $0.value) }
        expected.append(("outliers: MAD z > 3.5", 8))
        #expect(lines.count == expected.count)
        for (title, value) in expected {
            let line = try #require(byTitle[title], "no marker titled \(title)")
            // The x axis is 0…10 (the bins' range), so a value v stands at v / 10 of the plot's width.
            #expect(Swift.abs(Self.number(line, "x1") - (left + width * value / 10)) < 0.1, "\(title)")
        }
        #expect(byTitle["outliers: MAD z > 3.5"]?.attributes["stroke-dasharray"] != nil)
        let labels = chart.elements("text", class: "marker-label").map(\.text)
        #expect(Set(labels) == ["p1", "p5", "p25", "p50", "p75", "p95", "p99", "threshold 8"])
    }

    @Test func longTailsGetALogCountAxis() throws {
        // 990 values near 1 and a tail of ten spread to 10: the fullest bin holds more than 100 times the tail's.
        let values = Tensor((0..<990).map { 1 + Double($0) / 9900 } + (1...10).map(Double.init), dtype: .float64)
        var data = Self.data(full: false)
        data.summary = DistanceSummary(of: values)
        data.histogram = Histogram(of: values, bins: 10)
        let chart = try #require(try Self.page(data).elements("svg").first)
        #expect(chart.elements("text", class: "axis-title").last?.text == "cells (log scale)")
        let counts = data.histogram.counts
        #expect(counts.max()! >= 100 * counts.filter { $0 > 0 }.min()!)
        // On a log axis a bin of one value still has a visible bar.
        let heights = chart.elements("rect", class: "bar").map { Self.number($0, "height") }
        #expect(counts.contains(1) && zip(heights, counts).allSatisfy { $1 > 0 ? $0 >= 1 : $0 == 0 })
    }

    @Test func outlierListSaysHowManyMore() throws {
        var data = Self.data()
        data.rows = 10_000
        data.outliers = ProfileReportData.OutlierList(rule: "above p99 = 4.31", threshold: 4.31, total: 250,
                              rows: (0..<100).map { (row: 1000 + $0, distance: 5 + Double($0) / 3) })
        let page = try Self.page(data)
        let tables = page.elements("table", class: "outliers")
        #expect(tables.count == 4)
        #expect(tables.map { $0.elements("tbody")[0].children.count } == [25, 25, 25, 25])
        let first = tables[0].elements("tbody")[0].children[1].children.map(\.text)
        #expect(first == ["1001", "5.33333"])
        #expect(page.elements("p", class: "more").map(\.text) == ["… 150 more not listed."])
        #expect(ProfileReport.render(data).contains(
            "<p>Rule: <strong>above p99 = 4.31</strong> (threshold 4.31). 250 of 10000 cells (2.5 %) are outliers; their rows:</p>"))
    }

    @Test func numbersAreReadable() throws {
        let data = Self.data()
        let page = try Self.page(data)
        let summary = page.elements("table", class: "summary")
        #expect(summary.map { $0.elements("th").map(\.text) } == [["cells", "mean", "std", "min", "max"],
                                                                 ["p1", "p5", "p25", "p50", "p75", "p95", "p99"]])
        let cells = summary.flatMap { $0.elements("td").map(\.text) }
        #expect(cells[0] == "200" && cells[1] == formatNumber(data.summary.mean) && cells[1].count <= 8)
        #expect(cells[8] == formatNumber(data.summary.percentiles[3].value))
        let channels = try #require(page.elements("table", class: "channels").first)
        #expect(channels.elements("th").map(\.text) == ["channel", "reference", "outliers", "other cells", "difference", ""])
        let rows = channels.elements("tbody")[0].children.map { $0.children.prefix(5).map(\.text) }
        #expect(rows == [["CD3", "1.5", "2.12346", "1", "+1.12346"], ["CD19", "-0.25", "-1", "0.5", "-1.5"], ["CD45", "3", "3", "3", "0"]])
        // The largest difference fills half the cell (the other half is for the opposite sign).
        let widths = channels.elements("svg").compactMap { $0.elements("rect").first }.map { Self.number($0, "width") }
        #expect(widths.count == 3 && Swift.abs(widths[0] - 1.123456789 / 1.5 * 60) < 0.1 && widths[1] == 60 && widths[2] == 0)
        let clusters = page.allText
        #expect(clusters.contains("k-means with k = 3: inertia 1234.57 after 7 iterations (converged)."))
        let shares = page.elements("table", class: "shares").map { $0.elements("tbody")[0].children.map { $0.children.prefix(3).map(\.text) } }
        #expect(shares == [[["0", "100", "50.0 %"], ["1", "60", "30.0 %"], ["2", "40", "20.0 %"]],
                           [["T cells", "150", "75.0 %"], ["B cells", "50", "25.0 %"]]])
    }

    @Test func aClusteringThatDidNotConvergeIsFlagged() throws {
        var data = Self.data()
        data.clusters?.converged = false
        let page = try Self.page(data)
        #expect(page.elements("strong", class: "bad").map(\.text) == ["(did not converge)"])
    }
}
