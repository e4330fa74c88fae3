/// Elementwise math: the unary primitives, and composites built from them (which inherit gradients
/// and fusion). Integer inputs are promoted to float32 where the result needs fractions.
extension Tensor {
    /// Absolute value.
    public func abs() -> Tensor { unary(.abs) }
    /// -1, 0 or 1 by sign (NaN stays NaN).
    public func sign() -> Tensor { unary(.sign) }
    /// Square root.
    public func sqrt() -> Tensor { unary(.sqrt) }
    /// 1 / √x.
    public func rsqrt() -> Tensor { unary(.rsqrt) }
    /// eˣ.
    public func exp() -> Tensor { unary(.exp) }
    /// eˣ − 1, accurate near 0.
    public func expm1() -> Tensor { unary(.expm1) }
    /// Natural logarithm.
    public func log() -> Tensor { unary(.log) }
    /// ln(1 + x), accurate near 0.
    public func log1p() -> Tensor { unary(.log1p) }
    /// Sine.
    public func sin() -> Tensor { unary(.sin) }
    /// Cosine.
    public func cos() -> Tensor { unary(.cos) }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary(.tanh) }
    /// The error function.
    public func erf() -> Tensor { unary(.erf) }
    /// 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Tensor { unary(.sigmoid) }
    /// Round toward −∞.
    public func floor() -> Tensor { unary(.floor) }
    /// Round toward +∞.
    public func ceil() -> Tensor { unary(.ceil) }
    /// Round to nearest, ties to even (as NumPy).
    public func round() -> Tensor { unary(.round) }
    /// x².
    public func square() -> Tensor { self * self }
    /// 1 / x.
    public func reciprocal() -> Tensor { 1.0 / self }

    /// max(x, 0); NaN stays NaN, as in PyTorch. The gradient at 0 is 0.
    public func relu() -> Tensor { Tensor.where(self .<= 0, 0, self) }
    /// The Gaussian error linear unit, x·Φ(x), with the exact erf form (PyTorch's default).
    public func gelu() -> Tensor { self * 0.5 * (1 + (self * (1 / 2.0.squareRoot())).erf()) }
    /// ln(1 + eˣ), computed without overflow.
    public func softplus() -> Tensor { Tensor.maximum(self, 0) + (-self.abs()).exp().log1p() }

    /// Whether each element is NaN (always false for integers).
    public func isnan() -> Tensor { dtype.isFloatingPoint ? predicate(.isnan) : Tensor.constant(0, shape: shape, dtype: .bool, device: device) }
    /// Whether each element is ±∞ (always false for integers).
    public func isinf() -> Tensor { dtype.isFloatingPoint ? predicate(.isinf) : Tensor.constant(0, shape: shape, dtype: .bool, device: device) }
    /// Whether each element is neither NaN nor ±∞ (always true for integers).
    public func isfinite() -> Tensor { dtype.isFloatingPoint ? predicate(.isfinite) : Tensor.constant(1, shape: shape, dtype: .bool, device: device) }
}
