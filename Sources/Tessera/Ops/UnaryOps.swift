import RealModule

// Each unary primitive: name, math for every float type (float64 is the tests' reference), optional
// integer math, and the gradient — side by side. Composites (relu, gelu, softplus, …) live in
// Tensor+Math.swift and inherit gradients from these.

enum Neg: UnaryFunction {
    static let name = "neg"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { -x }
    static var integer: (@Sendable (Int64) -> Int64)? { { 0 &- $0 } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { -g }
}

enum Abs: UnaryFunction {
    static let name = "abs"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.magnitude }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 < 0 ? 0 &- $0 : $0 } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * x.sign() }
}

enum Sign: UnaryFunction {
    static let name = "sign"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? x : 0)) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Sqrt: UnaryFunction {
    static let name = "sqrt"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.squareRoot() }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / (y * 2) }
}

enum Rsqrt: UnaryFunction {
    static let name = "rsqrt"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { 1 / x.squareRoot() }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y * y * y * -0.5 }
}

enum Exp: UnaryFunction {
    static let name = "exp"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .exp(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y }
}

enum Expm1: UnaryFunction {
    static let name = "expm1"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .expMinusOne(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * (y + 1) }
}

enum Log: UnaryFunction {
    static let name = "log"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .log(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / x }
}

enum Log1p: UnaryFunction {
    static let name = "log1p"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .log(onePlus: x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g / (x + 1) }
}

enum Sin: UnaryFunction {
    static let name = "sin"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .sin(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * x.cos() }
}

enum Cos: UnaryFunction {
    static let name = "cos"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .cos(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { -g * x.sin() }
}

enum Tanh: UnaryFunction {
    static let name = "tanh"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .tanh(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * (1 - y * y) }
}

enum Sigmoid: UnaryFunction {
    static let name = "sigmoid"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { 1 / (1 + .exp(-x)) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g * y * (1 - y) }
}

enum Erf: UnaryFunction {
    static let name = "erf"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { .erf(x) }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor {
        g * (-(x * x)).exp() * (2 / Double.pi.squareRoot())
    }
}

enum Floor: UnaryFunction {
    static let name = "floor"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.down) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Ceil: UnaryFunction {
    static let name = "ceil"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.up) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

enum Round: UnaryFunction {
    static let name = "round"
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T { x.rounded(.toNearestOrEven) }
    static var integer: (@Sendable (Int64) -> Int64)? { { $0 } }
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor { g.zerosLike() }
}

extension UnaryOp {
    static let neg = UnaryOp(Neg.self)
    static let abs = UnaryOp(Abs.self)
    static let sign = UnaryOp(Sign.self)
    static let sqrt = UnaryOp(Sqrt.self)
    static let rsqrt = UnaryOp(Rsqrt.self)
    static let exp = UnaryOp(Exp.self)
    static let expm1 = UnaryOp(Expm1.self)
    static let log = UnaryOp(Log.self)
    static let log1p = UnaryOp(Log1p.self)
    static let sin = UnaryOp(Sin.self)
    static let cos = UnaryOp(Cos.self)
    static let tanh = UnaryOp(Tanh.self)
    static let sigmoid = UnaryOp(Sigmoid.self)
    static let erf = UnaryOp(Erf.self)
    static let floor = UnaryOp(Floor.self)
    static let ceil = UnaryOp(Ceil.self)
    static let round = UnaryOp(Round.self)
    static let isnan = UnaryOp(predicate: "isnan", f32: { $0.isNaN }, f64: { $0.isNaN })
    static let isinf = UnaryOp(predicate: "isinf", f32: { $0.isInfinite }, f64: { $0.isInfinite })
    static let isfinite = UnaryOp(predicate: "isfinite", f32: { $0.isFinite }, f64: { $0.isFinite })
}
