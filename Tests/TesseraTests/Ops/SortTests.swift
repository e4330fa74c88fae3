import Testing
import TesseraTestSupport

@testable import Tessera

@Suite("Order statistics: sorted, argsort, topk, cumsum, quantile")
struct SortTests {
    /// One case of `Fixtures/ops/sort.json` (made by make_sort_fixtures.py).
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let op: String
        let x: FixtureArray
        let axis: Int?
        let descending: Bool?
        let k: Int?
        let largest: Bool?
        let q: QuantileArgument?
        let keepDims: Bool?
        let expected: [FixtureArray]

        var testDescription: String { "\(op): \(name)" }
    }

    /// `q` as one number or a list, as NumPy takes it.
    enum QuantileArgument: Decodable, Sendable {
        case scalar(Double)
        case list([Double])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let v = try? container.decode(Double.self) { self = .scalar(v) } else { self = .list(try container.decode([Double].self)) }
        }
    }

    static let cases: [Case] = loadFixture([Case].self, "ops/sort.json") ?? []

    @Test func fixturesCoverTheCases() {
        #expect(Self.cases.count >= 50)
        for op in ["sort", "topk", "cumsum", "quantile", "percentile"] { #expect(Self.cases.contains { $0.op == op }) }
    }

    @Test(arguments: cases)
    func matchesNumPy(_ c: Case) {
        let x = c.x.tensor
        switch c.op {
        case "sort":
            let axis = c.axis ?? -1, descending = c.descending ?? false
            expectClose(x.sorted(axis: axis, descending: descending), c.expected[0], "\(c.name) values")
            expectClose(x.argsort(axis: axis, descending: descending), c.expected[1], "\(c.name) indices")
        case "topk":
            let (values, indices) = x.topk(c.k ?? 0, axis: c.axis ?? -1, largest: c.largest ?? true)
            expectClose(values, c.expected[0], "\(c.name) values")
            expectClose(indices, c.expected[1], "\(c.name) indices")
        case "cumsum":
            expectClose(x.cumsum(axis: c.axis), c.expected[0], relative: 1e-6, c.name)
        default:
            let keepDims = c.keepDims ?? false, percent = c.op == "percentile"
            let got: Tensor
            switch c.q {
            case .scalar(let q)?:
                got = percent ? x.percentile(q, axis: c.axis, keepDims: keepDims) : x.quantile(q, axis: c.axis, keepDims: keepDims)
            case .list(let q)?:
                got = percent ? x.percentile(q, axis: c.axis, keepDims: keepDims) : x.quantile(q, axis: c.axis, keepDims: keepDims)
            case nil:
                Issue.record("\(c.name): no q")
                return
            }
            // float64 must match NumPy bit for bit; float32 rounds differently (NumPy interpolates in float64).
            expectClose(got, c.expected[0], relative: x.dtype == .float32 ? 1e-6 : 0, c.name)
        }
    }

    @Test func argsortIsStableOnManyTies() {
        let values = (0..<2000).map { Double(($0 * 7919) % 5) }
        let got = Tensor(values, dtype: .float32).argsort().scalars(as: Int.self)
        let want = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        #expect(got == want)
        let down = Tensor(values, dtype: .int64).argsort(descending: true).scalars(as: Int.self)
        #expect(down == values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 })
    }

    @Test func sortsLargeRowsLikeTheStandardLibrary() {
        var rng = Mutator(seed: 5)
        let values = (0..<100_000).map { _ in Float.random(in: -1e6...1e6, using: &rng) }
        #expect(Tensor(values).sorted().scalars(as: Float.self) == values.sorted())
        let doubles = values.map { Double($0) * 1.000001 }
        #expect(Tensor(doubles, dtype: .float64).sorted(descending: true).scalars(as: Double.self) == doubles.sorted(by: >))
    }

    @Test func rowsAlongEveryAxisSortIndependently() {
        let x = seededTensor([3, 4, 5], seed: 6)
        for axis in 0..<3 {
            let got = x.sorted(axis: axis)
            let moved = x.permute(axis == 0 ? [1, 2, 0] : axis == 1 ? [0, 2, 1] : [0, 1, 2]).contiguous().toArray()
            let n = x.shape[axis]
            let want = stride(from: 0, to: moved.count, by: n).flatMap { moved[$0..<$0 + n].sorted() }
            let gotMoved = got.permute(axis == 0 ? [1, 2, 0] : axis == 1 ? [0, 2, 1] : [0, 1, 2]).contiguous().toArray()
            #expect(gotMoved == want, "axis \(axis)")
        }
    }

    @Test func zeroDimensionalInputs() {
        let s = Tensor(shape: [], scalars: [2.5], dtype: .float64)
        #expect(s.sorted().shape == [] && s.sorted().item() == 2.5)
        #expect(s.argsort().shape == [] && s.argsort().item(as: Int.self) == 0)
        let (v, i) = s.topk(1)
        #expect(v.shape == [] && v.item() == 2.5 && i.item(as: Int.self) == 0)
        #expect(s.topk(0).values.shape == [0])
        #expect(s.cumsum().toArray() == [2.5])
        #expect(s.quantile(0.3).shape == [] && s.quantile(0.3).item() == 2.5)
    }

    @Test func quantileOfIntegersIsFloat() {
        let q = Tensor([1, 2, 3, 4]).quantile(0.5)
        #expect(q.dtype == .float32 && q.item() == 2.5)
    }

    // MARK: Gradients against central differences

    @Test func sortGradientScattersToTheIndices() {
        let x = seededTensor([3, 4], seed: 30)
        checkGradient({ $0.sorted(axis: 1) }, at: x, "sorted axis 1")
        checkGradient({ $0.sorted(axis: 0, descending: true) }, at: x, "sorted axis 0 descending")
        checkGradient({ $0.sorted(axis: 1) * Tensor.arange(4, dtype: .float64) }, at: x, "sorted, weighted")
    }

    @Test func topkGradient() {
        let x = seededTensor([3, 5], seed: 31)
        checkGradient({ $0.topk(2, axis: 1).values }, at: x, "topk 2")
        checkGradient({ $0.topk(3, axis: 0, largest: false).values }, at: x, "topk smallest axis 0")
        checkGradient({ $0.topk(5).values }, at: x, "topk k = n")
        checkGradient({ $0.topk(0).values.sum() + $0.sum() }, at: x, "topk k = 0")
    }

    @Test func cumsumGradientIsReversedCumsum() {
        let x = seededTensor([3, 4], seed: 32)
        checkGradient({ $0.cumsum(axis: 1) }, at: x, "cumsum axis 1")
        checkGradient({ $0.cumsum(axis: -2) }, at: x, "cumsum axis 0")
        checkGradient({ $0.cumsum() }, at: x, "cumsum flattened")
        checkGradient({ $0.cumsum(axis: 1).cumsum(axis: 1) }, at: seededTensor([1, 4], seed: 33), "cumsum twice")
    }

    @Test func quantileGradient() {
        let x = seededTensor([3, 5], seed: 34)
        checkGradient({ $0.quantile(0.3, axis: 1) }, at: x, "quantile 0.3")
        checkGradient({ $0.quantile([0, 0.5, 0.9, 1], axis: 0) }, at: x, "quantile vector axis 0")
        checkGradient({ $0.quantile(0.77) }, at: x, "quantile of all")
        checkGradient({ $0.quantile([0.25, 0.6], axis: -1, keepDims: true) }, at: x, "quantile keepDims")
        checkGradient({ $0.percentile(62.5, axis: 1) }, at: x, "percentile")
    }

    // MARK: Errors

    @Test func badArgumentsTrapNamingTheOp() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).topk(6)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[topk] k = 6 is out of range for axis 1 of size 5 (shape [2, 5])"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).quantile(1.5)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[quantile] q must be in [0, 1], got 1.5"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).sorted(axis: 2)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[sort] axis 2 is out of range for a tensor of rank 2"), "\(text)")
        }
    }
}
