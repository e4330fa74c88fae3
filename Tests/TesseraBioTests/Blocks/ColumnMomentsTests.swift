import Testing
import Tessera
@testable import TesseraBio

/// `ColumnMoments` against float64 sums done here, and the same bits however the rows are split.
@Suite struct ColumnMomentsTests {
    @Test func momentsMatchFloat64() {
        let m = TestMatrix(rows: 150_000, cols: 3, seed: 5, scale: 4, offset: 100)
        var chunks = ColumnMoments.Chunks()
        chunks.add(ColumnMoments.chunks(of: m.tensor))
        #expect(chunks.chunks.count == 3)   // 65536 + 65536 + 18928 rows
        let total = chunks.total
        #expect(total.count == 150_000)
        for c in 0..<3 {
            let col = m.column(c)
            expectClose(total.mean[c], referenceMean(col), 1e-13, "mean \(c)")
            expectClose(total.variance[c].squareRoot(), referencePopulationStd(col), 1e-10, "std \(c)")
            #expect(total.min[c] == col.min()!)
            #expect(total.max[c] == col.max()!)
        }
    }

    @Test func sameBitsForAnyBlockSplitAndFloat32() {
        let m = TestMatrix(rows: 200_000, cols: 2, seed: 8)
        let x = m.tensor.astype(.float32)
        let whole = ColumnMoments.chunks(of: x)
        var blocks = ColumnMoments.Chunks()
        for start in stride(from: 0, to: 200_000, by: 65_536) {
            blocks.add(ColumnMoments.chunks(of: x[start..<min(200_000, start + 65_536)]))
        }
        #expect(blocks.chunks == whole)
        var all = ColumnMoments.Chunks()
        all.add(whole)
        #expect(blocks.total == all.total)
        // float32 data: the float64 statistics of the float32 values.
        let col = x[.all, 1].toArray()
        expectClose(all.total.mean[1], referenceMean(col), 1e-13, "float32 mean")
    }

    @Test func nanColumnGivesNaN() {
        let x = Tensor(shape: [3, 2], scalars: [1.0, 2, .nan, 4, 5, 6], dtype: .float64)
        var chunks = ColumnMoments.Chunks()
        chunks.add(ColumnMoments.chunks(of: x))
        let t = chunks.total
        #expect(t.mean[0].isNaN && t.min[0].isNaN && t.max[0].isNaN)
        #expect(t.mean[1] == 4 && t.min[1] == 2 && t.max[1] == 6)
    }

    @Test func singleColumnMatchesFloat64() {
        let m = TestMatrix(rows: 70_003, cols: 1, seed: 9, scale: 3, offset: 7)   // a partial chunk, a tail of 3
        var chunks = ColumnMoments.Chunks()
        chunks.add(ColumnMoments.chunks(of: m.tensor.astype(.float32)))
        let col = m.tensor.astype(.float32).toArray()
        let t = chunks.total
        expectClose(t.mean[0], referenceMean(col), 1e-13, "mean")
        expectClose(t.variance[0].squareRoot(), referencePopulationStd(col), 1e-10, "std")
        #expect(t.min[0] == col.min()! && t.max[0] == col.max()!)
        var withNaN = ColumnMoments.Chunks()
        withNaN.add(ColumnMoments.chunks(of: Tensor([1.0, .nan, 3, 4, 5, 6, 7, 8, 9], dtype: .float64).reshape([9, 1])))
        #expect(withNaN.total.mean[0].isNaN && withNaN.total.max[0].isNaN)
    }
}
