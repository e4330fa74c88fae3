import RealModule

/// A CPU kernel over `count` contiguous elements: one input.
typealias UnaryKernel = @Sendable (_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ count: Int) -> Void
/// A CPU kernel over `count` contiguous elements: two inputs.
typealias BinaryKernel = @Sendable (
    _ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ count: Int) -> Void

/// The faces of a unary elementwise primitive, declared together in one conforming type.
///
/// `apply` is the math for every floating type (float64 is the reference the tests compare against),
/// `integer` the math on integers when the op keeps integers integral (`nil` promotes integer inputs
/// to float32 first), and `vjp` the gradient, written with tensor ops so that it fuses too.
protocol UnaryFunction: SendableMetatype {
    static var name: String { get }
    static func apply<T: Real & BinaryFloatingPoint>(_ x: T) -> T
    static var integer: (@Sendable (Int64) -> Int64)? { get }
    /// The gradient with respect to `x`, given the output gradient `g` and the output `y`.
    static func vjp(_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor
}

extension UnaryFunction {
    static var integer: (@Sendable (Int64) -> Int64)? { nil }
}

/// The faces of a binary elementwise primitive on numbers (inputs and output share a dtype).
protocol BinaryFunction: SendableMetatype {
    static var name: String { get }
    static func apply<T: Real & BinaryFloatingPoint>(_ a: T, _ b: T) -> T
    static var integer: (@Sendable (Int64, Int64) -> Int64)? { get }
    /// Gradients with respect to `a` and `b` (before un-broadcasting), given `g` and the output `y`.
    static func vjp(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ y: Tensor) -> (Tensor, Tensor)
}

/// A binary primitive that compares or combines truth values; its output is `bool`, with no gradient.
protocol PredicateFunction: SendableMetatype {
    static var name: String { get }
    static func test<T: Comparable>(_ a: T, _ b: T) -> Bool
}

/// A unary elementwise op as the graph stores it: kernels for the three compute kinds, the float64
/// reference, and the gradient rule.
package struct UnaryOp: Sendable {
    package let name: String
    let f32: UnaryKernel
    let f64: UnaryKernel
    let i64: UnaryKernel?
    let reference: @Sendable (Double) -> Double
    let vjp: @Sendable (Tensor, Tensor, Tensor) -> Tensor

    init<F: UnaryFunction>(_ f: F.Type) {
        name = F.name
        f32 = { x, out, n in Self.map(x, out, n) { (v: Float) in F.apply(v) } }
        f64 = { x, out, n in Self.map(x, out, n) { (v: Double) in F.apply(v) } }
        if let body = F.integer { i64 = { x, out, n in Self.map(x, out, n, body) } } else { i64 = nil }
        reference = { F.apply($0) }
        vjp = { F.vjp($0, $1, $2) }
    }

    /// Float-to-bool tests (`isnan`, …): the output is an `Int64` 0/1 register, no gradient.
    init(predicate name: String, f32: @escaping @Sendable (Float) -> Bool, f64: @escaping @Sendable (Double) -> Bool) {
        self.name = name
        self.f32 = { x, out, n in Self.map(x, out, n) { (v: Float) -> Int64 in f32(v) ? 1 : 0 } }
        self.f64 = { x, out, n in Self.map(x, out, n) { (v: Double) -> Int64 in f64(v) ? 1 : 0 } }
        self.i64 = nil
        self.reference = { f64($0) ? 1 : 0 }
        self.vjp = { g, _, _ in g.zerosLike() }
    }

    func kernel(_ kind: ComputeKind) -> UnaryKernel? {
        switch kind {
        case .f32: f32
        case .f64: f64
        case .i64: i64
        }
    }

    @inline(__always)
    static func map<A, B>(_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ n: Int, _ f: (A) -> B) {
        let src = x.assumingMemoryBound(to: A.self), dst = out.assumingMemoryBound(to: B.self)
        for i in 0..<n { dst[i] = f(src[i]) }
    }
}

/// A binary elementwise op as the graph stores it.
package struct BinaryOp: Sendable {
    package let name: String
    /// Whether the output is `bool` (comparisons and logical ops) rather than the inputs' dtype.
    let isPredicate: Bool
    let f32: BinaryKernel
    let f64: BinaryKernel
    let i64: BinaryKernel?
    let reference: @Sendable (Double, Double) -> Double
    /// `nil` for predicates, which have no gradient.
    let vjp: (@Sendable (Tensor, Tensor, Tensor, Tensor) -> (Tensor, Tensor))?

    init<F: BinaryFunction>(_ f: F.Type) {
        name = F.name
        isPredicate = false
        f32 = { a, b, out, n in Self.zip(a, b, out, n) { (x: Float, y: Float) in F.apply(x, y) } }
        f64 = { a, b, out, n in Self.zip(a, b, out, n) { (x: Double, y: Double) in F.apply(x, y) } }
        if let body = F.integer { i64 = { a, b, out, n in Self.zip(a, b, out, n, body) } } else { i64 = nil }
        reference = { F.apply($0, $1) }
        vjp = { F.vjp($0, $1, $2, $3) }
    }

    init<F: PredicateFunction>(predicate f: F.Type) {
        name = F.name
        isPredicate = true
        f32 = { a, b, out, n in Self.zip(a, b, out, n) { (x: Float, y: Float) -> Int64 in F.test(x, y) ? 1 : 0 } }
        f64 = { a, b, out, n in Self.zip(a, b, out, n) { (x: Double, y: Double) -> Int64 in F.test(x, y) ? 1 : 0 } }
        i64 = { a, b, out, n in Self.zip(a, b, out, n) { (x: Int64, y: Int64) -> Int64 in F.test(x, y) ? 1 : 0 } }
        reference = { F.test($0, $1) ? 1 : 0 }
        vjp = nil
    }

    func kernel(_ kind: ComputeKind) -> BinaryKernel? {
        switch kind {
        case .f32: f32
        case .f64: f64
        case .i64: i64
        }
    }

    @inline(__always)
    static func zip<A, B>(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ n: Int,
                          _ f: (A, A) -> B) {
        let x = a.assumingMemoryBound(to: A.self), y = b.assumingMemoryBound(to: A.self)
        let dst = out.assumingMemoryBound(to: B.self)
        for i in 0..<n { dst[i] = f(x[i], y[i]) }
    }
}
