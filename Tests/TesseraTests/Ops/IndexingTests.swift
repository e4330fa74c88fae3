import Testing

@testable import Tessera

@Suite("Indexing: gather, indexSelect, maskedSelect")
struct IndexingTests {
    /// One case of `Fixtures/ops/indexing.json` (made by make_indexing_fixtures.py).
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let op: String
        let x: FixtureArray
        let index: FixtureArray
        let axis: Int
        let expected: FixtureArray

        var testDescription: String { "\(op): \(name)" }
    }

    static let cases: [Case] = loadFixture([Case].self, "ops/indexing.json") ?? []

    @Test func fixturesCoverTheCases() {
        #expect(Self.cases.count >= 20)
        for op in ["gather", "indexSelect", "maskedSelect"] { #expect(Self.cases.contains { $0.op == op }) }
    }

    @Test(arguments: cases)
    func matchesNumPy(_ c: Case) {
        let x = c.x.tensor, index = c.index.tensor
        let got: Tensor
        switch c.op {
        case "gather": got = x.gather(axis: c.axis, indices: index)
        case "indexSelect": got = x.indexSelect(axis: c.axis, indices: index)
        default: got = x.maskedSelect(index)
        }
        expectClose(got, c.expected, c.name)
    }

    @Test func gatherReadsStridedAndLazyInputs() {
        let x = seededTensor([4, 3], seed: 3)
        let transposed = x.T * 2   // lazy, [3, 4]
        let index = Tensor([[3, 0], [1, 1], [-1, 2]])
        let got = transposed.gather(axis: 1, indices: index).toArray()
        let xs = x.toArray()
        let want = [xs[9] * 2, xs[0] * 2, xs[4] * 2, xs[4] * 2, xs[11] * 2, xs[8] * 2]
        #expect(got == want)
        #expect(x.T.takeAlong(axis: 1, indices: index).toArray() == want.map { $0 / 2 })
    }

    @Test func zeroDimensionalGather() {
        let got = Tensor(shape: [], scalars: [4.5], dtype: .float64).gather(axis: 0, indices: Tensor(shape: [], scalars: [0]))
        #expect(got.shape == [])
        #expect(got.item() == 4.5)
    }

    @Test func int32IndicesMatchInt64() {
        let x = seededTensor([3, 5], seed: 4)
        let i64 = Tensor([[4, 0, 2], [1, 1, 3], [0, 4, 4]])
        #expect(x.gather(axis: 1, indices: i64.astype(.int32)).toArray() == x.gather(axis: 1, indices: i64).toArray())
        #expect(x.indexSelect(axis: 1, indices: Tensor([3, 1], dtype: .int32)).toArray()
            == x.indexSelect(axis: 1, indices: Tensor([3, 1])).toArray())
    }

    @Test func maskedSelectOfEmptyAndZeroDimensional() {
        let empty = Tensor.zeros([0, 3]).maskedSelect(Tensor.ones([0, 3], dtype: .bool))
        #expect(empty.shape == [0])
        let scalar = Tensor(shape: [], scalars: [2.0]).maskedSelect(Tensor(shape: [], scalars: [true]))
        #expect(scalar.shape == [1] && scalar.item() == 2)
    }

    // MARK: Gradients against central differences

    @Test func gatherGradientAddsRepeatedIndices() {
        let index = Tensor([[0, 3, 3, 1, 0], [2, 2, 2, 2, 2], [-1, 0, 1, 2, 3]])
        checkGradient({ $0.gather(axis: 1, indices: index) }, at: seededTensor([3, 4], seed: 10), "gather axis 1")
        checkGradient({ $0.gather(axis: 0, indices: Tensor([[2, 0], [2, 1]])) }, at: seededTensor([3, 4], seed: 11),
                      "gather axis 0, smaller index")
        checkGradient({ $0.gather(axis: -1, indices: Tensor([[[1], [0]], [[1], [1]]])) }, at: seededTensor([2, 2, 2], seed: 12),
                      "gather 3d")
    }

    @Test func scatterKernelsHaveTheGatherAsGradient() {
        let index = Tensor([[1, 1, 0], [2, 0, 0]])
        checkGradient({ $0.scatterAdd(axis: 1, index: index, shape: [2, 4]) }, at: seededTensor([2, 3], seed: 13),
                      "gather_backward")
        checkGradient({ $0.indexAdd(axis: 0, indices: Tensor([2, 2, 0]), shape: [4, 2]) }, at: seededTensor([3, 2], seed: 18),
                      "index_select_backward")
    }

    @Test func indexSelectGradient() {
        checkGradient({ $0.indexSelect(axis: 1, indices: Tensor([2, 0, 2, -1])) }, at: seededTensor([2, 3, 2], seed: 14),
                      "indexSelect middle axis")
        checkGradient({ $0.indexSelect(axis: 0, indices: Tensor([1, 1])) }, at: seededTensor([3], seed: 15), "indexSelect 1d")
    }

    @Test func maskedSelectGradient() {
        let x = seededTensor([3, 4], seed: 16)
        checkGradient({ $0.maskedSelect($0 .> 0) }, at: x, "maskedSelect own mask")
        checkGradient({ $0.maskedSelect(Tensor([[true], [false], [true]])) }, at: x, "maskedSelect broadcast mask")
        checkGradient({ $0.maskedSelect(Tensor([[true, false, true, true], [false, true, false, true]])) },
                      at: seededTensor([4], seed: 17), "maskedSelect mask larger than input")
    }

    // MARK: Errors

    @Test func outOfRangeIndexTrapsWithTheOpAndAxis() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).gather(axis: 1, indices: Tensor([[7], [0]])).eval()
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[gather] index 7 is out of range for axis 1 of size 5"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).indexSelect(axis: 0, indices: Tensor([-3])).eval()
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[indexSelect] index -3 is out of range for axis 0 of size 2"), "\(text)")
        }
    }

    @Test func wrongShapesTrapNamingTheShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).gather(axis: 1, indices: Tensor([0, 1]))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[gather] indices of shape [2] must have the rank of input shape [2, 5]"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 5]).maskedSelect(Tensor.ones([3], dtype: .bool))
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[maskedSelect] shapes [2, 5] and [3] cannot be broadcast"), "\(text)")
        }
    }
}
