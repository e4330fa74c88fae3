import Testing
import TesseraReport
import TesseraTestSupport

@Suite struct InlineBarTests {
    func bar(_ value: Double, _ range: ClosedRange<Double>) throws -> (x: Double, width: Double, zeroLine: Bool) {
        let svg = try XMLCheck.parse(SVGChart.inlineBar(value, range: range, color: "#123456", width: 100))
        #expect(svg.attributes["class"] == "inline-bar" && svg.attributes["width"] == "100.0")
        let rect = try #require(svg.elements("rect").first)
        #expect(rect.attributes["fill"] == "#123456")
        return (Double(rect.attributes["x"]!)!, Double(rect.attributes["width"]!)!, !svg.elements("line").isEmpty)
    }

    @Test func barsRunFromZero() throws {
        let share = try bar(30, 0...120)
        #expect(share.x == 0 && share.width == 25 && !share.zeroLine)
        let positive = try bar(0.5, -1...1)
        #expect(positive.x == 50 && positive.width == 25 && positive.zeroLine)
        let negative = try bar(-1, -1...1)
        #expect(negative.x == 0 && negative.width == 50)
        let clamped = try bar(5, -1...1)
        #expect(clamped.x == 50 && clamped.width == 50)
        let missing = try bar(.nan, -1...1)
        #expect(missing.width == 0)
    }
}
