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
    ///   - device: Where the numbers are drawn (the same numbers on every device).
    public static func rand(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        uniform(shape, low: 0, high: 1, seed: seed, dtype: dtype, device: device, op: "rand")
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
    ///   - device: Where the numbers are drawn (the same numbers on every device).
    public static func randn(_ shape: [Int], seed: UInt64? = nil, dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        normal(shape, mean: 0, std: 1, seed: seed, dtype: dtype, device: device, op: "randn")
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
        _ shape: [Int], low: Double = 0, high: Double = 1, seed: UInt64? = nil, dtype: DType = .defaultFloat,
        device: Device = .cpu
    ) -> Tensor {
        uniform(shape, low: low, high: high, seed: seed, dtype: dtype, device: device, op: "uniform")
    }

    /// Normal samples with the given mean and standard deviation.
    ///
    /// ```swift
    /// let noise = Tensor.normal([1000], mean: 2, std: 0.5, seed: 3)
    /// ```
    public static func normal(
        _ shape: [Int], mean: Double = 0, std: Double = 1, seed: UInt64? = nil, dtype: DType = .defaultFloat,
        device: Device = .cpu
    ) -> Tensor {
        normal(shape, mean: mean, std: std, seed: seed, dtype: dtype, device: device, op: "normal")
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
    ///   - device: Where the numbers are drawn (the same numbers on every device).
    public static func randint(_ low: Int64, _ high: Int64, _ shape: [Int], seed: UInt64? = nil,
                               device: Device = .cpu) -> Tensor {
        check(low < high, "[randint] low (\(low)) must be less than high (\(high))")
        return draw(.integers(low: low, high: high), shape, seed: seed, dtype: .int64, device: device, op: "randint")
    }

    /// `randint` for `Int` bounds.
    ///
    /// ```swift
    /// let dice = Tensor.randint(1, 7, [10])
    /// ```
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], seed: UInt64? = nil, device: Device = .cpu) -> Tensor {
        randint(Int64(low), Int64(high), shape, seed: seed, device: device)
    }

    // MARK: - Implementation

    private static func uniform(
        _ shape: [Int], low: Double, high: Double, seed: UInt64?, dtype: DType, device: Device, op: String
    ) -> Tensor {
        check(low.isFinite && high.isFinite && low < high,
                     "[\(op)] needs finite low < high, got low \(low) and high \(high)")
        check(dtype == .float64 || Float(low) < Float(high), "[\(op)] low \(low) and high \(high) are equal in float32")
        return draw(.uniform(low: low, high: high), shape, seed: seed, dtype: dtype, device: device, op: op)
    }

    private static func normal(
        _ shape: [Int], mean: Double, std: Double, seed: UInt64?, dtype: DType, device: Device, op: String
    ) -> Tensor {
        check(mean.isFinite && std.isFinite && std >= 0,
                     "[\(op)] needs a finite mean and std >= 0, got mean \(mean) and std \(std)")
        return draw(.normal(mean: mean, std: std), shape, seed: seed, dtype: dtype, device: device, op: op)
    }

    /// A tensor of `shape` and `dtype` drawn from `distribution` at the given seed's offset 0, or at the
    /// global generator's next offset (which it then advances past the draw). The draw runs when the
    /// tensor is computed, on its device.
    private static func draw(
        _ distribution: RandomDraw.Distribution, _ shape: [Int], seed: UInt64?, dtype: DType, device: Device, op: String
    ) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "[\(op)] negative dimension in shape \(shape)")
        check(op == "randint" || dtype.isFloatingPoint,
                     "[\(op)] needs a floating-point dtype, got \(dtype)")
        let count = Shape.count(shape)
        let (s, offset): (UInt64, UInt64) = seed.map { ($0, 0) } ?? randomState.withLock { state in
            defer { state.offset &+= RandomFill.counterAdvance(for: count) }
            return (state.seed, state.offset)
        }
        let op = RandomDraw(name: op, distribution: distribution, seed: s, offset: offset)
        return Tensor.custom(op, [], shape: shape, dtype: dtype, device: device)
    }
}

/// Elements `0..<count` of the Philox stream at `seed` and `offset`, as ``RandomFill`` defines them, in a
/// distribution: the same numbers on every backend.
struct RandomDraw: KernelOp {
    enum Distribution: Sendable {
        case uniform(low: Double, high: Double)
        case normal(mean: Double, std: Double)
        case integers(low: Int64, high: Int64)
    }

    let name: String
    let distribution: Distribution
    let seed: UInt64
    let offset: UInt64
}
