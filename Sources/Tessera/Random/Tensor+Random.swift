import Synchronization

/// Random tensors from the counter-based Philox stream that ``RandomFill`` defines.
///
/// With a `seed`, a draw is elements `0..<count` of that seed's stream (offset 0): the same numbers on
/// every run, device and thread count. Without one, the draw comes from the global generator: its seed
/// (0 until ``manualSeed(_:)``) at the next unused offset, so successive draws never overlap and the
/// whole sequence repeats after the same `manualSeed`.
///
/// float32 and float64 use their own samplers (a float64 draw refines the float32 draw of the same seed);
/// float16 and bfloat16 draw in float32 and round.
///
/// ```swift
/// Tensor.manualSeed(42)
/// let w = Tensor.randn([3, 4])               // global stream, offsets 0..<3
/// let b = Tensor.rand([4])                   // offset 3 onward: never overlaps w
/// let x = Tensor.uniform([2, 2], low: -1, high: 1, seed: 7)   // independent of the global state
/// ```
extension Tensor {
    /// The global generator: its seed and the next unused stream offset.
    private static let randomState = Mutex<(seed: UInt64, offset: UInt64)>((seed: 0, offset: 0))

    /// Seeds the global generator and rewinds it, so the draws that follow repeat.
    ///
    /// Draws with an explicit `seed:` neither use nor advance it.
    ///
    /// ```swift
    /// Tensor.manualSeed(0); let a = Tensor.rand([3])
    /// Tensor.manualSeed(0); let b = Tensor.rand([3])   // same values as a
    /// ```
    public static func manualSeed(_ seed: UInt64) {
        randomState.withLock { $0 = (seed: seed, offset: 0) }
    }

    /// Uniform samples in [0, 1).
    ///
    /// ```swift
    /// let x = Tensor.rand([2, 3], seed: 0)   // float32
    /// ```
    ///
    /// - Parameters:
    ///   - shape: The dimensions.
    ///   - seed: The stream to draw from (offset 0); nil draws from the global generator.
    ///   - dtype: A floating-point type.
    public static func rand(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .defaultFloat) -> Tensor {
        uniform(shape, low: 0, high: 1, seed: seed, dtype: dtype, op: "rand")
    }

    /// Standard normal samples (mean 0, standard deviation 1).
    ///
    /// ```swift
    /// let x = Tensor.randn([5, 3], seed: 0)
    /// ```
    ///
    /// - Parameters:
    ///   - shape: The dimensions.
    ///   - seed: The stream to draw from (offset 0); nil draws from the global generator.
    ///   - dtype: A floating-point type.
    public static func randn(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .defaultFloat) -> Tensor {
        normal(shape, mean: 0, std: 1, seed: seed, dtype: dtype, op: "randn")
    }

    /// Uniform samples in [low, high).
    ///
    /// Values that round up to `high` in `dtype` become the largest value below it, so the bound holds
    /// for float16 and bfloat16 too.
    ///
    /// ```swift
    /// let w = Tensor.uniform([64, 32], low: -0.1, high: 0.1, seed: 1)
    /// ```
    public static func uniform(
        _ shape: [Int], low: Double = 0, high: Double = 1, seed: UInt64? = nil, dtype: DType = .defaultFloat
    ) -> Tensor {
        uniform(shape, low: low, high: high, seed: seed, dtype: dtype, op: "uniform")
    }

    /// Normal samples with the given mean and standard deviation.
    ///
    /// ```swift
    /// let noise = Tensor.normal([1000], mean: 2, std: 0.5, seed: 3)
    /// ```
    public static func normal(
        _ shape: [Int], mean: Double = 0, std: Double = 1, seed: UInt64? = nil, dtype: DType = .defaultFloat
    ) -> Tensor {
        normal(shape, mean: mean, std: std, seed: seed, dtype: dtype, op: "normal")
    }

    /// Integers drawn uniformly from [low, high), as int64.
    ///
    /// ```swift
    /// let labels = Tensor.randint(0, 10, [32], seed: 0)   // values 0...9
    /// ```
    ///
    /// - Parameters:
    ///   - low: The smallest value.
    ///   - high: One past the largest value; must exceed `low`.
    ///   - shape: The dimensions.
    ///   - seed: The stream to draw from (offset 0); nil draws from the global generator.
    public static func randint(_ low: Int64, _ high: Int64, _ shape: [Int], seed: UInt64? = nil) -> Tensor {
        check(low < high, "[randint] low (\(low)) must be less than high (\(high))")
        return draw(shape, seed: seed, dtype: .int64, op: "randint") { s, o, n, p in
            RandomFill.integers(seed: s, offset: o, low: low, high: high,
                                into: UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Int64.self), count: n))
        }
    }

    /// `randint` for `Int` bounds.
    ///
    /// ```swift
    /// let dice = Tensor.randint(1, 7, [10])
    /// ```
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], seed: UInt64? = nil) -> Tensor {
        randint(Int64(low), Int64(high), shape, seed: seed)
    }

    // MARK: - Implementation

    private static func uniform(
        _ shape: [Int], low: Double, high: Double, seed: UInt64?, dtype: DType, op: String
    ) -> Tensor {
        check(low.isFinite && high.isFinite && low < high,
                     "[\(op)] needs finite low < high, got low \(low) and high \(high)")
        return draw(shape, seed: seed, dtype: dtype, op: op) { s, o, n, p in
            if dtype == .float64 {
                RandomFill.uniform(seed: s, offset: o, low: low, high: high,
                                   into: UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Double.self), count: n))
            } else {
                let (lo, hi) = (Float(low), Float(high))
                check(lo < hi, "[\(op)] low \(low) and high \(high) are equal in float32")
                fillNarrowed(p, count: n, dtype: dtype, upperBound: high) { buffer in
                    RandomFill.uniform(seed: s, offset: o, low: lo, high: hi, into: buffer)
                }
            }
        }
    }

    private static func normal(
        _ shape: [Int], mean: Double, std: Double, seed: UInt64?, dtype: DType, op: String
    ) -> Tensor {
        check(mean.isFinite && std.isFinite && std >= 0,
                     "[\(op)] needs a finite mean and std >= 0, got mean \(mean) and std \(std)")
        return draw(shape, seed: seed, dtype: dtype, op: op) { s, o, n, p in
            if dtype == .float64 {
                RandomFill.normal(seed: s, offset: o, mean: mean, std: std,
                                  into: UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Double.self), count: n))
            } else {
                fillNarrowed(p, count: n, dtype: dtype, upperBound: nil) { buffer in
                    RandomFill.normal(seed: s, offset: o, mean: Float(mean), std: Float(std), into: buffer)
                }
            }
        }
    }

    /// A tensor of `shape` and `dtype` that `fill(seed, offset, count, pointer)` writes, at the given
    /// seed's offset 0 or at the global generator's next offset (which it then advances past the draw).
    private static func draw(
        _ shape: [Int], seed: UInt64?, dtype: DType, op: String,
        fill: (UInt64, UInt64, Int, UnsafeMutableRawPointer) -> Void
    ) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "[\(op)] negative dimension in shape \(shape)")
        check(op == "randint" || dtype.isFloatingPoint,
                     "[\(op)] needs a floating-point dtype, got \(dtype)")
        let count = Shape.count(shape)
        let (s, offset): (UInt64, UInt64) = seed.map { ($0, 0) } ?? randomState.withLock { state in
            defer { state.offset &+= RandomFill.counterAdvance(for: count) }
            return (state.seed, state.offset)
        }
        let buffer = Buffer(bytes: Swift.max(1, count * dtype.byteSize))
        if count > 0 { fill(s, offset, count, buffer.pointer) }
        return Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: shape)), dtype: dtype)
    }

    /// Draws float32 values with `fill` and stores them as `dtype` (float32, float16 or bfloat16) at `p`;
    /// with an `upperBound`, values that round up to it become the largest value of `dtype` below it.
    private static func fillNarrowed(
        _ p: UnsafeMutableRawPointer, count: Int, dtype: DType, upperBound: Double?,
        fill: (UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        if dtype == .float32 {
            fill(UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: count))
            return
        }
        let scratch = Buffer(bytes: count * 4)
        let floats = scratch.pointer.assumingMemoryBound(to: Float.self)
        fill(UnsafeMutableBufferPointer(start: floats, count: count))
        func store<E: StorageElement>(_: E.Type, below: (Float) -> E) {
            let out = SendablePointer(p.assumingMemoryBound(to: E.self))
            let source = SendablePointer(floats)
            let (limit, bound) = upperBound.map { (below(Float($0)), $0) } ?? (E(float: 0), Double.infinity)
            parallelRanges(count, grain: 1 << 16) { range in
                for i in range {
                    let v = E(float: source.base[i])
                    out.base[i] = v.double >= bound ? limit : v
                }
            }
        }
        switch dtype {
        case .float16:
            store(Float16.self) { high in
                let h = Float16(high)
                return Double(h) >= Double(high) ? h.nextDown : h
            }
        case .bfloat16:
            store(BFloat16.self) { high in
                let h = BFloat16(high)
                return Double(h.floatValue) >= Double(high) ? BFloat16(bitPattern: h.bitPatternBelow) : h
            }
        default:
            fatalError("[random] cannot narrow float32 to \(dtype)")
        }
    }
}

extension BFloat16 {
    /// The bits of the next bfloat16 toward negative infinity (finite, non-NaN values).
    fileprivate var bitPatternBelow: UInt16 {
        if bitPattern & 0x7FFF == 0 { return 0x8001 }           // ±0 → the negative smallest subnormal
        return bitPattern & 0x8000 == 0 ? bitPattern - 1 : bitPattern + 1
    }
}
