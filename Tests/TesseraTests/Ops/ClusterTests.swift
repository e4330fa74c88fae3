import Testing
import TesseraTestSupport

@testable import Tessera

/// `nearestRow(in:)` and `segmentSum(_:count:)` against loops in float64.
@Suite("Nearest rows and segment sums")
struct ClusterTests {
    @Test(arguments: [(n: 1, d: 1, k: 1), (n: 37, d: 5, k: 3), (n: 1000, d: 32, k: 8), (n: 203, d: 7, k: 19),
                      (n: 64, d: 2, k: 9)])
    func nearestRowMatchesABruteForceSearch(_ c: (n: Int, d: Int, k: Int)) {
        let x = seededTensor([c.n, c.d], seed: UInt64(c.n)), points = seededTensor([c.k, c.d], seed: UInt64(c.k) + 100)
        let (xs, ps) = (x.toArray(), points.toArray())
        let want = (0..<c.n).map { i in
            (0..<c.k).min { a, b in
                let da = (0..<c.d).reduce(0.0) { $0 + (xs[i * c.d + $1] - ps[a * c.d + $1]) * (xs[i * c.d + $1] - ps[a * c.d + $1]) }
                let db = (0..<c.d).reduce(0.0) { $0 + (xs[i * c.d + $1] - ps[b * c.d + $1]) * (xs[i * c.d + $1] - ps[b * c.d + $1]) }
                return da < db
            }!
        }
        #expect(x.nearestRow(in: points).scalars(as: Int.self) == want, "float64 \(c)")
        #expect(x.astype(.float32).nearestRow(in: points.astype(.float32)).scalars(as: Int.self) == want, "float32 \(c)")
    }

    @Test func nearestRowTakesTheFirstOfEqualPoints() {
        let points = Tensor([[1.0, 1], [0, 0], [0, 0], [5, 5]])
        #expect(Tensor([[0.0, 0], [0.1, 0], [4, 4], [0.5, 0.5]]).nearestRow(in: points).scalars(as: Int.self) == [1, 1, 3, 0])
        let many = Tensor.zeros([10, 3]).nearestRow(in: Tensor.zeros([12, 3]))
        #expect(many.dtype == .int64 && many.scalars(as: Int.self) == Array(repeating: 0, count: 10))
    }

    @Test func segmentSumMatchesALoop() {
        let x = seededTensor([500, 3, 2], seed: 7)
        var rng = Mutator(seed: 8)
        let ids = (0..<500).map { _ in Int.random(in: 0..<6, using: &rng) }
        let values = x.toArray()
        var want = [Double](repeating: 0, count: 7 * 6)
        for (i, s) in ids.enumerated() { for p in 0..<6 { want[s * 6 + p] += values[i * 6 + p] } }
        let got = x.segmentSum(Tensor(ids), count: 7)
        #expect(got.shape == [7, 3, 2] && got.dtype == .float64)
        expectClose(got.toArray(), want, shape: [7, 3, 2], relative: 1e-12, "float64")
        expectClose(x.astype(.float32).segmentSum(Tensor(ids), count: 7).toArray(), want, shape: [7, 3, 2],
                    absolute: 1e-4, "float32")
        let counts = Tensor.ones([500], dtype: .int32).segmentSum(Tensor(ids, dtype: .int32), count: 6)
        #expect(counts.dtype == .int64 && counts.scalars(as: Int.self) == (0..<6).map { s in ids.filter { $0 == s }.count })
    }

    @Test func segmentSumGradientIsTheSegmentsGradient() {
        let ids = Tensor([2, 0, 2, 1])
        checkGradient({ $0.segmentSum(ids, count: 3) }, at: seededTensor([4, 3], seed: 9), "segmentSum")
    }
}
