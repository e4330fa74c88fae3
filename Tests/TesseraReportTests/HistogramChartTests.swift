#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraReport
import TesseraTestSupport

@Suite struct HistogramChartTests {
    /// Five bins of width 2 from 0 to 10: the x axis is exactly 0…10.
    static let edges: [Double] = [0, 2, 4, 6, 8, 10]
    static let counts = [4, 10, 0, 6, 2]

    static func number(_ node: XMLNode, _ attribute: String) -> Double { Double(node.attributes[attribute] ?? "") ?? .nan }

    /// The plot area's left, top, width and height.
    static func plot(_ svg: XMLNode) throws -> (x: Double, y: Double, width: Double, height: Double) {
        let rect = try #require(svg.elements("rect", class: "plot").first)
        return (number(rect, "x"), number(rect, "y"), number(rect, "width"), number(rect, "height"))
    }

    /// The x axis' labels are centred under their ticks, the y axis' end left of theirs.
    static func xTickLabels(_ svg: XMLNode) -> [String] {
        svg.elements("text", class: "tick-label").filter { $0.attributes["text-anchor"] == "middle" }.map(\.text)
    }

    static func yTickLabels(_ svg: XMLNode) -> [String] {
        svg.elements("text", class: "tick-label").filter { $0.attributes["text-anchor"] == "end" }.map(\.text)
    }

    @Test func barsSpanTheirBinsAndAreAsTallAsTheirCounts() throws {
        let svg = try XMLCheck.parse(SVGChart.histogram(title: "T", xTitle: "distance", yTitle: "cells",
                                                        edges: Self.edges, counts: Self.counts))
        #expect(svg.name == "svg" && svg.children.first?.name == "title")
        let plot = try Self.plot(svg)
        let bars = svg.elements("rect", class: "bar")
        #expect(bars.count == Self.counts.count)
        // Counts up to 10 give a 0…10 axis: a count of c is c / 10 of the plot's height, standing on its bottom.
        for (bar, count) in zip(bars, Self.counts) {
            #expect(Swift.abs(Self.number(bar, "height") - plot.height * Double(count) / 10) < 0.1)
            #expect(Swift.abs(Self.number(bar, "y") + Self.number(bar, "height") - (plot.y + plot.height)) < 0.1)
        }
        for (bin, bar) in bars.enumerated() {
            #expect(Swift.abs(Self.number(bar, "x") - (plot.x + plot.width * Self.edges[bin] / 10)) < 0.1)
            #expect(Swift.abs(Self.number(bar, "width") - plot.width / 5) < 0.1)
        }
        #expect(bars.map { $0.elements("title").first?.text } == ["[0.0, 2.0): 4", "[2.0, 4.0): 10", "[4.0, 6.0): 0",
                                                                   "[6.0, 8.0): 6", "[8.0, 10.0]: 2"])
        #expect(Self.xTickLabels(svg) == ["0", "2", "4", "6", "8", "10"])
        #expect(Self.yTickLabels(svg) == ["0", "2", "4", "6", "8", "10"])
        #expect(svg.elements("text", class: "axis-title").map(\.text) == ["distance", "cells"])
    }

    @Test func markerLinesStandAtTheirValues() throws {
        let markers = [SVGChart.Marker(label: "p50", value: 2.5, detail: "p50 = 2.5"),
                       SVGChart.Marker(label: "threshold", value: 7.75, color: "#d62728", dashed: true)]
        let svg = try XMLCheck.parse(SVGChart.histogram(title: "T", xTitle: "x", yTitle: "y", edges: Self.edges,
                                                        counts: Self.counts, markers: markers))
        let plot = try Self.plot(svg)
        let lines = svg.elements("line", class: "marker")
        #expect(lines.count == 2)
        for (line, value) in zip(lines, [2.5, 7.75]) {
            let x = plot.x + plot.width * value / 10
            #expect(Swift.abs(Self.number(line, "x1") - x) < 0.1 && Self.number(line, "x1") == Self.number(line, "x2"))
            #expect(Swift.abs(Self.number(line, "y2") - (plot.y + plot.height)) < 0.1)
        }
        #expect(lines[0].attributes["stroke-dasharray"] == nil && lines[1].attributes["stroke-dasharray"] == "5 3")
        #expect(lines[1].attributes["stroke"] == "#d62728")
        #expect(lines.map { $0.elements("title").first?.text } == ["p50 = 2.5", "threshold"])
        #expect(svg.elements("text", class: "marker-label").map(\.text) == ["p50", "threshold"])
    }

    @Test func markersBeyondTheBinsWidenTheAxis() throws {
        let svg = try XMLCheck.parse(SVGChart.histogram(title: "T", xTitle: "x", yTitle: "y", edges: Self.edges, counts: Self.counts,
                                                        markers: [SVGChart.Marker(label: "threshold", value: 12)]))
        #expect(Self.xTickLabels(svg) == ["0", "2", "4", "6", "8", "10", "12"])
        let plot = try Self.plot(svg)
        let line = try #require(svg.elements("line", class: "marker").first)
        #expect(Swift.abs(Self.number(line, "x1") - (plot.x + plot.width)) < 0.1)
    }

    @Test func crowdedMarkerLabelsDoNotOverlap() throws {
        // Seven percentiles within 0.3 of each other on a 0…10 axis: their labels need several rows.
        let values = [4.9, 4.95, 5.0, 5.05, 5.1, 5.15, 5.2]
        let markers = values.enumerated().map { SVGChart.Marker(label: "p\($0.offset)0 = \($0.element)", value: $0.element) }
        let svg = try XMLCheck.parse(SVGChart.histogram(title: "T", xTitle: "x", yTitle: "y", edges: Self.edges,
                                                        counts: Self.counts, markers: markers))
        let labels = svg.elements("text", class: "marker-label")
        #expect(labels.count == values.count)
        let plot = try Self.plot(svg)
        // A label's box: its centre ± half its width at 11 px (at most 0.6 em a character), 11 px tall.
        let boxes = labels.map { label in
            (x: Self.number(label, "x"), y: Self.number(label, "y"), half: Double(label.text.count) * 11 * 0.6 / 2)
        }
        for i in boxes.indices {
            #expect(boxes[i].y < plot.y, "label \(i) sits above the plot")
            for j in boxes.indices where j > i {
                let apart = Swift.abs(boxes[i].x - boxes[j].x) >= boxes[i].half + boxes[j].half
                    || Swift.abs(boxes[i].y - boxes[j].y) >= 11
                #expect(apart, "labels \(labels[i].text) and \(labels[j].text) overlap")
            }
        }
    }

    @Test func logCountsKeepSmallBinsVisible() throws {
        let counts = [1, 10, 100, 1000, 0]
        let svg = try XMLCheck.parse(SVGChart.histogram(title: "T", xTitle: "x", yTitle: "y", edges: Self.edges,
                                                        counts: counts, logCounts: true))
        let heights = svg.elements("rect", class: "bar").map { Self.number($0, "height") }
        #expect(heights[0] > 0 && heights[4] == 0)
        // Each tenfold count adds the same height.
        let decade = heights[1] - heights[0]
        #expect(decade > 0 && Swift.abs((heights[2] - heights[1]) - decade) < 0.2 && Swift.abs((heights[3] - heights[2]) - decade) < 0.2)
        // The axis starts a decade below 1; tick labels start at 1.
        let plot = try Self.plot(svg)
        #expect(Swift.abs(heights[3] - plot.height) < 0.1)
        #expect(Swift.abs(heights[0] - plot.height / 4) < 0.1)
        #expect(Self.yTickLabels(svg) == ["1", "10", "100", "1k"])
    }

    @Test func textIsEscaped() throws {
        let hostile = "a<b&\"c\">'d'"
        let chart = SVGChart.histogram(title: hostile, xTitle: hostile, yTitle: "y", edges: Self.edges, counts: Self.counts,
                                       markers: [SVGChart.Marker(label: hostile, value: 3, detail: hostile)])
        #expect(!chart.contains(hostile))
        #expect(chart.contains("a&lt;b&amp;&quot;c&quot;&gt;&#39;d&#39;"))
        let svg = try XMLCheck.parse(chart)
        #expect(svg.elements("title").first?.text == hostile)
        #expect(svg.elements("text", class: "marker-label").first?.text == hostile)
        #expect(svg.elements("text", class: "axis-title").first?.text == hostile)
    }
}
