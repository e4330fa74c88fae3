import RealModule

// Each unary primitive: name, math for every float type (float64 is the reference), optional integer
// math, the CUDA expression and the gradient — side by side. Composites (relu, gelu, softplus, …) live
// in Tensor+Math.swift and inherit gradients, fusion and every backend from these.

enum Neg: UnaryFunction {
    static let name = "neg"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { -x }
    static var integer: (@Sendable (Int64) -> Int64)? { { 0 &- $0 } }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? CUDA.wrapping("0", "-", x) : "(-\(x))"
    }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { -g }
}

enum Abs: UnaryFunction {
    static let name = "abs"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.magnitude }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 < 0 ? 0 &- $0 : $0 } }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String {
        kind == .i64 ? "(\(x) < 0LL ? \(CUDA.wrapping("0", "-", x)) : \(x))" : CUDA.math("fabs", x, kind)
    }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * x.sign() }
}

enum Sign: UnaryFunction {
    static let name = "sign"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0)) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String {
        let (zero, one) = (CUDA.literal(0, kind), CUDA.literal(1, kind))
        let otherwise = kind == .i64 ? zero : "(\(x) != \(x) ? \(x) : \(zero))"
        return "(\(x) > \(zero) ? \(one) : (\(x) < \(zero) ? -\(one) : \(otherwise)))"
    }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Sqrt: UnaryFunction {
    static let name = "sqrt"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.squareRoot() }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("sqrt", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / (y * 2) }
}

enum Rsqrt: UnaryFunction {
    static let name = "rsqrt"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { 1 / x.squareRoot() }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("rsqrt", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y * y * y * -0.5 }
}

enum Exp: UnaryFunction {
    static let name = "exp"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .exp(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("exp", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y }
}

enum Expm1: UnaryFunction {
    static let name = "expm1"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .expMinusOne(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("expm1", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * (y + 1) }
}

enum Log: UnaryFunction {
    static let name = "log"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .log(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("log", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / x }
}

enum Log1p: UnaryFunction {
    static let name = "log1p"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .log(onePlus: x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("log1p", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / (x + 1) }
}

enum Sin: UnaryFunction {
    static let name = "sin"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .sin(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("sin", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * x.cos() }
}

enum Cos: UnaryFunction {
    static let name = "cos"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .cos(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("cos", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { -g * x.sin() }
}

enum Tanh: UnaryFunction {
    static let name = "tanh"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .tanh(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("tanh", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * (1 - y * y) }
}

enum Sigmoid: UnaryFunction {
    static let name = "sigmoid"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { 1 / (1 + .exp(-x)) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String {
        let one = CUDA.literal(1, kind)
        return "(\(one) / (\(one) + \(CUDA.math("exp", "-\(x)", kind))))"
    }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y * (1 - y) }
}

enum Erf: UnaryFunction {
    static let name = "erf"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .erf(x) }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { CUDA.math("erf", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor {
        g * (-(x * x)).exp() * (2 / Double.pi.squareRoot())
    }
}

enum Floor: UnaryFunction {
    static let name = "floor"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.down) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { kind == .i64 ? x : CUDA.math("floor", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Ceil: UnaryFunction {
    static let name = "ceil"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.up) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { kind == .i64 ? x : CUDA.math("ceil", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Round: UnaryFunction {
    static let name = "round"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    /// `rint` rounds ties to even (C's `round` rounds them away from zero).
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { kind == .i64 ? x : CUDA.math("rint", x, kind) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum IsNaN: UnaryTest {
    static let name = "isnan"
    static func test<T: BinaryFloatingPoint>(_ x: T) -> Bool { x.isNaN }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { "isnan(\(x))" }
}

enum IsInf: UnaryTest {
    static let name = "isinf"
    static func test<T: BinaryFloatingPoint>(_ x: T) -> Bool { x.isInfinite }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { "isinf(\(x))" }
}

enum IsFinite: UnaryTest {
    static let name = "isfinite"
    static func test<T: BinaryFloatingPoint>(_ x: T) -> Bool { x.isFinite }
    static func cuda(_ x: String, _ kind: ComputeKind) -> String { "isfinite(\(x))" }
}

extension UnaryOp {
    package static let neg = UnaryOp(Neg.self)
    package static let abs = UnaryOp(Abs.self)
    package static let sign = UnaryOp(Sign.self)
    package static let sqrt = UnaryOp(Sqrt.self)
    package static let rsqrt = UnaryOp(Rsqrt.self)
    package static let exp = UnaryOp(Exp.self)
    package static let expm1 = UnaryOp(Expm1.self)
    package static let log = UnaryOp(Log.self)
    package static let log1p = UnaryOp(Log1p.self)
    package static let sin = UnaryOp(Sin.self)
    package static let cos = UnaryOp(Cos.self)
    package static let tanh = UnaryOp(Tanh.self)
    package static let sigmoid = UnaryOp(Sigmoid.self)
    package static let erf = UnaryOp(Erf.self)
    package static let floor = UnaryOp(Floor.self)
    package static let ceil = UnaryOp(Ceil.self)
    package static let round = UnaryOp(Round.self)
    package static let isnan = UnaryOp(IsNaN.self)
    package static let isinf = UnaryOp(IsInf.self)
    package static let isfinite = UnaryOp(IsFinite.self)

    /// Every unary primitive, for the checks that each has a test row and a CUDA expression.
    package static let all: [UnaryOp] = [
        neg, abs, sign, sqrt, rsqrt, exp, expm1, log, log1p, sin, cos, tanh, sigmoid, erf, floor, ceil, round,
        isnan, isinf, isfinite,
    ]
}
