import Testing

@testable import Tessera

/// What `RandomFill` itself writes for `count` elements of type `T` (the reference the tensor API must match).
private func reference<T>(_ count: Int, _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] where T: Numeric {
    var values = [T](repeating: 0, count: count)
    values.withUnsafeMutableBufferPointer { body($0) }
    return values
}

/// Serialized: some tests reseed the global generator, whose offsets the others check.
@Suite("Tensor random", .serialized)
struct TensorRandomTests {
    @Test func sameSeedSameNumbers() {
        #expect(Tensor.rand([3, 5], seed: 9).toArray() == Tensor.rand([3, 5], seed: 9).toArray())
        #expect(Tensor.randn([17], seed: 9).toArray() == Tensor.randn([17], seed: 9).toArray())
        #expect(Tensor.rand([8], seed: 9).toArray() != Tensor.rand([8], seed: 10).toArray())
        #expect(Tensor.randint(0, 1000, [6], seed: 4).toArray() == Tensor.randint(0, 1000, [6], seed: 4).toArray())
    }

    @Test func seededDrawsAreRandomFillAtOffsetZero() {
        let n = 1003  // not a multiple of 4
        #expect(Tensor.rand([n], seed: 5).scalars(as: Float.self)
            == reference(n) { RandomFill.uniform(seed: 5, offset: 0, low: 0, high: 1, into: $0) })
        #expect(Tensor.rand([n], seed: 5, dtype: .float64).scalars(as: Double.self)
            == reference(n) { RandomFill.uniform(seed: 5, offset: 0, low: 0, high: 1, into: $0) })
        #expect(Tensor.randn([n], seed: 5).scalars(as: Float.self)
            == reference(n) { RandomFill.normal(seed: 5, offset: 0, mean: 0, std: 1, into: $0) })
        #expect(Tensor.randn([n], seed: 5, dtype: .float64).scalars(as: Double.self)
            == reference(n) { RandomFill.normal(seed: 5, offset: 0, mean: 0, std: 1, into: $0) })
        #expect(Tensor.uniform([n], low: -2, high: 3, seed: 6).scalars(as: Float.self)
            == reference(n) { RandomFill.uniform(seed: 6, offset: 0, low: -2, high: 3, into: $0) })
        #expect(Tensor.normal([n], mean: 1.5, std: 0.25, seed: 6, dtype: .float64).scalars(as: Double.self)
            == reference(n) { RandomFill.normal(seed: 6, offset: 0, mean: 1.5, std: 0.25, into: $0) })
        #expect(Tensor.randint(-5, 17, [n], seed: 7).scalars(as: Int64.self)
            == reference(n) { RandomFill.integers(seed: 7, offset: 0, low: -5, high: 17, into: $0) })
    }

    @Test func halfPrecisionRoundsTheFloat32Draw() {
        let n = 999
        let f = reference(n) { (b: UnsafeMutableBufferPointer<Float>) in RandomFill.normal(seed: 3, offset: 0, mean: 0, std: 1, into: b) }
        #expect(Tensor.randn([n], seed: 3, dtype: .float16).scalars(as: Float16.self) == f.map { Float16($0) })
        #expect(Tensor.randn([n], seed: 3, dtype: .bfloat16).toArray() == f.map { Double(BFloat16($0).floatValue) })
    }

    @Test func halfPrecisionUniformStaysBelowHigh() {
        // Float32 draws near 1 round up to 1.0 in float16 and bfloat16; they must land just below instead.
        for dtype in [DType.float16, .bfloat16] {
            let values = Tensor.rand([200_000], seed: 1, dtype: dtype).toArray()
            #expect(values.allSatisfy { $0 >= 0 && $0 < 1 }, "\(dtype)")
            #expect(values.max()! > 0.99, "\(dtype)")
            let shifted = Tensor.uniform([200_000], low: -3, high: -1, seed: 2, dtype: dtype).toArray()
            #expect(shifted.allSatisfy { $0 >= -3 && $0 < -1 }, "\(dtype)")
        }
    }

    @Test func globalGeneratorHandsOutConsecutiveOffsets() {
        Tensor.manualSeed(123)
        let a = Tensor.rand([10]).scalars(as: Float.self)            // offsets 0..<3
        let b = Tensor.randn([5], dtype: .float64).scalars(as: Double.self)  // offsets 3..<5
        let c = Tensor.randint(0, 100, [4]).scalars(as: Int64.self)  // offset 5
        #expect(a == reference(10) { RandomFill.uniform(seed: 123, offset: 0, low: 0, high: 1, into: $0) })
        #expect(b == reference(5) { RandomFill.normal(seed: 123, offset: 3, mean: 0, std: 1, into: $0) })
        #expect(c == reference(4) { RandomFill.integers(seed: 123, offset: 5, low: 0, high: 100, into: $0) })
        // An explicit seed neither uses nor advances the global stream.
        _ = Tensor.rand([1000], seed: 99)
        let d = Tensor.rand([3]).scalars(as: Float.self)
        #expect(d == reference(3) { RandomFill.uniform(seed: 123, offset: 6, low: 0, high: 1, into: $0) })
        // Draws never share a counter: the next draw starts where the last one's counters ended.
        let whole = reference(40) { (x: UnsafeMutableBufferPointer<Float>) in RandomFill.uniform(seed: 123, offset: 7, low: 0, high: 1, into: x) }
        let e = Tensor.rand([8]).scalars(as: Float.self), f = Tensor.rand([8]).scalars(as: Float.self)
        #expect(e + f == Array(whole[0..<16]))
    }

    @Test func manualSeedReproduces() {
        Tensor.manualSeed(7)
        let first = [Tensor.rand([4, 4]).toArray(), Tensor.randn([9]).toArray(), Tensor.randint(0, 5, [3]).toArray()]
        Tensor.manualSeed(7)
        let again = [Tensor.rand([4, 4]).toArray(), Tensor.randn([9]).toArray(), Tensor.randint(0, 5, [3]).toArray()]
        #expect(first == again)
        Tensor.manualSeed(8)
        #expect(Tensor.rand([4, 4]).toArray() != first[0])
    }

    @Test func defaultSeedIsZero() async {
        Tensor.manualSeed(0)
        let seeded = Tensor.rand([6], seed: 0).toArray()
        #expect(Tensor.rand([6]).toArray() == seeded)
    }

    @Test func globalGeneratorIsThreadSafe() async {
        // Concurrent draws get distinct offsets: together they are a permutation of one sequential run.
        Tensor.manualSeed(55)
        let draws = await withTaskGroup(of: [Float].self) { group in
            for _ in 0..<16 { group.addTask { Tensor.rand([4]).scalars(as: Float.self) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let expected = reference(64) { (b: UnsafeMutableBufferPointer<Float>) in RandomFill.uniform(seed: 55, offset: 0, low: 0, high: 1, into: b) }
        let chunks = stride(from: 0, to: 64, by: 4).map { Array(expected[$0..<($0 + 4)]) }
        #expect(Set(draws.map { $0.map(\.bitPattern) }) == Set(chunks.map { $0.map(\.bitPattern) }))
    }

    @Test(arguments: [DType.float16, .bfloat16, .float32, .float64])
    func shapesAndDTypes(_ dtype: DType) {
        for shape in [[], [0], [3, 0], [1], [2, 3, 4]] as [[Int]] {
            for t in [Tensor.rand(shape, seed: 1, dtype: dtype), Tensor.randn(shape, dtype: dtype),
                      Tensor.uniform(shape, low: 2, high: 4, dtype: dtype), Tensor.normal(shape, mean: 1, std: 2, seed: 3, dtype: dtype)] {
                // Draws are lazy like every op: the kernel runs when the tensor is read.
                #expect(t.shape == shape && t.dtype == dtype && !t.isRealized)
                #expect(t.eval().isRealized)
            }
        }
        let r = Tensor.rand([5000], seed: 2, dtype: dtype).toArray()
        #expect(r.allSatisfy { $0 >= 0 && $0 < 1 })
        let u = Tensor.uniform([5000], low: 2, high: 4, seed: 2, dtype: dtype).toArray()
        #expect(u.allSatisfy { $0 >= 2 && $0 < 4 })
        let mean = Tensor.normal([20000], mean: 5, std: 0.5, seed: 2, dtype: dtype).toArray().reduce(0, +) / 20000
        #expect(abs(mean - 5) < 0.05)
    }

    @Test func randintBounds() {
        let t = Tensor.randint(-3, 4, [10000], seed: 11)
        #expect(t.dtype == .int64 && t.shape == [10000])
        let values = t.scalars(as: Int64.self)
        #expect(Set(values) == Set(-3...3))
        let one = Tensor.randint(7, 8, [50], seed: 1).scalars(as: Int64.self)
        #expect(one.allSatisfy { $0 == 7 })
        let wide = Tensor.randint(Int64.min, Int64.max, [1000], seed: 1).scalars(as: Int64.self)
        #expect(wide.allSatisfy { $0 < .max })
        #expect(wide.contains { $0 < 0 } && wide.contains { $0 > 0 })
        #expect(Tensor.randint(0, 10, [2, 2], seed: 0).shape == [2, 2])
    }
}
