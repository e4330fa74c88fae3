import RealModule

// Each binary primitive: name, math for every float type, integer math, the CUDA expression and the
// gradients with respect to both inputs (the autograd rules un-broadcast them, Autograd/VJP.swift).
// Comparisons produce `bool` and have no gradient.

enum Add: BinaryFunction {
    static let name = "add"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a + b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &+ $1 } }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? CUDA.wrapping(a, "+", b) : "(\(a) + \(b))"
    }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g, g) }
}

enum Sub: BinaryFunction {
    static let name = "sub"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a - b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &- $1 } }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? CUDA.wrapping(a, "-", b) : "(\(a) - \(b))"
    }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g, -g) }
}

enum Mul: BinaryFunction {
    static let name = "mul"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a * b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &* $1 } }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? CUDA.wrapping(a, "*", b) : "(\(a) * \(b))"
    }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g * b, g * a) }
}

enum Div: BinaryFunction {
    static let name = "div"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a / b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { nil }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String { "(\(a) / \(b))" }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        (g / b, -g * y / b)
    }
}

enum Pow: BinaryFunction {
    static let name = "pow"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        // C's pow (and NumPy's, PyTorch's): x⁰ = 1 and 1ʸ = 1 for every x and y, NaN included.
        if b == 0 || a == 1 { return 1 }
        guard a < 0, !b.isNaN else { return .pow(a, b) }
        // Real.pow is NaN for every negative base; C defines integral and infinite exponents of them.
        if let n = Int(exactly: b) { return .pow(a, n) }
        if b.isInfinite || b == b.rounded() { return a == -1 ? 1 : .pow(-a, b) }  // huge integers are even
        if a == -.infinity { return b > 0 ? .infinity : 0 }
        return .nan
    }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? {
        { base, exponent in
            if exponent < 0 { return base == 1 ? 1 : (base == -1 ? (exponent & 1 == 0 ? 1 : -1) : 0) }
            var result: Int64 = 1, b = base, e = exponent
            while e > 0 {
                if e & 1 == 1 { result = result &* b }
                b = b &* b
                e >>= 1
            }
            return result
        }
    }
    /// C's `pow` is defined for negative bases with integral exponents; integers use the kernel prelude's
    /// square-and-multiply `tessera_ipow`, which wraps like `integer`.
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? "tessera_ipow(\(a), \(b))" : (kind == .f32 ? "powf(\(a), \(b))" : "pow(\(a), \(b))")
    }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let da = g * b * a.pow(b - 1)
        let db = g * y * Tensor.where(a .> 0, a, a.onesLike()).log()
        return (da, db)
    }
}

enum Maximum: BinaryFunction {
    static let name = "maximum"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a > b || a.isNaN ? a : b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { Swift.max($0, $1) } }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? "(\(a) > \(b) ? \(a) : \(b))" : "(\(a) > \(b) || \(a) != \(a) ? \(a) : \(b))"
    }
    /// PyTorch's rule: half to each at a tie, all to the larger (and to both where one is NaN).
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let shared = Tensor.where(a .== b, g * 0.5, g), zero = g.zerosLike()
        return (Tensor.where(a .< b, zero, shared), Tensor.where(a .> b, zero, shared))
    }
}

enum Minimum: BinaryFunction {
    static let name = "minimum"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a < b || a.isNaN ? a : b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { Swift.min($0, $1) } }
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? "(\(a) < \(b) ? \(a) : \(b))" : "(\(a) < \(b) || \(a) != \(a) ? \(a) : \(b))"
    }
    /// PyTorch's rule: half to each at a tie, all to the smaller (and to both where one is NaN).
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let shared = Tensor.where(a .== b, g * 0.5, g), zero = g.zerosLike()
        return (Tensor.where(a .> b, zero, shared), Tensor.where(a .< b, zero, shared))
    }
}

enum FloorDivide: BinaryFunction {
    static let name = "floor_divide"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { b == 0 ? a / b : floorDivision(a, b).quotient }
    /// Python's floor division; dividing by zero gives 0, as NumPy's integers do.
    static var integer: (@Sendable (Int64, Int64) -> Int64)? {
        { a, b in
            guard b != 0 else { return 0 }
            let q = a.dividedReportingOverflow(by: b).partialValue, r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && (r < 0) != (b < 0) ? q &- 1 : q
        }
    }
    /// `tessera_floordiv` is the kernel prelude's NumPy-exact floor division, for each register type.
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String { "tessera_floordiv(\(a), \(b))" }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g.zerosLike(), g.zerosLike()) }
}

enum Remainder: BinaryFunction {
    static let name = "remainder"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        b == 0 ? a.truncatingRemainder(dividingBy: b) : floorDivision(a, b).remainder
    }
    /// The remainder with the divisor's sign (Python's `%`); by zero, 0 as NumPy's integers.
    static var integer: (@Sendable (Int64, Int64) -> Int64)? {
        { a, b in
            guard b != 0 else { return 0 }
            let r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && (r < 0) != (b < 0) ? r &+ b : r
        }
    }
    /// `tessera_mod` is the kernel prelude's NumPy-exact remainder, for each register type.
    static func cuda(_ a: String, _ b: String, _ kind: ComputeKind) -> String { "tessera_mod(\(a), \(b))" }
    /// PyTorch's: ∂/∂a = 1, ∂/∂b = −⌊a / b⌋.
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        (g, -g * Tensor.floorDivide(a, b))
    }
}

/// NumPy's floating-point divmod (`npy_divmod`), for a non-zero divisor: the remainder takes the divisor's
/// sign, and the quotient is `(a - remainder) / b` snapped to the nearest integer, so that
/// `quotient · b + remainder == a` as closely as floating point allows.
func floorDivision<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> (quotient: T, remainder: T) {
    var remainder = a.truncatingRemainder(dividingBy: b)
    var quotient = (a - remainder) / b
    if remainder != 0 {
        if (b < 0) != (remainder < 0) {
            remainder += b
            quotient -= 1
        }
    } else {
        remainder = T(signOf: b, magnitudeOf: 0)
    }
    if quotient != 0 {
        var floored = quotient.rounded(.down)
        if quotient - floored > 0.5 { floored += 1 }
        return (floored, remainder)
    }
    return (T(signOf: a / b, magnitudeOf: 0), remainder)
}

enum Equal: PredicateFunction {
    static let name = "eq"
    static let cudaOperator = "=="
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
}

enum NotEqual: PredicateFunction {
    static let name = "ne"
    static let cudaOperator = "!="
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
}

enum Less: PredicateFunction {
    static let name = "lt"
    static let cudaOperator = "<"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

enum LessEqual: PredicateFunction {
    static let name = "le"
    static let cudaOperator = "<="
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}

enum Greater: PredicateFunction {
    static let name = "gt"
    static let cudaOperator = ">"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

enum GreaterEqual: PredicateFunction {
    static let name = "ge"
    static let cudaOperator = ">="
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}

extension BinaryOp {
    package static let add = BinaryOp(Add.self)
    package static let sub = BinaryOp(Sub.self)
    package static let mul = BinaryOp(Mul.self)
    package static let div = BinaryOp(Div.self)
    package static let pow = BinaryOp(Pow.self)
    package static let maximum = BinaryOp(Maximum.self)
    package static let minimum = BinaryOp(Minimum.self)
    package static let floorDivide = BinaryOp(FloorDivide.self)
    package static let remainder = BinaryOp(Remainder.self)
    package static let eq = BinaryOp(Equal.self)
    package static let ne = BinaryOp(NotEqual.self)
    package static let lt = BinaryOp(Less.self)
    package static let le = BinaryOp(LessEqual.self)
    package static let gt = BinaryOp(Greater.self)
    package static let ge = BinaryOp(GreaterEqual.self)

    /// Every binary primitive, for the checks that each has a test row and a CUDA expression.
    package static let all: [BinaryOp] = [
        add, sub, mul, div, pow, maximum, minimum, floorDivide, remainder, eq, ne, lt, le, gt, ge,
    ]
}
