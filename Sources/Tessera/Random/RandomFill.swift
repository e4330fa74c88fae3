#if canImport(Glibc)
import Glibc
#endif

/// Fills buffers with Philox4x32-10 random numbers, multithreaded, the same on every device.
///
/// ## Stream definition
/// Every backend implements this formula, so a seed gives the same numbers on CPU and GPU and whatever the
/// thread count. A draw of `n` elements with `seed` and stream `offset` computes, for element `i`:
///
/// - key `k = (UInt32(seed & 0xFFFF_FFFF), UInt32(seed >> 32))`;
/// - block number `b = offset + i / 4` (wrapping mod 2^64) and lane `l = i % 4`;
/// - `X = Philox(k, (UInt32(b & 0xFFFF_FFFF), UInt32(b >> 32), 0, 0))[l]`, the element's 32 random bits;
/// - for 64-bit results also `Y = Philox(k, (UInt32(b & 0xFFFF_FFFF), UInt32(b >> 32), 1, 0))[l]`, and
///   `W = X << 32 | Y`. So every dtype takes four elements per counter, the draw advances the offset by
///   `ceil(n / 4)` (``counterAdvance(for:)``), and a float64 draw refines the float32 draw of the same seed.
///
/// Each element then becomes:
/// - **uniform float32** `u = (X >> 8) · 2^-24` in [0, 1); **float64** `u = (W >> 11) · 2^-53`. The value is
///   `fma(u, high - low, low)` in the element type, lowered to `high.nextDown` if rounding reaches `high`,
///   so it lies in [low, high).
/// - **normal** (Box–Muller): lanes pair as (0, 1) and (2, 3). For the pair (2j, 2j+1) with bits `A`, `B`
///   (`X` for float32, `W` for float64): float32 `u1 = ((A >> 8) + 1) · 2^-24` in (0, 1],
///   `u2 = (B >> 8) · 2^-24`; float64 the same with `>> 11` and `2^-53`. Then `r = sqrt(-2 ln u1)`,
///   `θ = 2π · u2`, lane 2j gets `z = r cos θ` and lane 2j+1 gets `z = r sin θ`; the value is
///   `fma(std, z, mean)`, all in the element type. Uniform and integer draws are bit-identical across
///   devices; normals may differ by the last ulp or two of each libm's `log`/`cos`/`sin`.
/// - **integers** in [low, high): `low + ⌊W · (high - low) / 2^64⌋` (Lemire's multiply-shift without
///   rejection; the bias is below `(high - low) / 2^64`).
package enum RandomFill {
    /// How far a draw of `count` elements advances the stream offset.
    ///
    /// Draws at `offset` and `offset + counterAdvance(for: count)` never share a counter, so a global
    /// generator hands out disjoint streams by adding this after each draw. It is the same for every dtype.
    package static func counterAdvance(for count: Int) -> UInt64 {
        UInt64((count + 3) / 4)
    }

    /// Fills `buffer` with uniform samples in [low, high).
    package static func uniform(
        seed: UInt64, offset: UInt64, low: Float, high: Float, into buffer: UnsafeMutableBufferPointer<Float>
    ) {
        UniformFloat(low: low, high: high).fill(buffer, seed: seed, offset: offset)
    }

    /// Fills `buffer` with uniform samples in [low, high).
    package static func uniform(
        seed: UInt64, offset: UInt64, low: Double, high: Double, into buffer: UnsafeMutableBufferPointer<Double>
    ) {
        UniformDouble(low: low, high: high).fill(buffer, seed: seed, offset: offset)
    }

    /// Fills `buffer` with normal samples of the given mean and standard deviation.
    package static func normal(
        seed: UInt64, offset: UInt64, mean: Float, std: Float, into buffer: UnsafeMutableBufferPointer<Float>
    ) {
        NormalFloat(mean: mean, std: std).fill(buffer, seed: seed, offset: offset)
    }

    /// Fills `buffer` with normal samples of the given mean and standard deviation.
    package static func normal(
        seed: UInt64, offset: UInt64, mean: Double, std: Double, into buffer: UnsafeMutableBufferPointer<Double>
    ) {
        NormalDouble(mean: mean, std: std).fill(buffer, seed: seed, offset: offset)
    }

    /// Fills `buffer` with integers in [low, high); requires `low < high`.
    package static func integers(
        seed: UInt64, offset: UInt64, low: Int64, high: Int64, into buffer: UnsafeMutableBufferPointer<Int64>
    ) {
        check(low < high, "[randint] low (\(low)) must be less than high (\(high))")
        Integers(low: low, range: UInt64(bitPattern: high &- low)).fill(buffer, seed: seed, offset: offset)
    }
}

// MARK: - Samplers

extension RandomFill {
    /// One distribution: how the random bits of one counter become its four elements.
    ///
    /// A protocol rather than a closure so that each fill loop is specialized and inlined.
    protocol Sampler: Sendable {
        associatedtype Element: SIMDScalar
        /// Whether elements need 64 bits, i.e. the second block `Y` of the stream definition.
        static var wide: Bool { get }
        /// The four elements of one counter from its blocks `X` and `Y` (zero unless `wide`).
        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Element>
    }

    /// Uniform float32 in [low, high).
    struct UniformFloat: Sampler {
        let low: Float, high: Float
        static var wide: Bool { false }

        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Float> {
            let u = SIMD4<Float>(x &>> 8) * 0x1p-24
            return clampBelow(SIMD4(repeating: low).addingProduct(u, SIMD4(repeating: high - low)), low: low, high: high)
        }
    }

    /// Uniform float64 in [low, high).
    struct UniformDouble: Sampler {
        let low: Double, high: Double
        static var wide: Bool { true }

        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Double> {
            let u = SIMD4<Double>(wideBits(x, y) &>> 11) * 0x1p-53
            return clampBelow(SIMD4(repeating: low).addingProduct(u, SIMD4(repeating: high - low)), low: low, high: high)
        }
    }

    /// Box–Muller normals in float32 arithmetic.
    struct NormalFloat: Sampler {
        let mean: Float, std: Float
        static var wide: Bool { false }

        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Float> {
            let u1 = SIMD4<Float>((x &>> 8) &+ 1) * 0x1p-24
            let u2 = SIMD4<Float>(x &>> 8) * 0x1p-24
            let (r0, t0) = (sqrtf(-2 * logf(u1[0])), 2 * Float.pi * u2[1])
            let (r1, t1) = (sqrtf(-2 * logf(u1[2])), 2 * Float.pi * u2[3])
            let z = SIMD4(r0 * cosf(t0), r0 * sinf(t0), r1 * cosf(t1), r1 * sinf(t1))
            return SIMD4(repeating: mean).addingProduct(SIMD4(repeating: std), z)
        }
    }

    /// Box–Muller normals in float64 arithmetic.
    struct NormalDouble: Sampler {
        let mean: Double, std: Double
        static var wide: Bool { true }

        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Double> {
            let bits = wideBits(x, y) &>> 11
            let u1 = SIMD4<Double>(bits &+ 1) * 0x1p-53
            let u2 = SIMD4<Double>(bits) * 0x1p-53
            let (r0, t0) = (sqrt(-2 * log(u1[0])), 2 * Double.pi * u2[1])
            let (r1, t1) = (sqrt(-2 * log(u1[2])), 2 * Double.pi * u2[3])
            let z = SIMD4(r0 * cos(t0), r0 * sin(t0), r1 * cos(t1), r1 * sin(t1))
            return SIMD4(repeating: mean).addingProduct(SIMD4(repeating: std), z)
        }
    }

    /// Integers in [low, low + range), by multiply-shift of the 64-bit draw.
    struct Integers: Sampler {
        /// The lowest value and `high - low` (which may exceed Int64.max).
        let low: Int64, range: UInt64
        static var wide: Bool { true }

        func values(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<Int64> {
            let w = wideBits(x, y)
            func draw(_ lane: Int) -> Int64 { low &+ Int64(bitPattern: w[lane].multipliedFullWidth(by: range).high) }
            return SIMD4(draw(0), draw(1), draw(2), draw(3))
        }
    }
}

extension RandomFill.Sampler {
    /// Fills `buffer` with elements `0..<buffer.count` of the stream, on all cores.
    func fill(_ buffer: UnsafeMutableBufferPointer<Element>, seed: UInt64, offset: UInt64) {
        guard let base = buffer.baseAddress else { return }
        let out = SendablePointer(base)
        // Below ~16k elements a thread hop costs more than it saves.
        parallelRanges(buffer.count, grain: 1 << 14) { range in
            fill(UnsafeMutableBufferPointer(start: out.base + range.lowerBound, count: range.count),
                 seed: seed, offset: offset, first: range.lowerBound)
        }
    }

    /// Fills `buffer` with elements `first..<first + buffer.count` of the stream, on this thread.
    func fill(_ buffer: UnsafeMutableBufferPointer<Element>, seed: UInt64, offset: UInt64, first: Int) {
        guard let out = buffer.baseAddress else { return }
        let philox = Philox4x32(key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
        let end = first + buffer.count
        for block in (first / 4)..<((end + 3) / 4) {
            let b = offset &+ UInt64(block)
            let counter = SIMD4(UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: b >> 32), 0, 0)
            let x = philox.block(counter)
            let y = Self.wide ? philox.block(counter &+ SIMD4(0, 0, 1, 0)) : .zero
            let v = values(x, y)
            let lo = block * 4
            if lo >= first && lo + 4 <= end {  // one vector store; lane-by-lane writes cost more than Philox
                UnsafeMutableRawPointer(out + (lo - first)).storeBytes(of: v, as: SIMD4<Element>.self)
            } else {
                for i in max(first, lo)..<min(end, lo + 4) { out[i - first] = v[i & 3] }
            }
        }
    }
}

/// `X << 32 | Y` per lane.
@inline(__always)
private func wideBits(_ x: SIMD4<UInt32>, _ y: SIMD4<UInt32>) -> SIMD4<UInt64> {
    SIMD4<UInt64>(truncatingIfNeeded: x) &<< 32 | SIMD4<UInt64>(truncatingIfNeeded: y)
}

/// Keeps uniform samples out of `high`, which the fma can round up to.
@inline(__always)
private func clampBelow<F: BinaryFloatingPoint & SIMDScalar>(_ v: SIMD4<F>, low: F, high: F) -> SIMD4<F> {
    low < high ? v.replacing(with: high.nextDown, where: v .>= high) : v
}
