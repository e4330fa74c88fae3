import Tessera

/// Small SVG charts as strings: no scripts, no external references; text is escaped.
public enum SVGChart {
    /// One bar of a bar chart.
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// What the bar's end shows, e.g. `12.3 ms`.
        public var valueText: String
        public var color: String
        /// Reference figures (another machine) are drawn hatched-light and marked in their label.
        public var reference: Bool
        public init(label: String, value: Double, valueText: String, color: String, reference: Bool = false) {
            (self.label, self.value, self.valueText, self.color, self.reference) = (label, value, valueText, color, reference)
        }
    }

    /// Bars under one heading (a workload with its parameters).
    public struct Group: Sendable {
        public var title: String
        public var bars: [Bar]
        /// Rows without a bar (skipped cases), shown as text.
        public var notes: [String]
        public init(title: String, bars: [Bar], notes: [String] = []) { (self.title, self.bars, self.notes) = (title, bars, notes) }
    }

    /// One line of a line chart.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dashed: Bool
        public init(name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false) {
            (self.name, self.points, self.color, self.dashed) = (name, points, color, dashed)
        }
    }

    /// Ten distinct colours (matplotlib's `tab10`), for series without a colour of their own.
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                                 "#7f7f7f", "#bcbd22", "#17becf"]

    /// Appended to the label of a reference figure (a run on another machine).
    package static let referenceSuffix = " (reference)"
    static let maxLabelWidth = 480.0
    static let font = "font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\""
    static func textWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.56 }
    static func n(_ x: Double) -> String { NumberFormat.fixed(x, fractionDigits: 1) }

    /// Horizontal bars on a log axis, grouped. With `baseline`, bars start at that value (e.g. 1× for
    /// speed-ups) and run left or right of it; otherwise they start at the axis' left end.
    public static func horizontalBars(title: String, axisTitle: String, groups: [Group], baseline: Double? = nil,
                                      width: Double = 1040, legend: [(name: String, color: String)] = []) -> String {
        let values = groups.flatMap { $0.bars.map(\.value) } + (baseline.map { [$0] } ?? [])
        let axis = LogAxis(covering: values)
        let labels = groups.flatMap { $0.bars.map { $0.label + ($0.reference ? referenceSuffix : "") } + $0.notes }
        let labelWidth = Swift.min(maxLabelWidth, Swift.max(120, (labels.map { textWidth($0) }.max() ?? 0) + 20))
        // Labels too long for the column are shortened with an ellipsis; the bar's tooltip has the whole text.
        let fit = { (text: String) -> String in
            let room = Int((labelWidth - 20) / (12 * 0.56))
            return text.count <= room ? text : String(text.prefix(Swift.max(room - 1, 1))) + "…"
        }
        let valueWidth = Swift.max(70, (groups.flatMap { $0.bars.map { textWidth($0.valueText, size: 11) } }.max() ?? 0) + 12)
        let x0 = labelWidth, plotWidth = width - labelWidth - valueWidth
        let rowHeight = 20.0, groupHeader = 22.0
        var y = 34.0
        var legendSVG = ""
        if !legend.isEmpty {
            var x = x0
            for entry in legend {
                legendSVG += "<rect x=\"\(n(x))\" y=\"\(n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(entry.color)\"/>"
                legendSVG += "<text x=\"\(n(x + 16))\" y=\"\(n(y))\" font-size=\"12\">\(xmlEscaped(entry.name))</text>"
                x += 16 + textWidth(entry.name) + 18
            }
            y += 16
        }
        let plotTop = y
        var body = ""
        for group in groups {
            y += groupHeader
            body += "<text class=\"group\" x=\"8\" y=\"\(n(y - 6))\" font-size=\"13\" font-weight=\"600\">\(xmlEscaped(group.title))</text>"
            for bar in group.bars {
                let end = axis.position(bar.value, length: plotWidth)
                let start = baseline.map { axis.position($0, length: plotWidth) } ?? 0
                let (left, right) = (Swift.min(start, end), Swift.max(start, end))
                let label = bar.label + (bar.reference ? referenceSuffix : "")
                body += "<text class=\"bar-label\" x=\"\(n(x0 - 8))\" y=\"\(n(y + 13))\" font-size=\"12\" text-anchor=\"end\">\(xmlEscaped(fit(label)))</text>"
                let style = bar.reference ? " fill-opacity=\"0.45\" stroke=\"\(bar.color)\" stroke-dasharray=\"3 2\"" : ""
                body += "<rect class=\"bar\" x=\"\(n(x0 + left))\" y=\"\(n(y + 2))\" width=\"\(n(Swift.max(right - left, 1)))\" height=\"\(n(rowHeight - 5))\" fill=\"\(bar.color)\"\(style)>"
                body += "<title>\(xmlEscaped(group.title + " · " + label + ": " + bar.valueText))</title></rect>"
                // Value after the bar's right end (for bars left of a baseline, just right of the baseline).
                body += "<text class=\"bar-value\" x=\"\(n(x0 + right + 6))\" y=\"\(n(y + 13))\" font-size=\"11\">\(xmlEscaped(bar.valueText))</text>"
                y += rowHeight
            }
            for note in group.notes {
                body += "<text class=\"bar-label\" x=\"\(n(x0 - 8))\" y=\"\(n(y + 13))\" font-size=\"12\" text-anchor=\"end\" fill=\"#888\">\(xmlEscaped(fit(note)))</text>"
                body += "<text x=\"\(n(x0 + 6))\" y=\"\(n(y + 13))\" font-size=\"11\" fill=\"#888\">skipped</text>"
                y += rowHeight
            }
        }
        let plotBottom = y + 4
        var grid = ""
        for tick in axis.ticks {
            let x = x0 + axis.position(tick, length: plotWidth)
            let major = isPowerOf10(tick)
            grid += "<line class=\"tick\" x1=\"\(n(x))\" y1=\"\(n(plotTop))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom))\" stroke=\"\(major ? "#ccc" : "#eee")\"/>"
            grid += "<text class=\"tick-label\" x=\"\(n(x))\" y=\"\(n(plotBottom + 15))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(xmlEscaped(axisLabel(tick)))</text>"
        }
        if let baseline {
            let x = x0 + axis.position(baseline, length: plotWidth)
            grid += "<line class=\"baseline\" x1=\"\(n(x))\" y1=\"\(n(plotTop))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom))\" stroke=\"#333\" stroke-width=\"1.5\"/>"
        }
        grid += "<line x1=\"\(n(x0))\" y1=\"\(n(plotBottom))\" x2=\"\(n(x0 + plotWidth))\" y2=\"\(n(plotBottom))\" stroke=\"#888\"/>"
        let height = plotBottom + 40
        let axisText = "<text class=\"axis-title\" x=\"\(n(x0 + plotWidth / 2))\" y=\"\(n(plotBottom + 33))\" font-size=\"12\" text-anchor=\"middle\">\(xmlEscaped(axisTitle))</text>"
        return open(title: title, width: width, height: height)
            + "<text x=\"8\" y=\"18\" font-size=\"15\" font-weight=\"600\">\(xmlEscaped(title))</text>"
            + legendSVG + grid + body + axisText + "</svg>"
    }

    /// A log-log line chart, one polyline (with point markers) per series, legend below.
    public static func lineChart(title: String, xTitle: String, yTitle: String, series: [Series],
                                 width: Double = 520, plotHeight: Double = 260) -> String {
        let xAxis = LogAxis(covering: series.flatMap { $0.points.map(\.x) })
        let yAxis = LogAxis(covering: series.flatMap { $0.points.map(\.y) })
        let x0 = 64.0, top = 34.0, plotWidth = width - x0 - 20
        let bottom = top + plotHeight
        var svg = "<text x=\"8\" y=\"18\" font-size=\"15\" font-weight=\"600\">\(xmlEscaped(title))</text>"
        for tick in xAxis.ticks {
            let x = x0 + xAxis.position(tick, length: plotWidth)
            svg += "<line class=\"tick\" x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"\(isPowerOf10(tick) ? "#ccc" : "#eee")\"/>"
            svg += "<text class=\"tick-label\" x=\"\(n(x))\" y=\"\(n(bottom + 15))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(xmlEscaped(axisLabel(tick, compact: true)))</text>"
        }
        for tick in yAxis.ticks {
            let y = bottom - yAxis.position(tick, length: plotHeight)
            svg += "<line class=\"tick\" x1=\"\(n(x0))\" y1=\"\(n(y))\" x2=\"\(n(x0 + plotWidth))\" y2=\"\(n(y))\" stroke=\"\(isPowerOf10(tick) ? "#ccc" : "#eee")\"/>"
            svg += "<text class=\"tick-label\" x=\"\(n(x0 - 6))\" y=\"\(n(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#444\">\(xmlEscaped(axisLabel(tick)))</text>"
        }
        svg += "<rect x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#888\"/>"
        svg += "<text class=\"axis-title\" x=\"\(n(x0 + plotWidth / 2))\" y=\"\(n(bottom + 33))\" font-size=\"12\" text-anchor=\"middle\">\(xmlEscaped(xTitle))</text>"
        svg += "<text class=\"axis-title\" x=\"14\" y=\"\(n(top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(n(top + plotHeight / 2)))\">\(xmlEscaped(yTitle))</text>"
        for s in series {
            let points = s.points.sorted { $0.x < $1.x }.map {
                (x0 + xAxis.position($0.x, length: plotWidth), bottom - yAxis.position($0.y, length: plotHeight))
            }
            let dash = s.dashed ? " stroke-dasharray=\"5 3\"" : ""
            svg += "<polyline class=\"series\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash) points=\"\(points.map { n($0.0) + "," + n($0.1) }.joined(separator: " "))\"><title>\(xmlEscaped(s.name))</title></polyline>"
            for (p, point) in zip(points, s.points.sorted { $0.x < $1.x }) {
                svg += "<circle class=\"point\" cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"3.5\" fill=\"\(s.color)\"><title>\(xmlEscaped(s.name + ": " + axisLabel(point.x, compact: true) + " → " + axisLabel(point.y)))</title></circle>"
            }
        }
        // Legend below the plot, wrapping.
        var x = x0, y = bottom + 56
        for s in series {
            let w = 22 + textWidth(s.name) + 16
            if x + w > width - 10 && x > x0 { x = x0; y += 18 }
            let dash = s.dashed ? " stroke-dasharray=\"5 3\"" : ""
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(y - 4))\" x2=\"\(n(x + 16))\" y2=\"\(n(y - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>"
            svg += "<text class=\"legend\" x=\"\(n(x + 20))\" y=\"\(n(y))\" font-size=\"12\">\(xmlEscaped(s.name))</text>"
            x += w
        }
        return open(title: title, width: width, height: y + 12) + svg + "</svg>"
    }

    static func open(title: String, width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" \(font)><title>\(xmlEscaped(title))</title>"
    }

    static func isPowerOf10(_ x: Double) -> Bool {
        var m = x
        while m >= 10 { m /= 10 }
        while m < 1 { m *= 10 }
        return Swift.abs(m - 1) < 1e-9
    }
}
