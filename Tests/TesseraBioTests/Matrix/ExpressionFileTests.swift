import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

/// NumPy's view of the Biobase expression files (`Fixtures/matrix/make_matrix_fixtures.py`).
private struct ExpressionFixture: Decodable {
    struct Exprs: Decodable {
        var shape: [Int]
        var columnNames: [String]
        var firstRowNames: [String]
        var lastRowName: String
        var columnSums: [Double]
        var columnSumsFloat32: [Double]
        var firstRows: [[Double]]
        var min: Double
        var max: Double
        var negativeCount: Int
    }
    struct PData: Decodable {
        var ids: [String]
        var score: [Double]
        var names: [String]
    }
    var exprs: Exprs
    var pData: PData
}

private func columnSums(_ m: LabeledMatrix) -> [Double] {
    let values = m.values.toArray()
    var sums = [Double](repeating: 0, count: m.columns)
    for r in 0..<m.rows { for c in 0..<m.columns { sums[c] += values[r * m.columns + c] } }
    return sums
}

private func expectRelativelyClose(_ got: [Double], _ want: [Double], _ tolerance: Double, _ what: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, "\(what): \(got.count) values, want \(want.count)", sourceLocation: sourceLocation)
    for (i, (g, w)) in zip(got, want).enumerated() where Swift.abs(g - w) > tolerance * Swift.max(Swift.abs(w), 1) {
        Issue.record("\(what)[\(i)] is \(g), want \(w)", sourceLocation: sourceLocation)
        return
    }
}

@Suite("Expression files vs NumPy")
struct ExpressionFileTests {
    fileprivate let fixture: ExpressionFixture

    init() throws {
        fixture = try loadBioFixture(ExpressionFixture.self, "matrix/expression.json")
    }

    @Test func exprsDataFloat64MatchesNumPy() throws {
        guard let path = TestData.require("expression/exprsData.txt") else { return }
        let m = try LabeledMatrix.read(path, dtype: .float64)
        #expect(m.values.shape == fixture.exprs.shape)
        #expect(m.values.dtype == .float64)
        #expect(m.columnNames == fixture.exprs.columnNames)
        #expect(Array(m.rowNames?.prefix(5) ?? []) == fixture.exprs.firstRowNames)
        #expect(m.rowNames?.last == fixture.exprs.lastRowName)
        #expect(m.missingCount == 0)
        let values = m.values.toArray()
        #expect(Array(values.prefix(3 * m.columns)) == fixture.exprs.firstRows.flatMap { $0 })
        #expect(values.min() == fixture.exprs.min)
        #expect(values.max() == fixture.exprs.max)
        #expect(values.filter { $0 < 0 }.count == fixture.exprs.negativeCount)
        expectRelativelyClose(columnSums(m), fixture.exprs.columnSums, 1e-12, "column sums")
    }

    @Test func exprsDataFloat32RoundsAsNumPy() throws {
        guard let path = TestData.require("expression/exprsData.txt") else { return }
        let m = try LabeledMatrix.read(path)
        #expect(m.values.dtype == .float32)
        let firstRows = Array(m.values.scalars(as: Float.self).prefix(3 * m.columns))
        #expect(firstRows == fixture.exprs.firstRows.flatMap { $0 }.map { Float($0) })
        expectRelativelyClose(columnSums(m), fixture.exprs.columnSumsFloat32, 1e-12, "float32 column sums")
    }

    @Test func exprsDataColumnsAreSamplesTransposes() throws {
        guard let path = TestData.require("expression/exprsData.txt") else { return }
        let m = try LabeledMatrix.read(path, orientation: .columnsAreSamples, dtype: .float64)
        #expect(m.values.shape == [26, 500])
        #expect(m.rowNames == fixture.exprs.columnNames)
        #expect(m.columnNames?.first == fixture.exprs.firstRowNames[0])
        // Row sums of the transposed matrix are NumPy's column sums.
        let values = m.values.toArray()
        let rowSums = (0..<26).map { r in (0..<500).reduce(0.0) { $0 + values[r * 500 + $1] } }
        expectRelativelyClose(rowSums, fixture.exprs.columnSums, 1e-12, "sample sums")
        #expect(values[1] == fixture.exprs.firstRows[1][0])
    }

    @Test func pDataScoreColumn() throws {
        guard let path = TestData.require("expression/pData.txt") else { return }
        let m = try LabeledMatrix.read(path, columns: ["score"], dtype: .float64)
        #expect(m.values.shape == [26, 1])
        #expect(m.rowNames == fixture.pData.ids)
        #expect(m.columnNames == ["score"])
        #expect(m.values.toArray() == fixture.pData.score)
    }

    @Test func pDataTextColumnIsNamedInTheError() throws {
        guard let path = TestData.require("expression/pData.txt") else { return }
        // Four comment lines, the header on line 5, "A\tFemale\tControl\t0.75" on line 6.
        #expect(thrownDescription { _ = try LabeledMatrix.read(path) }
                == "\(path): line 6, column 2: expected a number, found \"Female\"")
        #expect(thrownDescription { _ = try LabeledMatrix.read(path, columns: ["score", "age"]) }
                == "\(path): no column named \"age\"; the columns are gender, type, score")
    }
}
