import FoundationEssentials
import Testing
@testable import Tessera

@Suite("printf-style number formatting")
struct NumberFormatTests {
    @Test func examples() {
        #expect(NumberFormat.fixed(-1.23456, fractionDigits: 4) == "-1.2346")
        #expect(NumberFormat.fixed(0.125, fractionDigits: 2) == "0.12")
        #expect(NumberFormat.fixed(0.375, fractionDigits: 2) == "0.38")
        #expect(NumberFormat.fixed(2.5, fractionDigits: 0) == "2")
        #expect(NumberFormat.fixed(-0.0, fractionDigits: 4) == "-0.0000")
        #expect(NumberFormat.fixed(9.99995, fractionDigits: 4) == "10.0000")
        #expect(NumberFormat.scientific(123456, fractionDigits: 4) == "1.2346e+05")
        #expect(NumberFormat.scientific(9.99995e-7, fractionDigits: 4) == "1.0000e-06")
        #expect(NumberFormat.scientific(0, fractionDigits: 4) == "0.0000e+00")
        #expect(NumberFormat.scientific(.leastNonzeroMagnitude, fractionDigits: 2) == "4.94e-324")
        #expect(NumberFormat.scientific(-.infinity, fractionDigits: 4) == "-inf")
        #expect(NumberFormat.fixed(.nan, fractionDigits: 4) == "nan")
    }

    /// ~9,400 doubles (edge values, exact ties, random magnitudes and bit patterns) against Python's `%`.
    @Test func matchesPythonPrintf() throws {
        let path = fixturePath("printing/number_format.json")
        let cases = try JSONDecoder().decode([PrintfCase].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(cases.count > 9000)
        var failures = 0
        for c in cases {
            let x = try #require(Double(c.value), "unparsable \(c.value)")
            let fixed = NumberFormat.fixed(x, fractionDigits: c.digits)
            let scientific = NumberFormat.scientific(x, fractionDigits: c.digits)
            if fixed != c.fixed || scientific != c.scientific {
                failures += 1
                if failures <= 10 {
                    Issue.record("\(c.value) with \(c.digits) digits: got \(fixed) / \(scientific), want \(c.fixed) / \(c.scientific)")
                }
            }
        }
        #expect(failures == 0)
    }
}

/// `[repr(x), digits, '%.{digits}f' % x, '%.{digits}e' % x]`, as make_number_format.py writes it.
private struct PrintfCase: Decodable {
    let value: String, digits: Int, fixed: String, scientific: String

    init(from decoder: any Decoder) throws {
        var row = try decoder.unkeyedContainer()
        value = try row.decode(String.self)
        digits = try row.decode(Int.self)
        fixed = try row.decode(String.self)
        scientific = try row.decode(String.self)
    }
}
