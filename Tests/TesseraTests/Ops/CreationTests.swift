import Testing
@testable import Tessera

// Tensors from Swift values, constants and ranges, against the values NumPy's constructors give.

@Suite("Creation")
struct CreationTests {
    @Test func eye() {
        #expect(Tensor.eye(3).toArray() == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let wide = Tensor.eye(2, 3, dtype: .int32)
        #expect(wide.shape == [2, 3] && wide.dtype == .int32)
        #expect(wide.toArray() == [1, 0, 0, 0, 1, 0])
        #expect(Tensor.eye(3, 2).toArray() == [1, 0, 0, 1, 0, 0])
        #expect(Tensor.eye(0).shape == [0, 0])
    }

    /// `fullLike`, `zerosLike` and `onesLike` keep shape, dtype and device; the value is rounded to the dtype.
    @Test func likeConstructors() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], dtype: .float16)
        let filled = x.fullLike(0.1)
        #expect(filled.shape == [2, 2] && filled.dtype == .float16 && filled.device == x.device)
        #expect(filled.toArray() == [Double](repeating: Double(Float16(0.1)), count: 4))
        #expect(Tensor([3, 4] as [Int]).fullLike(2.9).toArray() == [2, 2])  // int64: truncated as NumPy's full
        #expect(x.zerosLike().toArray() == [0, 0, 0, 0] && x.onesLike().toArray() == [1, 1, 1, 1])
        #expect(Tensor.full([3], -1.5, dtype: .float64).toArray() == [-1.5, -1.5, -1.5])
    }

    @Test func arangeAndLinspace() {
        #expect(Tensor.arange(0, 10, step: 3).toArray() == [0, 3, 6, 9])
        #expect(Tensor.arange(0, 10, step: 3).dtype == .int64)
        #expect(Tensor.arange(5, 0, step: -2).toArray() == [5, 3, 1])
        #expect(Tensor.arange(0.0, 1.0, step: 0.25).toArray() == [0, 0.25, 0.5, 0.75])
        #expect(Tensor.arange(0.0, 1.0, step: 0.25).dtype == .float32)
        #expect(Tensor.arange(3, 3, step: 1).shape == [0])
        #expect(Tensor.linspace(0, 1, count: 5).toArray() == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.linspace(2, 7, count: 1).toArray() == [2])
        #expect(Tensor.linspace(0, 1, count: 0).shape == [0])
        let thirds = Tensor.linspace(0, 1, count: 4, dtype: .float64).toArray()
        #expect(thirds == [0, 1.0 / 3, 2.0 / 3, 1])
    }

    /// Swift values convert as NumPy's `astype`: floats to integers truncate, anything non-zero is true.
    @Test func fromSwiftValues() {
        let nested = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(nested.shape == [2, 3] && nested.dtype == .int64)
        #expect(Tensor([[0.5, -1.5]], dtype: .int32).toArray() == [0, -1])
        #expect(Tensor([0.0, 2, -0.25], dtype: .bool).scalars(as: Bool.self) == [false, true, true])
        #expect(Tensor([true, false]).dtype == .bool)
        #expect(Tensor(shape: [], scalars: [7.0]).rank == 0)
    }
}
