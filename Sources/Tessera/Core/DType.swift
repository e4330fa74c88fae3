/// The element type of a tensor.
///
/// Promotion follows PyTorch: `bool < uint8 < int32 < int64 < float16, bfloat16 < float32 < float64`,
/// with `float16` and `bfloat16` together promoting to `float32`.
///
/// ```swift
/// let x = Tensor([1, 2, 3], dtype: .int32)
/// (x + 0.5).dtype   // .float32 — a Swift floating-point literal lifts integers to the default float
/// ```
public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case bool, uint8, int32, int64, float16, bfloat16, float32, float64

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .uint8: 1
        case .float16, .bfloat16: 2
        case .int32, .float32: 4
        case .int64, .float64: 8
        }
    }

    /// Whether the type holds real numbers with a fraction.
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64: true
        default: false
        }
    }

    /// Whether the type holds integers (`bool` excluded).
    public var isInteger: Bool { self == .uint8 || self == .int32 || self == .int64 }

    public var description: String { rawValue }

    /// The floating-point type new tensors get when none is named.
    public static let defaultFloat: DType = .float32

    private var rank: Int {
        switch self {
        case .bool: 0
        case .uint8: 1
        case .int32: 2
        case .int64: 3
        case .float16, .bfloat16: 4
        case .float32: 5
        case .float64: 6
        }
    }

    /// The type both `a` and `b` convert to in a binary operation.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if (a == .float16 && b == .bfloat16) || (a == .bfloat16 && b == .float16) { return .float32 }
        return a.rank >= b.rank ? a : b
    }

    /// The floating-point type an operation that needs fractions (sqrt, exp, true division) computes in.
    var floatingCounterpart: DType { isFloatingPoint ? self : .defaultFloat }
}
