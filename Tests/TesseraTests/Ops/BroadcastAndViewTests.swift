import Testing
import TesseraSelfTest
@testable import Tessera

// Edge cases of shapes, strides and dtypes: empty dimensions, negative strides, 0-d tensors, views of
// views, reshapes that must copy, and the type-promotion table. References are `OpRef` (OpTableTests.swift)
// or values written out by hand.

/// A float64 reference for `Tensor(shape:scalars:)` of 0, 1, 2, … .
private func iota(_ shape: [Int]) -> OpRef {
    OpRef(shape: shape, data: (0..<shape.reduce(1, *)).map(Double.init))
}

private func tensor(_ r: OpRef, _ dtype: DType = .float32) -> Tensor {
    Tensor(shape: r.shape, scalars: r.data, dtype: dtype)
}

@Suite("Broadcasting, views and promotion")
struct BroadcastAndViewTests {
    // MARK: zero-size dimensions

    @Test func zeroSizeDimensions() {
        let x = Tensor.zeros([0, 3])
        let row = Tensor([1.0, 2.0, 3.0])
        let sum = x + row
        #expect(sum.shape == [0, 3])
        #expect(sum.toArray().isEmpty)
        #expect((x * 2).shape == [0, 3])
        // Sums over an empty axis are 0, over a non-empty axis of an empty tensor are empty.
        #expect(x.sum(axis: 0).shape == [3])
        #expect(x.sum(axis: 0).toArray() == [0, 0, 0])
        #expect(x.sum(axis: 1).shape == [0])
        #expect(x.sum().item() == 0)
        #expect(x.prod(axis: 0).toArray() == [1, 1, 1])
        #expect(x.sum(axes: [0], keepDims: true).shape == [1, 3])
        // The mean of nothing is NaN (NumPy, PyTorch).
        let mean = x.mean(axis: 0).toArray()
        #expect(mean.count == 3 && mean.allSatisfy { $0.isNaN })
        #expect(x.mean(axis: 1).shape == [0])
        #expect(x.reshape([3, 0]).shape == [3, 0])
        #expect(x.reshape([-1, 3]).shape == [0, 3])
        #expect(x.flatten().shape == [0])
        #expect(x.T.shape == [3, 0])
        #expect(x.exp().contiguous().toArray().isEmpty)
        // Broadcasting [0, 1] with [3] gives [0, 3]; [0] with [1] gives [0].
        #expect((Tensor.zeros([0, 1]) + row).shape == [0, 3])
        #expect((Tensor.zeros([0]) + Tensor.ones([1])).shape == [0])
        // An empty slice flows through reductions.
        let y = tensor(iota([4, 3]))[2..<2]
        #expect(y.shape == [0, 3])
        #expect(y.sum(axis: 0).toArray() == [0, 0, 0])
    }

    @Test func zeroSizeGradient() {
        let x = Tensor.zeros([0, 3], dtype: .float64)
        x.requiresGrad = true
        (x * 2).sum().backward()
        #expect(x.grad?.shape == [0, 3])
    }

    // MARK: negative strides

    @Test func negativeStridesThroughOps() {
        let r = iota([4, 5])
        let x = tensor(r, .float64)
        let rev = x[.stride(from: nil, to: nil, by: -1), .stride(from: nil, to: nil, by: -2)]
        let rr = r.selecting([[3, 2, 1, 0], [4, 2, 0]])
        #expect(rev.shape == [4, 3])
        #expect(rev.toArray() == rr.data)
        #expect(rev.contiguous().toArray() == rr.data)
        // Elementwise with a reversed view and a forward one, broadcast.
        let col = x[.all, 1][.stride(from: nil, to: nil, by: -1)].reshape([4, 1])  // rows reversed, column 1
        let colRef = r.selecting([[3, 2, 1, 0], [1]])
        expectOpRefClose(rev * 2 + col, OpRef.zip([rr, colRef]) { $0[0] * 2 + $0[1] }, dtype: .float64,
                         "rev * 2 + col")
        expectOpRefClose(rev.sum(axis: 0), rr.reduce(axes: [0], keepDims: false) { $0.reduce(0, +) },
                         dtype: .float64, "reversed sum(axis: 0)")
        expectOpRefClose(rev.sum(axis: 1), rr.reduce(axes: [1], keepDims: false) { $0.reduce(0, +) },
                         dtype: .float64, "reversed sum(axis: 1)")
        expectOpRefClose(rev.max(axis: 1), rr.reduce(axes: [1], keepDims: false) { $0.max()! },
                         dtype: .float64, "reversed max(axis: 1)")
        #expect(rev.argmax(axis: 1).toArray() == [0, 0, 0, 0])
        #expect(rev.argmin().item() == 11)
        // A reversed int32 tensor keeps its dtype through arithmetic.
        let xi = tensor(r, .int32)[.stride(from: nil, to: nil, by: -1)]
        #expect((xi - 1).dtype == .int32)
        #expect((xi - 1).toArray() == r.selecting([[3, 2, 1, 0], [0, 1, 2, 3, 4]]).data.map { $0 - 1 })
    }

    @Test func negativeStrideGradient() {
        let values = (0..<12).map { Double($0) * 0.37 - 2 }
        let input = OpRef(shape: [3, 4], data: values)
        expectGradientsMatchFiniteDifferences(
            "reversed slices", inputs: [input], dtypes: [.float64], differentiable: [true],
            { ($0[0][.stride(from: nil, to: nil, by: -1), .stride(from: -1, to: 0, by: -2)].exp() * $0[0][..<3, 1..<3]).sum(axis: 0) },
            seed: "negativeStrideGradient")
    }

    // MARK: 0-d tensors

    @Test func zeroDimensionalTensors() {
        let s = Tensor(shape: [], scalars: [2.5], dtype: .float64)
        #expect(s.rank == 0 && s.count == 1 && s.shape == [])
        #expect(s.item() == 2.5)
        #expect(s.item(as: Float.self) == 2.5)
        let x = tensor(iota([2, 3]), .float64)
        #expect((x * s).toArray() == iota([2, 3]).data.map { $0 * 2.5 })
        #expect((s - x).shape == [2, 3])
        #expect((s - x).toArray() == iota([2, 3]).data.map { 2.5 - $0 })
        #expect((s * s).shape == [])
        #expect((s * s).item() == 6.25)
        #expect(s.exp().item() == Tensor(shape: [1], scalars: [2.5], dtype: .float64).exp().toArray()[0])
        #expect(x.sum().shape == [])
        #expect(x.sum().item() == 15)
        #expect(x.max().item() == 5)
        #expect(s.sum().item() == 2.5)
        #expect(s.reshape([1, 1]).shape == [1, 1])
        #expect(s.unsqueeze(axis: 0).shape == [1])
        #expect(Tensor(shape: [1, 1], scalars: [4.0]).squeeze().shape == [])
        #expect(s[.newAxis].shape == [1])
        #expect(s.broadcast(to: [2, 2]).toArray() == [2.5, 2.5, 2.5, 2.5])
        #expect(Tensor(shape: [], scalars: [7], dtype: .int32).item(as: Int.self) == 7)
        // Indexing a vector with an integer gives a 0-d tensor.
        let v = Tensor([1.0, 2.0, 3.0])
        #expect(v[1].shape == [] && v[1].item() == 2)
        #expect(v[-1].item() == 3)
        // A 0-d gradient.
        let (value, grad) = valueWithGradient(at: s) { ($0 * $0 * 3).sum() }
        #expect(value.item() == 18.75)
        #expect(grad.shape == [] && grad.item() == 15)
    }

    // MARK: views of views

    @Test func viewsOfViews() {
        let r = iota([4, 6, 5])
        let x = tensor(r, .float64)
        let v = x.permute([2, 0, 1])[1..., .stride(from: nil, to: nil, by: -1), .stride(from: 1, to: nil, by: 2)]
            .transposed(0, 2)[.stride(from: nil, to: nil, by: -1)]
        // Reference: the same composition on OpRef.
        let a = r.permuted([2, 0, 1])
        let b = a.selecting([[1, 2, 3, 4], [3, 2, 1, 0], [1, 3, 5]]).permuted([2, 1, 0])
        let expected = b.selecting([[2, 1, 0], [0, 1, 2, 3], [0, 1, 2, 3]])
        #expect(v.shape == expected.shape)
        #expect(v.toArray() == expected.data)
        #expect(v.contiguous().toArray() == expected.data)
        #expect((v + 0).toArray() == expected.data)
        expectOpRefClose(v.sum(axes: [0, 2]), expected.reduce(axes: [0, 2], keepDims: false) { $0.reduce(0, +) },
                         dtype: .float64, "view of view sum")
        // Broadcast of a slice of a broadcast.
        let bb = Tensor([1.0, 2.0, 3.0]).broadcast(to: [4, 3])[.stride(from: nil, to: nil, by: -2), 1...]
        #expect(bb.shape == [2, 2])
        #expect(bb.toArray() == [2, 3, 2, 3])
        // The original is unchanged by anything done to views.
        #expect(x.toArray() == r.data)
    }

    /// Reshaping a transposed tensor has to copy (its elements aren't in row-major order).
    @Test func reshapeOfNonContiguous() {
        let r = iota([3, 4])
        let x = tensor(r, .float64)
        let t = x.T  // [4, 3]
        let flat = t.reshape([-1])
        let expected = r.permuted([1, 0])
        #expect(flat.toArray() == expected.data)
        #expect(t.reshape([2, 6]).toArray() == expected.data)
        #expect(t.reshape([3, 2, 2]).sum(axis: 2).toArray()
                    == expected.reshaped([3, 2, 2]).reduce(axes: [2], keepDims: false) { $0.reduce(0, +) }.data)
        // The strided slice of a permuted 3-d tensor, reshaped.
        let r3 = iota([2, 3, 4])
        let y = tensor(r3, .float64).permute([1, 2, 0])[.all, .stride(from: nil, to: nil, by: -2)]
        let yRef = r3.permuted([1, 2, 0]).selecting([[0, 1, 2], [3, 1], [0, 1]])
        #expect(y.reshape([6, 2]).toArray() == yRef.data)
        #expect(y.reshape([12]).toArray() == yRef.data)
        // The copy doesn't write through to the original, and gradients route back through the transpose.
        #expect(x.toArray() == r.data)
        expectGradientsMatchFiniteDifferences(
            "transpose then reshape", inputs: [OpRef(shape: [3, 4], data: r.data.map { $0 * 0.1 - 0.5 })],
            dtypes: [.float64], differentiable: [true], { ($0[0].T.reshape([2, 6]) * Tensor.arange(6, dtype: .float64)).sin() },
            seed: "reshapeOfNonContiguous")
    }

    // MARK: type promotion

    struct PromotionCase: CustomTestStringConvertible, Sendable {
        let name: String
        let make: @Sendable () -> Tensor
        let dtype: DType
        let values: [Double]
        var testDescription: String { name }
    }

    static let promotions: [PromotionCase] = [
        PromotionCase(name: "bool + int32 → int32", make: {
            Tensor([true, false, true]) + Tensor([1, 2, -3] as [Int], dtype: .int32)
        }, dtype: .int32, values: [2, 2, -2]),
        PromotionCase(name: "int32 + float16 → float16", make: {
            Tensor([1, 2, 3] as [Int], dtype: .int32) + Tensor(shape: [3], scalars: [0.5, 0.25, -1], dtype: .float16)
        }, dtype: .float16, values: [1.5, 2.25, 2]),
        PromotionCase(name: "float16 + bfloat16 → float32", make: {
            Tensor(shape: [2], scalars: [0.5, 1], dtype: .float16) + Tensor(shape: [2], scalars: [0.25, 2], dtype: .bfloat16)
        }, dtype: .float32, values: [0.75, 3]),
        PromotionCase(name: "int32 + 1 stays int32", make: {
            Tensor([1, 2, 3] as [Int], dtype: .int32) + 1
        }, dtype: .int32, values: [2, 3, 4]),
        PromotionCase(name: "1 + int32 stays int32", make: {
            1 + Tensor([1, 2, 3] as [Int], dtype: .int32)
        }, dtype: .int32, values: [2, 3, 4]),
        PromotionCase(name: "uint8 * 2 stays uint8 (wraps)", make: {
            Tensor([1, 200] as [Int], dtype: .uint8) * 2
        }, dtype: .uint8, values: [2, 144]),
        PromotionCase(name: "int32 + 0.5 → float32", make: {
            Tensor([1, 2, 3] as [Int], dtype: .int32) + 0.5
        }, dtype: .float32, values: [1.5, 2.5, 3.5]),
        PromotionCase(name: "float16 * 2.0 stays float16", make: {
            Tensor(shape: [2], scalars: [1.5, -3], dtype: .float16) * 2.0
        }, dtype: .float16, values: [3, -6]),
        PromotionCase(name: "bfloat16 - 1 stays bfloat16", make: {
            Tensor(shape: [2], scalars: [1.5, -3], dtype: .bfloat16) - 1
        }, dtype: .bfloat16, values: [0.5, -4]),
        PromotionCase(name: "bool + 1 → int64", make: {
            Tensor([true, false]) + 1
        }, dtype: .int64, values: [2, 1]),
        PromotionCase(name: "bool * 1.5 → float32", make: {
            Tensor([true, false]) * 1.5
        }, dtype: .float32, values: [1.5, 0]),
        PromotionCase(name: "int32 + int64 → int64", make: {
            Tensor([1, 2] as [Int], dtype: .int32) + Tensor([Int64(1) << 40, 5])
        }, dtype: .int64, values: [Double((Int64(1) << 40) + 1), 7]),
        PromotionCase(name: "uint8 + int32 → int32", make: {
            Tensor([250] as [Int], dtype: .uint8) + Tensor([10] as [Int], dtype: .int32)
        }, dtype: .int32, values: [260]),
        PromotionCase(name: "float32 + float64 → float64", make: {
            Tensor(shape: [1], scalars: [0.5], dtype: .float32) + Tensor(shape: [1], scalars: [1e-10], dtype: .float64)
        }, dtype: .float64, values: [0.5 + 1e-10]),
        PromotionCase(name: "int64 + float16 → float16", make: {
            Tensor([3] as [Int]) + Tensor(shape: [1], scalars: [0.5], dtype: .float16)
        }, dtype: .float16, values: [3.5]),
        PromotionCase(name: "int32 / int32 → float32", make: {
            Tensor([1, 7] as [Int], dtype: .int32) / Tensor([4, 2] as [Int], dtype: .int32)
        }, dtype: .float32, values: [0.25, 3.5]),
        PromotionCase(name: "int32 .< float16 → bool", make: {
            Tensor([1, 2] as [Int], dtype: .int32) .< Tensor(shape: [2], scalars: [1.5, 1.5], dtype: .float16)
        }, dtype: .bool, values: [1, 0]),
        PromotionCase(name: "where(bool, int32, float16) → float16", make: {
            Tensor.where(Tensor([true, false]), Tensor([1, 2] as [Int], dtype: .int32),
                         Tensor(shape: [2], scalars: [0.5, 0.5], dtype: .float16))
        }, dtype: .float16, values: [1, 0.5]),
        PromotionCase(name: "sum(int32) → int64", make: {
            Tensor([Int(Int32.max), Int(Int32.max)] as [Int], dtype: .int32).sum()
        }, dtype: .int64, values: [2 * Double(Int32.max)]),
        PromotionCase(name: "mean(int32) → float32", make: {
            Tensor([1, 2] as [Int], dtype: .int32).mean()
        }, dtype: .float32, values: [1.5]),
    ]

    @Test(arguments: promotions)
    func promotion(_ c: PromotionCase) {
        do {
            let t = c.make()
            #expect(t.dtype == c.dtype, "\(c.name)")
            #expect(t.toArray() == c.values, "\(c.name)")
        }
    }

    @Test func promotionTableIsSymmetric() {
        for a in DType.allCases {
            for b in DType.allCases {
                #expect(DType.promote(a, b) == DType.promote(b, a), "promote(\(a), \(b))")
                let t = Tensor.zeros([1], dtype: a) + Tensor.zeros([1], dtype: b)
                #expect(t.dtype == DType.promote(a, b), "\(a) + \(b)")
            }
        }
        #expect(DType.promote(.float16, .bfloat16) == .float32)
        #expect(DType.promote(.bool, .uint8) == .uint8)
        #expect(DType.promote(.int64, .float16) == .float16)
    }
}
