import Testing
@testable import Tessera

/// Fused kernels that once computed wrong values, each checked against plain Double math.
@Suite("Fusion regressions")
struct FusionRegressionTests {
    private func expectValues(_ t: Tensor, _ expected: [Double], tolerance: Double = 1e-6,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let got = t.toArray()
        #expect(got.count == expected.count, sourceLocation: sourceLocation)
        for (g, e) in zip(got, expected) {
            #expect(Swift.abs(g - e) <= tolerance * (1 + Swift.abs(e)), "got \(got), expected \(expected)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Constants are filled once per thread; per-tile values must never reuse their registers.
    @Test func constantsKeepTheirRegisters() {
        expectValues(Tensor.arange(12) * 0.5 - 2, (0..<12).map { Double($0) * 0.5 - 2 })
        expectValues(Tensor([1, 2, 3], dtype: .int32) + 0.5, [1.5, 2.5, 3.5])
        expectValues(Tensor([true, false]) * 1.5, [1.5, 0])
        let c = Tensor(shape: [3], scalars: [0.3, -0.7, 0.9], dtype: .float64)
        let x = Tensor(shape: [3], scalars: [0.5, -1, 2], dtype: .float64)
        let expected = zip([0.3, -0.7, 0.9], [0.5, -1.0, 2.0]).map { c, x in c * x * (1 - x) }
        expectValues(Tensor.ones([3], dtype: .float64) * c * x * (1 - x), expected)
    }

    @Test func sharedSubexpressionsAreComputedOnce() {
        let hi = Tensor(shape: [4], scalars: [1.0, 3, 5, 7], dtype: .float64)
        let lo = Tensor(shape: [4], scalars: [0.0, 0, 1, 2], dtype: .float64)
        let d = hi - lo
        expectValues((hi - d) + (lo + d) * 1000, [1000, 3000, 5001, 7002])  // lo + 1000·hi
    }

    /// A cast to bool tests for non-zero; it must not truncate 0.25 to 0 first.
    @Test func castToBoolTestsNonZero() {
        expectValues(Tensor(shape: [4], scalars: [0, -0.0, 0.25, -3], dtype: .float64).astype(.bool), [0, 0, 1, 1])
        expectValues(Tensor([1.0, 0, 2]) .&& Tensor([0.5, 1, 0]), [1, 0, 0])
    }

    /// A reduction over a leading axis, with the max broadcast back: softmax over axis 0.
    @Test func softmaxOverLeadingAxis() {
        let values: [Double] = [0.5, -1, 2, 1.5, 0.25, -0.75]
        let x = Tensor(shape: [2, 3], scalars: values, dtype: .float64)
        var expected = [Double](repeating: 0, count: 6)
        for column in 0..<3 {
            let a = values[column], b = values[3 + column]
            let m = Swift.max(a, b), ea = Double.exp(a - m), eb = Double.exp(b - m)
            expected[column] = ea / (ea + eb)
            expected[3 + column] = eb / (ea + eb)
        }
        expectValues(x.softmax(axis: 0), expected, tolerance: 1e-12)
    }

    @Test func matmulWithEmptyInnerDimensionIsZero() {
        expectValues(Tensor.zeros([3, 0]).matmul(Tensor.zeros([0, 2])), [0, 0, 0, 0, 0, 0])
    }

    /// Reductions over leading axes accumulate per column in memory order (the column path).
    @Test func columnReductionsMatchFloat64() {
        let rows = 3001, columns = 5
        let values = (0..<rows * columns).map { Double(($0 * 7919) % 1000) / 250 - 2 }
        let x = Tensor(shape: [rows, columns], scalars: values, dtype: .float32)
        func column(_ c: Int) -> [Double] { (0..<rows).map { Double(Float(values[$0 * columns + c])) } }
        expectValues(x.sum(axis: 0), (0..<columns).map { column($0).reduce(0, +) }, tolerance: 1e-6)
        expectValues(x.max(axis: 0), (0..<columns).map { column($0).max()! })
        expectValues(x.min(axis: 0, keepDims: true), (0..<columns).map { column($0).min()! })
        expectValues((x * x).mean(axes: [0]).sqrt(), (0..<columns).map { c in
            (column(c).map { $0 * $0 }.reduce(0, +) / Double(rows)).squareRoot()
        }, tolerance: 1e-6)
        let ints = Tensor(shape: [rows, columns], scalars: (0..<rows * columns).map { $0 % 7 - 3 }, dtype: .int32)
        var intSums = [Double](repeating: 0, count: columns)
        for i in 0..<rows * columns { intSums[i % columns] += Double(i % 7 - 3) }
        expectValues(ints.sum(axis: 0), intSums)
        let withNaN = Tensor(shape: [3, 2], scalars: [1, .nan, 5, 2, 3, 4], dtype: .float64)
        let maxima = withNaN.max(axis: 0).toArray()
        #expect(maxima[0] == 5 && maxima[1].isNaN, "NaN propagates through max: \(maxima)")
    }
}
