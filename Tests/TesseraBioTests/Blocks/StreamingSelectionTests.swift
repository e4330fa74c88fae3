import Testing
import TesseraTestSupport
import Tessera
@testable import TesseraBio

/// `StreamingSelection` and `PercentilePlan` against sorting.
@Suite struct StreamingSelectionTests {
    /// Delivers `columns` in row-major blocks of `blockRows`.
    static func passes(_ columns: [[Double]], blockRows: Int) -> ((UnsafeBufferPointer<Double>, Int) -> Void) throws(TesseraError) -> Void {
        { visit in
            let rows = columns[0].count
            var start = 0
            while start < rows {
                let end = min(rows, start + blockRows)
                var block: [Double] = []
                for r in start..<end { for c in columns.indices { block.append(columns[c][r]) } }
                block.withUnsafeBufferPointer { visit($0, end - start) }
                start = end
            }
        }
    }

    @Test(arguments: [1 << 23, 50])   // everything collected at once, or refined 16 bits at a time
    func orderStatisticsMatchSorting(budget: Int) throws {
        var g = SplitMix64(seed: 4)
        let n = 10_000
        let a: [Double] = (0..<n).map { _ in Double(g.next() >> 11) / Double(1 << 53) * 200 - 100 }
        let b: [Double] = (0..<n).map { _ in (Double(g.next() >> 11) / Double(1 << 53) * 5).rounded(.down) }  // ties
        let ranks = [0, 1, 4999, 5000, 9998, 9999]
        let got = try StreamingSelection.orderStatistics(series: 2, ranks: [ranks, ranks], candidateBudget: budget,
                                                         pass: Self.passes([a, b], blockRows: 777))
        #expect(got[0] == ranks.map { a.sorted()[$0] })
        #expect(got[1] == ranks.map { b.sorted()[$0] })
    }

    @Test func negativeZeroAndExtremes() throws {
        let v: [Double] = [-.infinity, -1e300, -0.0, 0.0, .leastNonzeroMagnitude, 3, .greatestFiniteMagnitude, .infinity]
        let got = try StreamingSelection.orderStatistics(series: 1, ranks: [Array(0..<8)], candidateBudget: 1,
                                                         pass: Self.passes([v.reversed()], blockRows: 3))
        #expect(got[0] == v)
    }

    @Test func percentilePlanMatchesNumPyLinear() {
        var g = SplitMix64(seed: 12)
        let v: [Double] = (0..<101).map { _ in Double(g.next() >> 11) / Double(1 << 53) }
        let percents = [0.0, 1, 33.3, 50, 99.5, 100]
        let plan = PercentilePlan(count: v.count, percents: percents)
        let sorted = v.sorted()
        expectClose(plan.percentiles { sorted[$0] }, percents.map { referenceQuantile(v, $0 / 100) }, 1e-15, "percentiles")
    }
}
