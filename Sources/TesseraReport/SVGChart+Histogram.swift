import Tessera

extension SVGChart {
    /// A vertical line across a chart at one x value, labelled above the plot: a percentile, a threshold.
    public struct Marker: Sendable {
        /// The short text above the plot, e.g. `p99`.
        public var label: String
        /// Where the line stands on the x axis.
        public var value: Double
        /// The line's and the label's colour.
        public var color: String
        /// Whether the line is dashed (a threshold rather than a statistic).
        public var dashed: Bool
        /// The tooltip, e.g. `p99 = 4.31`; the label when nil.
        public var detail: String?
        public init(label: String, value: Double, color: String = "#555", dashed: Bool = false, detail: String? = nil) {
            (self.label, self.value, self.color, self.dashed, self.detail) = (label, value, color, dashed, detail)
        }
    }

    /// A histogram: one column per bin on a linear x axis, the count on y, and vertical marker lines.
    ///
    /// The x axis covers the edges and the markers with round ends (``LinearAxis``); counts run up from 0, or on a
    /// log axis with `logCounts` (a bin of one value is then still visible). Marker labels sit above the plot in
    /// as many rows as it takes for none to overlap another.
    ///
    /// ```swift
    /// let svg = SVGChart.histogram(title: "Distances", xTitle: "distance", yTitle: "cells",
    ///                              edges: [0, 1, 2, 3], counts: [5, 12, 3],
    ///                              markers: [.init(label: "p50", value: 1.4)])
    /// ```
    ///
    /// - Parameters:
    ///   - title: The chart's heading.
    ///   - xTitle: What the x axis measures.
    ///   - yTitle: What is counted.
    ///   - edges: The bin edges, ascending, one more than `counts`.
    ///   - counts: The number of values in each bin.
    ///   - markers: Vertical lines, in any order.
    ///   - logCounts: Whether the y axis is logarithmic.
    ///   - format: Writes a value in the bars' tooltips; by default with one decimal more than the x ticks.
    ///   - width: The chart's width in pixels.
    ///   - plotHeight: The plot area's height in pixels.
    /// - Returns: One `<svg>` element.
    public static func histogram(title: String, xTitle: String, yTitle: String, edges: [Double], counts: [Int],
                                 markers: [Marker] = [], logCounts: Bool = false,
                                 format: ((Double) -> String)? = nil,
                                 width: Double = 1040, plotHeight: Double = 280) -> String {
        precondition(edges.count == counts.count + 1, "[histogram] \(edges.count) edges for \(counts.count) bins; want one more edge than bins")
        let xAxis = LinearAxis(covering: edges + markers.map(\.value))
        let x0 = 64.0, plotWidth = width - x0 - 24
        let x = { (value: Double) in x0 + xAxis.position(value, length: plotWidth) }
        let format = format ?? { NumberFormat.fixed($0 + 0, fractionDigits: Swift.max(0, 1 - Int(log10Floor(xAxis.step)))) }

        // Marker labels: left to right, each in the first row where it clears the previous label by 6 px.
        let labelSize = 11.0, rowHeight = 15.0
        var rowEnds: [Double] = []
        var placed: [(marker: Marker, centre: Double, row: Int)] = []
        for marker in markers.sorted(by: { $0.value < $1.value }) {
            let half = textWidth(marker.label, size: labelSize) / 2
            let centre = Swift.min(Swift.max(x(marker.value), 4 + half), width - 4 - half)
            let row = rowEnds.firstIndex { $0 + 6 <= centre - half } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(0) }
            rowEnds[row] = centre + half
            placed.append((marker, centre, row))
        }
        let labelTop = 30.0
        let top = labelTop + Double(rowEnds.count) * rowHeight + (rowEnds.isEmpty ? 4 : 6)
        let bottom = top + plotHeight
        let baseline = { (row: Int) in labelTop + Double(row + 1) * rowHeight - 3 }

        var svg = "<text x=\"8\" y=\"18\" font-size=\"15\" font-weight=\"600\">\(xmlEscaped(title))</text>"
        // y: grid lines and labels; a log axis starts a decade below 1 so single values show.
        let height: (Int) -> Double
        if logCounts {
            let yAxis = LogAxis(covering: [0.5] + counts.filter { $0 > 0 }.map(Double.init))
            height = { $0 > 0 ? yAxis.position(Double($0), length: plotHeight) : 0 }
            for tick in yAxis.ticks where tick >= 1 {
                svg += yTick(axisLabel(tick, compact: true), y: bottom - yAxis.position(tick, length: plotHeight),
                             x0: x0, plotWidth: plotWidth, major: isPowerOf10(tick))
            }
        } else {
            let yAxis = LinearAxis(covering: [0, Double(Swift.max(counts.max() ?? 0, 5))], intervals: 5)
            height = { yAxis.position(Double($0), length: plotHeight) }
            for tick in yAxis.ticks {
                svg += yTick(yAxis.label(tick), y: bottom - yAxis.position(tick, length: plotHeight),
                             x0: x0, plotWidth: plotWidth, major: true)
            }
        }
        for tick in xAxis.ticks {
            svg += "<line class=\"tick\" x1=\"\(n(x(tick)))\" y1=\"\(n(bottom))\" x2=\"\(n(x(tick)))\" y2=\"\(n(bottom + 5))\" stroke=\"#888\"/>"
            svg += "<text class=\"tick-label\" x=\"\(n(x(tick)))\" y=\"\(n(bottom + 18))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(xmlEscaped(xAxis.label(tick)))</text>"
        }
        for (bin, count) in counts.enumerated() {
            let (left, right) = (x(edges[bin]), x(edges[bin + 1])), h = height(count)
            let range = bin == counts.count - 1 ? "[\(format(edges[bin])), \(format(edges[bin + 1]))]" : "[\(format(edges[bin])), \(format(edges[bin + 1])))"
            svg += "<rect class=\"bar\" x=\"\(n(left))\" y=\"\(n(bottom - h))\" width=\"\(n(right - left))\" height=\"\(n(h))\" fill=\"#4c8cc4\" stroke=\"#fff\" stroke-width=\"0.5\">"
            svg += "<title>\(xmlEscaped(range + ": \(count)"))</title></rect>"
        }
        svg += "<rect class=\"plot\" x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#888\"/>"
        // Lines first, then the labels over them with a white halo, so a line passing a lower row's label
        // does not strike through it.
        for p in placed {
            let dash = p.marker.dashed ? " stroke-dasharray=\"5 3\"" : ""
            svg += "<line class=\"marker\" x1=\"\(n(x(p.marker.value)))\" y1=\"\(n(baseline(p.row) + 3))\" x2=\"\(n(x(p.marker.value)))\" y2=\"\(n(bottom))\" stroke=\"\(p.marker.color)\" stroke-width=\"1.5\"\(dash)>"
            svg += "<title>\(xmlEscaped(p.marker.detail ?? p.marker.label))</title></line>"
        }
        for p in placed {
            svg += "<text class=\"marker-label\" x=\"\(n(p.centre))\" y=\"\(n(baseline(p.row)))\" font-size=\"\(n(labelSize))\" text-anchor=\"middle\" fill=\"\(p.marker.color)\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">"
            svg += "\(xmlEscaped(p.marker.label))<title>\(xmlEscaped(p.marker.detail ?? p.marker.label))</title></text>"
        }
        svg += "<text class=\"axis-title\" x=\"\(n(x0 + plotWidth / 2))\" y=\"\(n(bottom + 36))\" font-size=\"12\" text-anchor=\"middle\">\(xmlEscaped(xTitle))</text>"
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(n(top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(top + plotHeight / 2)))\">\(xmlEscaped(yTitle))</text>"
        return open(title: title, width: width, height: bottom + 46) + svg + "</svg>"
    }

    /// A horizontal grid line across the plot with its label left of it.
    private static func yTick(_ label: String, y: Double, x0: Double, plotWidth: Double, major: Bool) -> String {
        "<line class=\"tick\" x1=\"\(n(x0))\" y1=\"\(n(y))\" x2=\"\(n(x0 + plotWidth))\" y2=\"\(n(y))\" stroke=\"\(major ? "#ddd" : "#f0f0f0")\"/>"
            + "<text class=\"tick-label\" x=\"\(n(x0 - 6))\" y=\"\(n(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">\(xmlEscaped(label))</text>"
    }
}
