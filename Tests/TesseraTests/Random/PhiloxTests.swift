import FoundationEssentials
import Testing
@testable import Tessera

@Suite("Philox random streams")
struct PhiloxTests {
    // Random123 kat_vectors, the three "philox4x32 10" lines.
    @Test(arguments: [
        (SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0), SIMD4<UInt32>(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
        (SIMD4<UInt32>(repeating: .max), SIMD2<UInt32>(repeating: .max),
         SIMD4<UInt32>(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
        (SIMD4<UInt32>(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), SIMD2<UInt32>(0xA409_3822, 0x299F_31D0),
         SIMD4<UInt32>(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
    ])
    func knownAnswers(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
        #expect(Philox4x32(key: key).block(counter) == expected)
    }

    @Test func matchesPythonReference() throws {
        let path = fixturePath("random/philox_seed42.json")
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let seed = UInt64(ref.seed)
        #expect(Philox4x32(key: SIMD2(UInt32(seed), 0)).block(.zero) == SIMD4(ref.blocksSeed42Counter0))

        #expect(fill(8) { RandomFill.uniform(seed: seed, offset: 0, low: 0, high: 1, into: $0) } == ref.uniformFloat)
        #expect(fill(8) { RandomFill.uniform(seed: seed, offset: 5, low: -2, high: 3, into: $0) }
            == ref.uniformFloatMinus2To3Offset5)
        #expect(fill(8) { RandomFill.uniform(seed: seed, offset: 0, low: 0, high: 1, into: $0) } == ref.uniformDouble)
        #expect(fill(8) { RandomFill.integers(seed: seed, offset: 0, low: -10, high: 10, into: $0) }
            == ref.integersMinus10To10)
        #expect(fill(8) { RandomFill.integers(seed: seed, offset: 0, low: .min, high: .max, into: $0) }
            == ref.integersFullRange)

        // Normals go through libm, so allow its last-ulp differences: |z| < 6 and θ < 2π, so the float32
        // error is a few ulps of 8 (≈ 5e-6); the float64 one a few ulps of 8 in double (≈ 1e-14).
        let normalFloat: [Float] = fill(8) { RandomFill.normal(seed: seed, offset: 0, mean: 0, std: 1, into: $0) }
        for (got, want) in zip(normalFloat, ref.normalFloat) { #expect(abs(got - want) < 1e-5, "\(got) vs \(want)") }
        let normalDouble: [Double] = fill(8) { RandomFill.normal(seed: seed, offset: 0, mean: 0, std: 1, into: $0) }
        for (got, want) in zip(normalDouble, ref.normalDouble) { #expect(abs(got - want) < 1e-13, "\(got) vs \(want)") }
    }

    /// Workers fill arbitrary sub-ranges; any split must give the single-threaded result.
    @Test func sameResultForAnySplit() {
        let n = 100_003
        func check<S: RandomFill.Sampler>(_ name: String, _ sampler: S) where S.Element: Equatable {
            let whole: [S.Element] = fill(n) { sampler.fill($0, seed: 7, offset: 3) }
            let splits = [0, 1, 6, 4_097, 33_333, 33_334, 99_999, n]
            let pieces: [S.Element] = fill(n) { buffer in
                for (lo, hi) in zip(splits, splits.dropFirst()) {
                    sampler.fill(UnsafeMutableBufferPointer(rebasing: buffer[lo..<hi]), seed: 7, offset: 3, first: lo)
                }
            }
            #expect(whole == pieces, "\(name)")
        }
        check("uniform float", RandomFill.UniformFloat(low: -1, high: 1))
        check("uniform double", RandomFill.UniformDouble(low: -1, high: 1))
        check("normal float", RandomFill.NormalFloat(mean: 0, std: 1))
        check("normal double", RandomFill.NormalDouble(mean: 0, std: 1))
        check("integers", RandomFill.Integers(low: -5, range: 1005))
    }

    /// A draw split in two at `counterAdvance` equals one draw, so a global generator can hand out streams.
    @Test func splittingADrawAtTheCounterAdvance() {
        let n = 10_001, half = 5_000
        let whole: [Double] = fill(n) { RandomFill.normal(seed: 9, offset: 11, mean: 0, std: 1, into: $0) }
        let parts: [Double] = fill(n) { buffer in
            RandomFill.normal(seed: 9, offset: 11, mean: 0, std: 1, into: .init(rebasing: buffer[..<half]))
            let offset = 11 + RandomFill.counterAdvance(for: half)
            RandomFill.normal(seed: 9, offset: offset, mean: 0, std: 1, into: .init(rebasing: buffer[half...]))
        }
        #expect(whole == parts)
        #expect(RandomFill.counterAdvance(for: 0) == 0)
        #expect(RandomFill.counterAdvance(for: 1) == 1)
        #expect(RandomFill.counterAdvance(for: 8) == 2)
        #expect(RandomFill.counterAdvance(for: 9) == 3)
    }

    @Test func counterWrapsAround() {
        let wrapped: [Float] = fill(8) { RandomFill.uniform(seed: 1, offset: .max, low: 0, high: 1, into: $0) }
        let start: [Float] = fill(4) { RandomFill.uniform(seed: 1, offset: 0, low: 0, high: 1, into: $0) }
        #expect(Array(wrapped[4...]) == start)
    }

    /// Float64 uniforms start with the float32 draw's 24 bits, so the two dtypes agree for a seed.
    @Test func doubleRefinesFloat() {
        let f: [Float] = fill(1000) { RandomFill.uniform(seed: 3, offset: 0, low: 0, high: 1, into: $0) }
        let d: [Double] = fill(1000) { RandomFill.uniform(seed: 3, offset: 0, low: 0, high: 1, into: $0) }
        #expect(zip(f, d).allSatisfy { Double($0) == ($1 * 0x1p24).rounded(.down) * 0x1p-24 })
    }

    // The sample moments of N draws have standard errors sqrt(Var/N); the bounds are 6 of them, so they
    // hold for any sound generator (a fixed seed makes the test deterministic, not the bound loose).
    static let count = 1 << 20

    @Test func uniformMoments() {
        let n = Double(Self.count)
        let f: [Float] = fill(Self.count) { RandomFill.uniform(seed: 42, offset: 0, low: 0, high: 1, into: $0) }
        let d: [Double] = fill(Self.count) { RandomFill.uniform(seed: 43, offset: 0, low: 0, high: 1, into: $0) }
        for sample in [f.map { Double($0) }, d] {
            let (mean, variance) = moments(sample)
            // U(0,1): mean 1/2, variance 1/12, fourth central moment 1/80.
            #expect(abs(mean - 0.5) < 6 * (1.0 / 12 / n).squareRoot())
            #expect(abs(variance - 1.0 / 12) < 6 * ((1.0 / 80 - 1.0 / 144) / n).squareRoot())
            #expect(sample.allSatisfy { $0 >= 0 && $0 < 1 })
        }
    }

    @Test func normalMoments() {
        let n = Double(Self.count)
        let f: [Float] = fill(Self.count) { RandomFill.normal(seed: 42, offset: 0, mean: 2, std: 3, into: $0) }
        let d: [Double] = fill(Self.count) { RandomFill.normal(seed: 43, offset: 0, mean: 2, std: 3, into: $0) }
        for sample in [f.map { Double($0) }, d] {
            let (mean, variance) = moments(sample)
            // N(2, 9): SE of the mean 3/√n; variance SE sqrt(2σ⁴/n).
            #expect(abs(mean - 2) < 6 * 3 / n.squareRoot())
            #expect(abs(variance - 9) < 6 * (2 * 81 / n).squareRoot())
        }
    }

    @Test func integerBuckets() {
        let low: Int64 = -3, high: Int64 = 4, n = Self.count
        let sample: [Int64] = fill(n) { RandomFill.integers(seed: 5, offset: 0, low: low, high: high, into: $0) }
        var counts = [Int](repeating: 0, count: Int(high - low))
        for v in sample {
            #expect(v >= low && v < high)
            counts[Int(v - low)] += 1
        }
        // Each bucket count is Binomial(n, 1/7).
        let p = 1.0 / 7, expected = Double(n) * p, sd = (Double(n) * p * (1 - p)).squareRoot()
        #expect(counts.allSatisfy { abs(Double($0) - expected) < 6 * sd }, "\(counts)")
    }

    @Test func uniformStaysBelowHigh() {
        // With low = 1 and high = 1 + ulp, fma(u, ulp, 1) rounds to high for every u ≥ 1/2.
        let high = Float(1).nextUp
        let v: [Float] = fill(64) { RandomFill.uniform(seed: 0, offset: 0, low: 1, high: high, into: $0) }
        #expect(v.allSatisfy { $0 == 1 })
    }
}

private struct Reference: Decodable {
    let seed: Int
    let uniformFloat: [Float]
    let uniformFloatMinus2To3Offset5: [Float]
    let uniformDouble: [Double]
    let normalFloat: [Float]
    let normalDouble: [Double]
    let integersMinus10To10: [Int64]
    let integersFullRange: [Int64]
    let blocksSeed42Counter0: [UInt32]
}

/// An array of `count` elements written by `body`.
private func fill<T>(_ count: Int, _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        body(buffer)
        initialized = count
    }
}

private func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
    let mean = x.reduce(0, +) / Double(x.count)
    return (mean, x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count))
}
