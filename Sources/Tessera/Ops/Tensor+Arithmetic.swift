precedencegroup PowerPrecedence {
    higherThan: MultiplicationPrecedence
    associativity: right
}

infix operator ** : PowerPrecedence
infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

/// Arithmetic with NumPy broadcasting and type promotion. Each operator takes two tensors, or a tensor
/// and a Swift scalar on either side; a scalar does not widen the tensor's dtype within its kind.
///
/// ```swift
/// let y = 2 * x + 1          // float32 stays float32
/// let z = x ** 2             // pow
/// let mask = x .> 0          // bool
/// ```
extension Tensor {
    /// Elementwise sum.
    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
    /// Elementwise difference.
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b) }
    /// Elementwise product.
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b) }
    /// Elementwise true division (integers divide as floats).
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.div, a, b, floatOnly: true) }
    /// Elementwise power; `x ** 2` is computed as `x * x`.
    public static func ** (a: Tensor, b: Tensor) -> Tensor { a.pow(b) }
    /// Negation.
    public static prefix func - (x: Tensor) -> Tensor { x.unary(.neg) }

    public static func + <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a + a.scalarLike(b) }
    public static func + <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) + b }
    public static func - <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a - a.scalarLike(b) }
    public static func - <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) - b }
    public static func * <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a * a.scalarLike(b) }
    public static func * <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) * b }
    public static func / <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a / a.scalarLike(b) }
    public static func / <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) / b }
    public static func ** <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a.pow(a.scalarLike(b)) }

    public static func ** <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a).pow(b) }

    /// Elementwise floor division, ⌊a / b⌋ (NumPy's `//` and `floor_divide`; PyTorch's
    /// `div(rounding_mode="floor")`): integers stay integers (division by zero gives 0, as NumPy's), floats
    /// follow NumPy's divmod exactly. No gradient flows (the result is piecewise constant).
    ///
    /// ```swift
    /// Tensor.floorDivide(Tensor([7, -7]), Tensor([2, 2]))   // [3, -4]
    /// ```
    public static func floorDivide(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.floorDivide, a, b) }
    /// Floor division by a scalar.
    public static func floorDivide<S: TensorScalar>(_ a: Tensor, _ b: S) -> Tensor { floorDivide(a, a.scalarLike(b)) }
    /// Floor division of a scalar.
    public static func floorDivide<S: TensorScalar>(_ a: S, _ b: Tensor) -> Tensor { floorDivide(b.scalarLike(a), b) }

    /// The elementwise remainder with the sign of the divisor, `a - ⌊a / b⌋ · b` (Python's and NumPy's `%`,
    /// PyTorch's `remainder`); C's `fmod` keeps the dividend's sign instead.
    ///
    /// ```swift
    /// Tensor([7, -7]) % 3   // [1, 2]
    /// ```
    public static func % (a: Tensor, b: Tensor) -> Tensor { binary(.remainder, a, b) }
    public static func % <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a % a.scalarLike(b) }
    public static func % <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) % b }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }

    /// Elementwise power with broadcasting. Exponent 2 becomes a multiply (exact and fast).
    public func pow(_ exponent: Tensor) -> Tensor {
        if case .full(let e) = exponent.node.op, e == 2, exponent.rank == 0 { return self * self }
        return Tensor.binary(.pow, self, exponent)
    }

    /// Elementwise maximum (NaN propagates).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.maximum, a, b) }
    /// Elementwise minimum (NaN propagates).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { binary(.minimum, a, b) }
    /// Elementwise maximum with a scalar.
    public static func maximum<S: TensorScalar>(_ a: Tensor, _ b: S) -> Tensor { maximum(a, a.scalarLike(b)) }
    /// Elementwise minimum with a scalar.
    public static func minimum<S: TensorScalar>(_ a: Tensor, _ b: S) -> Tensor { minimum(a, a.scalarLike(b)) }
    /// Elementwise maximum of a scalar and a tensor.
    public static func maximum<S: TensorScalar>(_ a: S, _ b: Tensor) -> Tensor { maximum(b.scalarLike(a), b) }
    /// Elementwise minimum of a scalar and a tensor.
    public static func minimum<S: TensorScalar>(_ a: S, _ b: Tensor) -> Tensor { minimum(b.scalarLike(a), b) }

    /// Elements limited to `[low, high]` (integer bounds keep integer tensors integral); NaN stays NaN and
    /// the gradient is 1 inside the bounds and at them, 0 outside (PyTorch's).
    public func clamp<S: TensorScalar>(min low: S? = nil, max high: S? = nil) -> Tensor {
        var y = self
        if let low {
            let bound = y.scalarLike(low)
            y = Tensor.where(y .< bound, bound, y)
        }
        if let high {
            let bound = y.scalarLike(high)
            y = Tensor.where(y .> bound, bound, y)
        }
        return y
    }

    public static func .== (a: Tensor, b: Tensor) -> Tensor { binary(.eq, a, b) }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { binary(.ne, a, b) }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { binary(.lt, a, b) }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { binary(.le, a, b) }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { binary(.gt, a, b) }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { binary(.ge, a, b) }
    public static func .== <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .== a.scalarLike(b) }
    public static func .!= <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .!= a.scalarLike(b) }
    public static func .< <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .< a.scalarLike(b) }
    public static func .<= <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .<= a.scalarLike(b) }
    public static func .> <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .> a.scalarLike(b) }
    public static func .>= <S: TensorScalar>(a: Tensor, b: S) -> Tensor { a .>= a.scalarLike(b) }
    public static func .== <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .== b }
    public static func .!= <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .!= b }
    public static func .< <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .< b }
    public static func .<= <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .<= b }
    public static func .> <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .> b }
    public static func .>= <S: TensorScalar>(a: S, b: Tensor) -> Tensor { b.scalarLike(a) .>= b }

    /// Elementwise logical and of truth values (non-zero is true).
    public static func .&& (a: Tensor, b: Tensor) -> Tensor { minimum(a.astype(.bool), b.astype(.bool)) }
    /// Elementwise logical or.
    public static func .|| (a: Tensor, b: Tensor) -> Tensor { maximum(a.astype(.bool), b.astype(.bool)) }
    /// Elementwise logical exclusive or.
    public func logicalXor(_ other: Tensor) -> Tensor { astype(.bool) .!= other.astype(.bool) }
    /// Elementwise logical not.
    public func logicalNot() -> Tensor { astype(.bool) .== false }
}

infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence
