import Testing
import TesseraSelfTest
@testable import Tessera

// matmul, dot and outer against a float64 reference written here (NumPy's matmul rules: 1-d operands
// become a row or column and lose it again; batch dimensions broadcast), and their gradients against
// central differences.

private func refMatmul(_ a: OpRef, _ b: OpRef) -> OpRef { OpRef.matmul(a, b) }

private func draw(_ shape: [Int], _ seed: String, _ lo: Double = -1, _ hi: Double = 1) -> OpRef {
    var rng = SplitMix64(hashing: seed)
    return OpRef(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in rng.uniform(lo, hi) })
}

struct MatmulCase: CustomTestStringConvertible, Sendable {
    let a: [Int], b: [Int]
    var testDescription: String { "\(a) · \(b)" }

    static let all: [MatmulCase] = [
        MatmulCase(a: [3, 4], b: [4, 5]),
        MatmulCase(a: [1, 1], b: [1, 1]),
        MatmulCase(a: [5, 1], b: [1, 3]),          // k = 1
        MatmulCase(a: [2, 3, 4], b: [2, 4, 2]),    // batched
        MatmulCase(a: [2, 1, 3, 4], b: [5, 4, 2]), // broadcast batch dims
        MatmulCase(a: [3, 4], b: [2, 4, 2]),       // matrix broadcast against a batch
        MatmulCase(a: [4], b: [4, 5]),             // vector · matrix
        MatmulCase(a: [3, 4], b: [4]),             // matrix · vector
        MatmulCase(a: [4], b: [2, 4, 3]),          // vector · batch
        MatmulCase(a: [2, 3, 4], b: [4]),          // batch · vector
        MatmulCase(a: [6], b: [6]),                // dot via matmul
    ]
}

@Suite("Linear algebra")
struct LinalgTests {
    @Test(arguments: MatmulCase.all)
    func matmulForward(_ c: MatmulCase) {
        let a = draw(c.a, "a\(c.a)"), b = draw(c.b, "b\(c.b)")
        let expected = refMatmul(a, b)
        for dtype in [DType.float64, .float32, .float16, .bfloat16] {
            let (ta, ra) = opTableTensor(a.data, shape: a.shape, dtype: dtype)
            let (tb, rb) = opTableTensor(b.data, shape: b.shape, dtype: dtype)
            // Sums of k products: allow k roundings of the output dtype.
            let k = c.a.last!
            expectOpRefClose(ta.matmul(tb), refMatmul(ra, rb), dtype: dtype, factor: Double(Swift.max(k, 2)),
                             "\(c.testDescription) \(dtype)")
        }
        #expect(expected.shape == Tensor(shape: c.a, scalars: a.data).matmul(Tensor(shape: c.b, scalars: b.data)).shape)
    }

    @Test(arguments: MatmulCase.all)
    func matmulGradient(_ c: MatmulCase) {
        expectGradientsMatchFiniteDifferences("matmul \(c.testDescription)",
                                              inputs: [draw(c.a, "ga\(c.a)"), draw(c.b, "gb\(c.b)")],
                                              dtypes: [.float64, .float64], differentiable: [true, true],
                                              { $0[0].matmul($0[1]) }, seed: "matmul\(c.a)\(c.b)")
    }

    @Test func integerMatmul() {
        let a = OpRef(shape: [2, 3], data: [1, -2, 3, 40000, 5, -6])
        let b = OpRef(shape: [3, 2], data: [7, 8, -9, 10, 11, 40000])
        let expected = refMatmul(a, b)
        for dtype in [DType.int32, .int64] {
            let y = Tensor(shape: a.shape, scalars: a.data, dtype: dtype).matmul(Tensor(shape: b.shape, scalars: b.data, dtype: dtype))
            #expect(y.dtype == dtype)
            #expect(y.toArray() == expected.data.map { opTableStored($0, dtype) }, "\(dtype)")
        }
        // Mixed dtypes promote: int32 · float32 → float32.
        let mixed = Tensor(shape: [2, 3], scalars: a.data, dtype: .int32).matmul(Tensor(shape: [3, 2], scalars: b.data.map { $0 / 4 }, dtype: .float32))
        #expect(mixed.dtype == .float32)
        expectOpRefClose(mixed, refMatmul(a, b.map { $0 / 4 }), dtype: .float32, "int32 · float32")
    }

    @Test func nonContiguousOperands() {
        let a = draw([4, 3], "nc a"), b = draw([5, 4], "nc b")
        let ta = Tensor(shape: a.shape, scalars: a.data, dtype: .float64)
        let tb = Tensor(shape: b.shape, scalars: b.data, dtype: .float64)
        // aᵀ · bᵀ, and a reversed slice · a strided one.
        expectOpRefClose(ta.T.matmul(tb.T), refMatmul(a.permuted([1, 0]), b.permuted([1, 0])), dtype: .float64, "aᵀ·bᵀ")
        let ra = ta[.stride(from: nil, to: nil, by: -1)]  // [4, 3] rows reversed
        let rb = tb[.stride(from: nil, to: nil, by: 2), ..<3].T  // [3, 3]
        expectOpRefClose(ra.matmul(rb),
                         refMatmul(a.selecting([[3, 2, 1, 0], [0, 1, 2]]), b.selecting([[0, 2, 4], [0, 1, 2]]).permuted([1, 0])),
                         dtype: .float64, "reversed · strided")
        expectGradientsMatchFiniteDifferences("transposed matmul", inputs: [a, b], dtypes: [.float64, .float64],
                                              differentiable: [true, true], { $0[0].T.matmul($0[1].T) },
                                              seed: "transposed matmul")
    }

    /// An empty inner dimension is an empty sum: zeros, as NumPy gives.
    @Test func emptyInnerDimensionGivesZeros() {
        let y = Tensor.zeros([3, 0]).matmul(Tensor.zeros([0, 2]))
        #expect(y.shape == [3, 2])
        #expect(y.toArray() == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.zeros([0, 4]).matmul(Tensor.ones([4, 2])).shape == [0, 2])
    }

    @Test func emptyOuterDimensions() {
        let y = Tensor.zeros([0, 4]).matmul(Tensor.ones([4, 2]))
        #expect(y.shape == [0, 2])
        #expect(y.toArray().isEmpty)
        let z = Tensor.ones([2, 4]).matmul(Tensor.ones([4, 0]))
        #expect(z.shape == [2, 0])
        #expect(z.toArray().isEmpty)
    }

    @Test func dotAndOuter() {
        let u = draw([5], "u"), v = draw([5], "v"), w = draw([3], "w")
        let tu = Tensor(shape: [5], scalars: u.data, dtype: .float64)
        let tv = Tensor(shape: [5], scalars: v.data, dtype: .float64)
        let tw = Tensor(shape: [3], scalars: w.data, dtype: .float64)
        let dot = tu.dot(tv)
        #expect(dot.shape == [])
        expectOpRefClose(dot, OpRef(shape: [], data: [zip(u.data, v.data).map { $0 * $1 }.reduce(0, +)]), dtype: .float64, "dot")
        let outer = tu.outer(tw)
        expectOpRefClose(outer, OpRef(shape: [5, 3], data: u.data.flatMap { a in w.data.map { a * $0 } }), dtype: .float64, "outer")
        expectGradientsMatchFiniteDifferences("dot", inputs: [u, v], dtypes: [.float64, .float64], differentiable: [true, true],
                                              { $0[0].dot($0[1]) }, seed: "dot")
        do {
            expectGradientsMatchFiniteDifferences("outer", inputs: [u, w], dtypes: [.float64, .float64], differentiable: [true, true],
                                                  { $0[0].outer($0[1]) }, seed: "outer")
        }
        let fu = Tensor(shape: [5], scalars: u.data, dtype: .float32)
        expectOpRefClose(fu.dot(Tensor(shape: [5], scalars: v.data, dtype: .float32)),
                         OpRef(shape: [], data: [zip(fu.toArray(), Tensor(shape: [5], scalars: v.data, dtype: .float32).toArray()).map { $0 * $1 }.reduce(0, +)]),
                         dtype: .float32, factor: 5, "float32 dot")
    }

    /// A matmul inside a larger graph: a linear layer with a bias and an activation, and its gradients.
    @Test func linearLayerGradient() {
        let x = draw([4, 3], "lx"), w = draw([3, 2], "lw"), b = draw([2], "lb")
        do {
            expectGradientsMatchFiniteDifferences("tanh(x·w + b)", inputs: [x, w, b], dtypes: [.float64, .float64, .float64],
                                                  differentiable: [true, true, true], { ($0[0].matmul($0[1]) + $0[2]).tanh() },
                                                  seed: "linear")
        }
    }

    /// Without gradients, a linear layer's bias and activation run as the product's epilogue, in place
    /// over the product: one kernel, the same numbers.
    @Test func epilogueAfterTheProduct() {
        let x = draw([7, 5], "ex"), w = draw([5, 3], "ew"), b = draw([3], "eb")
        let tx = Tensor(shape: x.shape, scalars: x.data, dtype: .float64)
        let tw = Tensor(shape: w.shape, scalars: w.data, dtype: .float64)
        let tb = Tensor(shape: b.shape, scalars: b.data, dtype: .float64)
        var y = Tensor.zeros([0])
        let kernels = KernelTrace.record { y = withoutGrad { (tx.matmul(tw) + tb).relu().eval() } }
            .filter { $0.outputShape == [7, 3] }
        #expect(kernels.map(\.name) == ["matmul"] && kernels.first?.ops == ["matmul", "add", "le", "where"], "\(kernels)")
        let expected = OpRef.zip([refMatmul(x, w), b]) { Swift.max($0[0] + $0[1], 0) }
        expectOpRefClose(y, expected, dtype: .float64, "relu(x·w + b)")
    }

    /// Integer products are exact in int64 (past 2⁵³, where float64 is not) and wrap like NumPy's; int32
    /// wraps at 32 bits; bools give whether any product is true, as NumPy's `bool @ bool`.
    @Test func integerAndBoolProductsAreExact() {
        let big = Int64(1) << 31 + 1
        let a = Tensor(shape: [1, 2], scalars: [big, 3], dtype: .int64)
        let b = Tensor(shape: [2, 1], scalars: [big, 1], dtype: .int64)
        #expect(a.matmul(b).scalars(as: Int64.self) == [big &* big &+ 3])  // 2⁶² + 2³² + 4
        let wrap = Tensor(shape: [1, 1], scalars: [Int64(Int32.max)], dtype: .int32)
        #expect(wrap.matmul(Tensor(shape: [1, 1], scalars: [Int64(2)], dtype: .int32)).scalars(as: Int32.self)
                == [Int32.max &* 2])
        let p = Tensor([[true, false], [false, false]]), q = Tensor([[false, true], [true, true]])
        let both = p.matmul(q)
        #expect(both.dtype == .bool)
        #expect(both.scalars(as: Bool.self) == [false, true, false, false])
    }
}
