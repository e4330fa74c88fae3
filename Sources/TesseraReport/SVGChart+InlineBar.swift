extension SVGChart {
    /// A bar small enough for a table cell: from 0 to `value` on a linear scale over `range`, so with a range
    /// either side of 0 negative values run left of a zero line and positive ones right of it.
    ///
    /// ```swift
    /// SVGChart.inlineBar(-0.4, range: -1...1, color: "#d62728")   // a bar from the middle to 30 % of the width
    /// ```
    ///
    /// - Parameters:
    ///   - value: The bar's end; values outside `range` are clamped.
    ///   - range: The values at the cell's left and right edges; it should contain 0.
    ///   - color: The bar's fill.
    ///   - width: The width in pixels.
    /// - Returns: One `<svg>` element of class `inline-bar`.
    public static func inlineBar(_ value: Double, range: ClosedRange<Double>, color: String, width: Double = 120) -> String {
        let span = range.upperBound - range.lowerBound
        let position = { (v: Double) in span > 0 ? Swift.min(Swift.max((v - range.lowerBound) / span, 0), 1) * width : 0 }
        let zero = position(0), end = value.isFinite ? position(value) : zero
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"inline-bar\" width=\"\(n(width))\" height=\"12\" viewBox=\"0 0 \(n(width)) 12\" aria-hidden=\"true\">"
        svg += "<rect x=\"\(n(Swift.min(zero, end)))\" y=\"1\" width=\"\(n(Swift.abs(end - zero)))\" height=\"10\" fill=\"\(color)\"/>"
        if range.lowerBound < 0 { svg += "<line x1=\"\(n(zero))\" y1=\"0\" x2=\"\(n(zero))\" y2=\"12\" stroke=\"#666\"/>" }
        return svg + "</svg>"
    }
}
