import Testing

@testable import Tessera

@Suite("Joining: concat, stack, split, pad")
struct JoinTests {
    /// One case of `Fixtures/ops/join.json` (made by make_join_fixtures.py).
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let op: String
        let inputs: [FixtureArray]
        let axis: Int
        let sizes: [Int]?
        let widths: [[Int]]?
        let value: Double?
        let expected: [FixtureArray]

        var testDescription: String { "\(op): \(name)" }
    }

    static let cases: [Case] = loadFixture([Case].self, "ops/join.json") ?? []

    @Test func fixturesCoverTheCases() {
        #expect(Self.cases.count >= 20)
        for op in ["concat", "stack", "splitSizes", "splitCount", "pad"] { #expect(Self.cases.contains { $0.op == op }) }
    }

    @Test(arguments: cases)
    func matchesNumPy(_ c: Case) {
        let xs = c.inputs.map(\.tensor)
        let got: [Tensor]
        switch c.op {
        case "concat": got = [Tensor.concat(xs, axis: c.axis)]
        case "stack": got = [Tensor.stack(xs, axis: c.axis)]
        case "splitSizes": got = xs[0].split(sizes: c.sizes ?? [], axis: c.axis)
        case "splitCount": got = xs[0].split(count: c.sizes?.first ?? 1, axis: c.axis)
        default: got = [xs[0].pad((c.widths ?? []).map { ($0[0], $0[1]) }, value: c.value ?? 0)]
        }
        #expect(got.count == c.expected.count, "\(c.name): \(got.count) results, want \(c.expected.count)")
        for (i, (g, want)) in zip(got, c.expected).enumerated() { expectClose(g, want, "\(c.name), result \(i)") }
    }

    @Test func splitReturnsViews() {
        let x = Tensor.arange(12).reshape([3, 4]).eval()
        let parts = x.split(sizes: [1, 3], axis: 1)
        #expect(parts.allSatisfy { if case .view = $0.node.op { true } else { false } })
        #expect(parts.allSatisfy { $0.node.realize().buffer === x.node.realize().buffer })
    }

    @Test func concatOfLazyAndStridedInputs() {
        let a = seededTensor([3, 2], seed: 1), b = seededTensor([2, 3], seed: 2)
        let got = Tensor.concat([a.T, b + 1], axis: 0)
        let (av, bv) = (a.toArray(), b.toArray())
        let want = [av[0], av[2], av[4], av[1], av[3], av[5]] + bv.map { $0 + 1 }
        #expect(got.shape == [4, 3])
        #expect(got.toArray() == want)
    }

    @Test func zeroDimensionalPadAndStack() {
        let s = Tensor(shape: [], scalars: [3.0])
        #expect(s.pad([]).item() == 3)
        #expect(Tensor.stack([s]).shape == [1])
    }

    // MARK: Gradients against central differences

    @Test func concatGradientIsSlices() {
        let x = seededTensor([2, 3], seed: 20)
        checkGradient({ Tensor.concat([$0 * 2, $0.exp(), $0[0..<1]], axis: 0) }, at: x, "concat axis 0")
        checkGradient({ Tensor.concat([$0, $0 * $0], axis: -1) }, at: x, "concat axis -1")
        checkGradient({ Tensor.concat([$0[TensorIndex.all, 0..<0], $0.T.T], axis: 1) }, at: x, "concat with an empty piece")
    }

    @Test func stackGradient() {
        checkGradient({ Tensor.stack([$0, $0 * $0, $0.sin()], axis: 1) }, at: seededTensor([2, 3], seed: 21), "stack axis 1")
        checkGradient({ Tensor.stack([$0.sum(), ($0 * $0).sum()]) }, at: seededTensor([4], seed: 22), "stack of 0-d")
    }

    @Test func splitGradient() {
        checkGradient({ x in
            let p = x.split(sizes: [1, 0, 2], axis: 1)
            return p[0] * 2 + p[2].sum(axis: 1, keepDims: true) + p[1].sum()
        }, at: seededTensor([3, 3], seed: 23), "split sizes")
        checkGradient({ x in
            let p = x.split(count: 3, axis: 0)
            return Tensor.concat([p[2], p[0] * p[0], p[1]], axis: 0)
        }, at: seededTensor([7], seed: 24), "split count")
    }

    @Test func padGradientIsSlice() {
        checkGradient({ $0.pad([(1, 2), (0, 1)], value: 3) }, at: seededTensor([2, 3], seed: 25), "pad 2d")
        checkGradient({ ($0 * $0).pad([(0, 0), (2, 0), (1, 1)]) }, at: seededTensor([1, 2, 2], seed: 26), "pad 3d")
    }

    // MARK: Errors

    @Test func mismatchedShapesTrapNamingTheShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.concat([Tensor.zeros([2, 3]), Tensor.zeros([3, 4])], axis: 0)
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[concat] shapes [2, 3] and [3, 4] differ outside axis 0"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.stack([Tensor.zeros([2]), Tensor.zeros([3])])
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[stack] shapes [2] and [3] must be equal"), "\(text)")
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([5]).split(sizes: [2, 2])
        }.map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(!text.contains("Fatal error") || text.contains("[split] sizes [2, 2] must be non-negative and add up to 5"), "\(text)")
        }
    }
}
