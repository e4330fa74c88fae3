import RealModule

/// The register types elementwise steps compute in: narrower dtypes widen into one of these on load and
/// are rounded back after every step (which one a dtype uses is each backend's choice).
package enum ComputeKind: Hashable, Sendable {
    case f32, f64, i64
}

/// A CPU kernel over `count` contiguous register values: one input.
package typealias UnaryKernel = @Sendable (_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ count: Int) -> Void
/// A CPU kernel over `count` contiguous register values: two inputs.
package typealias BinaryKernel = @Sendable (
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ count: Int) -> Void

/// The faces of a unary elementwise primitive that kernels need, declared together in one type:
///
/// - `apply`: the math for every floating type. Its float64 instantiation is the reference the op
///   table and `tessera selftest` compare against; the CPU backend generates its loops from it.
/// - `integer`: the math on integers when the op keeps integers integral (nil promotes integer inputs
///   to float32 first).
/// - `cuda`: the CUDA C expression the code generator splices into fused kernels, for an operand
///   held in a variable of the given register type.
///
/// The gradient is the one further face of ``UnaryFunction``; tests (``UnaryTest``) have none.
package protocol UnaryPrimitive: SendableMetatype {
    static var name: String { get }
    /// Whether the output is `bool`: a test of a floating-point value, `apply` giving 1 or 0.
    static var isPredicate: Bool { get }
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T
    static var integer: (@Sendable (Int64) -> Int64)? { get }
    /// The CUDA expression for the variable `x` of register type `kind`.
    static func cuda(_ x: String, _ kind: ComputeKind) -> String
    /// The CPU loop for register type `kind` (generated from `apply` and `integer` in `CPU/`), or nil
    /// when the op has no math for it.
    static func cpuKernel(_ kind: ComputeKind) -> UnaryKernel?
}

/// A unary primitive on numbers, with its gradient.
package protocol UnaryFunction: UnaryPrimitive {
    /// The gradient with respect to `x`, given the output gradient `g` and the output `y`; written with
    /// tensor ops, so it fuses too.
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor
}

extension UnaryFunction {
    package static var isPredicate: Bool { false }
    package static var integer: (@Sendable (Int64) -> Int64)? { nil }
}

/// A test of a floating-point value (`isnan`, …): a `bool` output and no gradient.
package protocol UnaryTest: UnaryPrimitive {
    static func test<T: BinaryFloatingPoint>(_ x: T) -> Bool
}

extension UnaryTest {
    package static var isPredicate: Bool { true }
    package static var integer: (@Sendable (Int64) -> Int64)? { nil }
    package static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { test(x) ? 1 : 0 }
}

/// The faces of a binary elementwise primitive that kernels need (inputs share a dtype); see
/// ``UnaryPrimitive`` for what each face is for.
package protocol BinaryPrimitive: SendableMetatype {
    static var name: String { get }
    /// Whether the output is `bool` (comparisons) rather than the inputs' dtype.
    static var isPredicate: Bool { get }
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { get }
    /// The CUDA expression for the variables `a` and `b` of register type `kind`.
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String
    /// The CPU loop for operands of register type `kind`, or nil when the op has no math for it.
    static func cpuKernel(_ kind: ComputeKind) -> BinaryKernel?
}

/// A binary primitive on numbers, with its gradient.
package protocol BinaryFunction: BinaryPrimitive {
    /// Gradients with respect to `a` and `b` (before un-broadcasting), given `g` and the output `y`.
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor)
}

extension BinaryFunction {
    package static var isPredicate: Bool { false }
}

/// A comparison: a `bool` output, the same test on floats and integers, no gradient.
package protocol PredicateFunction: BinaryPrimitive {
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool
    /// The C operator that makes the test (`==`, `<`, …).
    static var cudaOperator: String { get }
}

extension PredicateFunction {
    package static var isPredicate: Bool { true }
    package static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { test(a, b) ? 1 : 0 }
    package static var integer: (@Sendable (Int64, Int64) -> Int64)? { { test($0, $1) ? 1 : 0 } }
    package static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String { "(\(a) \(cudaOperator) \(b))" }
}

/// A unary elementwise primitive as the graph and the kernel IR name it: the type that declares it.
package struct UnaryOp: Hashable, Sendable, CustomStringConvertible {
    package let function: any UnaryPrimitive.Type

    init(_ function: any UnaryPrimitive.Type) { self.function = function }

    package var name: String { function.name }
    package var description: String { name }
    /// Whether the output is `bool`.
    package var isPredicate: Bool { function.isPredicate }
    /// Whether integers stay integral (the op has integer math).
    package var hasIntegerMath: Bool { function.integer != nil }

    /// The float64 math: what tests and `tessera selftest` compare every backend with.
    package func reference(_ x: Double) -> Double { function.apply(x) }

    package static func == (a: UnaryOp, b: UnaryOp) -> Bool { ObjectIdentifier(a.function) == ObjectIdentifier(b.function) }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(function)) }
}

/// A binary elementwise primitive as the graph and the kernel IR name it: the type that declares it.
package struct BinaryOp: Hashable, Sendable, CustomStringConvertible {
    package let function: any BinaryPrimitive.Type

    init(_ function: any BinaryPrimitive.Type) { self.function = function }

    package var name: String { function.name }
    package var description: String { name }
    /// Whether the output is `bool` (comparisons) rather than the inputs' dtype.
    package var isPredicate: Bool { function.isPredicate }
    /// Whether integers stay integral (the op has integer math).
    package var hasIntegerMath: Bool { function.integer != nil }

    /// The float64 math: what tests and `tessera selftest` compare every backend with.
    package func reference(_ a: Double, _ b: Double) -> Double { function.apply(a, b) }

    package static func == (a: BinaryOp, b: BinaryOp) -> Bool { ObjectIdentifier(a.function) == ObjectIdentifier(b.function) }
    package func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(function)) }
}

/// CUDA spellings shared by the primitives' expressions.
enum CUDA {
    /// A libm function in the register type: `expf(x)` for float, `exp(x)` for double.
    static func math(_ name: String, _ x: String, _ kind: ComputeKind) -> String {
        kind == .f32 ? "\(name)f(\(x))" : "\(name)(\(x))"
    }

    /// A number literal in the register type: `1.0f`, `1.0`, `1LL`.
    static func literal(_ value: Int, _ kind: ComputeKind) -> String {
        switch kind {
        case .f32: "\(value).0f"
        case .f64: "\(value).0"
        case .i64: "\(value)LL"
        }
    }

    /// Integer arithmetic that wraps (signed overflow is undefined in C, unsigned wraps).
    static func wrapping(_ a: String, _ op: String, _ b: String) -> String {
        "(long long)((unsigned long long)(\(a)) \(op) (unsigned long long)(\(b)))"
    }
}
