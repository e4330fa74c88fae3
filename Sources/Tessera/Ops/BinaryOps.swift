import RealModule

// Each binary primitive: name, math for every float type, integer math, and the gradients with
// respect to both inputs (Tensor+Autograd un-broadcasts them). Predicates produce `bool`.

enum Add: BinaryFunction {
    static let name = "add"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a + b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &+ $1 } }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g, g) }
}

enum Sub: BinaryFunction {
    static let name = "sub"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a - b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &- $1 } }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g, -g) }
}

enum Mul: BinaryFunction {
    static let name = "mul"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a * b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { $0 &* $1 } }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) { (g * b, g * a) }
}

enum Div: BinaryFunction {
    static let name = "div"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a / b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { nil }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        (g / b, -g * y / b)
    }
}

enum Pow: BinaryFunction {
    static let name = "pow"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T {
        // Real.pow is NaN for negative bases; integral exponents of negative bases are well defined.
        if a < 0, let n = Int(exactly: b) { return .pow(a, n) }
        return .pow(a, b)
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
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let takeA = a .>= b
        return (Tensor.where(takeA, g, g.zerosLike()), Tensor.where(takeA, g.zerosLike(), g))
    }
}

enum Minimum: BinaryFunction {
    static let name = "minimum"
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T { a < b || a.isNaN ? a : b }
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { { Swift.min($0, $1) } }
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor) {
        let takeA = a .<= b
        return (Tensor.where(takeA, g, g.zerosLike()), Tensor.where(takeA, g.zerosLike(), g))
    }
}

enum Equal: PredicateFunction {
    static let name = "eq"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a == b }
}

enum NotEqual: PredicateFunction {
    static let name = "ne"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a != b }
}

enum Less: PredicateFunction {
    static let name = "lt"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a < b }
}

enum LessEqual: PredicateFunction {
    static let name = "le"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a <= b }
}

enum Greater: PredicateFunction {
    static let name = "gt"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a > b }
}

enum GreaterEqual: PredicateFunction {
    static let name = "ge"
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool { a >= b }
}

extension BinaryOp {
    static let add = BinaryOp(Add.self)
    static let sub = BinaryOp(Sub.self)
    static let mul = BinaryOp(Mul.self)
    static let div = BinaryOp(Div.self)
    static let pow = BinaryOp(Pow.self)
    static let maximum = BinaryOp(Maximum.self)
    static let minimum = BinaryOp(Minimum.self)
    static let eq = BinaryOp(predicate: Equal.self)
    static let ne = BinaryOp(predicate: NotEqual.self)
    static let lt = BinaryOp(predicate: Less.self)
    static let le = BinaryOp(predicate: LessEqual.self)
    static let gt = BinaryOp(predicate: Greater.self)
    static let ge = BinaryOp(predicate: GreaterEqual.self)
}
