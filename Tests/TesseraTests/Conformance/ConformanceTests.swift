import Testing
@testable import Tessera

// The conformance suite: every public op on sample inputs over its dtypes and edge values (0, −0, ±inf,
// NaN, ties, empty and 0-d tensors), contiguous and as transposed, reversed and broadcast views; forward
// values against NumPy (PyTorch where NumPy has no such op or Tessera follows PyTorch's convention, see
// docs/conventions.md), float64 gradients against PyTorch's autograd. The references are in
// Fixtures/conformance/conformance.json, written by make_conformance.py beside it.

private struct ConformanceFile: Decodable {
    let numpy: String
    let torch: String
    let cases: [ConformanceCase]
}

private let suite: [ConformanceCase] = loadFixture(ConformanceFile.self, "conformance/conformance.json")?.cases ?? []

/// |got − expected| ≤ tol · (1 + |expected|) per dtype, NaN matching NaN, infinities exact; the float
/// tolerances allow a few ulps between libms (NumPy's float32 functions are accurate to 4 ulps).
private func conformanceTolerance(_ dtype: DType) -> Double {
    switch dtype {
    case .float64: 1e-12
    case .float32: 4e-6
    case .float16: 2e-3
    case .bfloat16: 1e-2
    default: 0
    }
}

/// What differs between `got` and `want` (shape, dtype, or the first element out of tolerance).
private func difference(_ got: Tensor, _ want: FixtureArray, tolerance: Double) -> String? {
    guard got.shape == want.shape else { return "shape \(got.shape), expected \(want.shape)" }
    guard got.dtype == want.tesseraDType else { return "dtype \(got.dtype), expected \(want.dtype)" }
    for (i, (g, w)) in zip(got.toArray(), want.data).enumerated() {
        let close = w.isNaN ? g.isNaN : (w.isInfinite ? g == w : Swift.abs(g - w) <= tolerance * (1 + Swift.abs(w)))
        if !close { return "element \(i) is \(g), expected \(w)" }
    }
    return nil
}

@Suite("Conformance with NumPy and PyTorch")
struct ConformanceTests {
    static let ops: [String] = Array(Set(suite.map(\.op))).sorted()

    @Test func theSuiteIsThere() {
        #expect(suite.count > 1000, "conformance.json holds \(suite.count) cases")
    }

    @Test("forward", arguments: ops)
    func forward(_ op: String) {
        for c in suite where c.op == op {
            let got = c.apply(c.inputs.map(\.tensor))
            if let why = difference(got, c.expected, tolerance: conformanceTolerance(c.expected.tesseraDType)) {
                Issue.record("\(c.id) (\(c.source)): \(why)")
            }
        }
    }

    @Test("gradient", arguments: ops)
    func gradient(_ op: String) {
        for c in suite where c.op == op {
            guard let cotangent = c.cotangent, let grads = c.grads else { continue }
            let leaves = c.inputs.map { $0.tensor.detach() }
            for (leaf, g) in zip(leaves, grads) where g != nil { leaf.requiresGrad = true }
            c.apply(leaves).backward(cotangent.tensor)
            for (i, (leaf, want)) in zip(leaves, grads).enumerated() {
                guard let want else { continue }
                guard let got = leaf.grad else {
                    Issue.record("\(c.id): no gradient for input \(i)")
                    continue
                }
                if let why = difference(got, want, tolerance: 1e-9) { Issue.record("\(c.id): gradient of input \(i): \(why)") }
            }
        }
    }
}
