import FoundationEssentials
import Testing
@testable import Tessera

@Suite("NumPy-style array printing")
struct ArrayFormatTests {
    /// Every case of `Fixtures/printing/array_format.json`; none if it is unreadable, which
    /// `fixturesCoverTheCases` reports.
    static let cases: [Case] = {
        let url = URL(fileURLWithPath: fixturePath("printing/array_format.json"))
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    /// Each case is NumPy's `array2string` output, made by make_array_format.py.
    @Test(arguments: cases)
    func matchesNumPy(_ c: Case) throws {
        let kinds: [String: ArrayFormat.Kind] = [
            "float64": .float64, "float32": .float32, "float16": .float16, "integer": .integer, "bool": .bool,
        ]
        let kind = try #require(kinds[c.kind], "unknown kind \(c.kind)")
        let values = try c.values.map { try #require(Double($0), "unparsable \($0)") }
        let got = ArrayFormat.format(values: values, shape: c.shape, kind: kind, prefix: c.prefix, suffix: c.suffix)
        #expect(got == c.expected, "\(c.name), shape \(c.shape):\n\(got)\nwant:\n\(c.expected)")
    }

    @Test func fixturesCoverTheCases() {
        #expect(Self.cases.count >= 40)
        #expect(Self.cases.contains { $0.shape.isEmpty })
        #expect(Self.cases.contains { $0.values.count > 1000 })
    }
}

extension ArrayFormatTests {
    /// One tensor and NumPy's rendering of it.
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let shape: [Int]
        let kind: String
        let values: [String]
        let prefix: String
        let suffix: String
        let expected: String

        var testDescription: String { name }
    }
}
