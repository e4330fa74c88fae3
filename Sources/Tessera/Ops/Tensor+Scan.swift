/// Running sums and products along an axis (NumPy's `cumsum` and `cumprod`).
extension Tensor {
    /// Running sums along `axis` (of the flattened tensor when nil), as NumPy's `cumsum`.
    ///
    /// Integers and bools sum as int64; floats keep their dtype.
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).cumsum(axis: 1)   // [[1, 3, 6], [4, 9, 15]]
    /// ```
    ///
    /// - Parameter axis: The axis to accumulate along (negative counts from the end), or nil.
    /// - Returns: A tensor of `self`'s shape (1-d when `axis` is nil).
    ///
    /// ### See Also
    /// - ``sum(axis:keepDims:)``
    public func cumsum(axis: Int? = nil) -> Tensor {
        guard let axis else { return reshape([count]).cumsum(axis: 0) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "cumsum")
        return (dtype.isFloatingPoint ? self : astype(.int64)).scan(axis: a, reverse: false)
    }

    /// Running sums along `axis`, from the end when `reverse` (the gradient of the other direction).
    fileprivate func scan(axis a: Int, reverse: Bool) -> Tensor {
        Tensor.custom(CumulativeSum(axis: a, reverse: reverse), [self], shape: shape, dtype: dtype)
    }

    /// Running products along `axis` (of the flattened tensor when nil), as NumPy's `cumprod`.
    ///
    /// Integers and bools multiply as int64 (wrapping); floats keep their dtype. The gradient is exact
    /// at zeros (no division by the input).
    ///
    /// ```swift
    /// Tensor([[1, 2, 3], [4, 5, 6]]).cumprod(axis: 1)   // [[1, 2, 6], [4, 20, 120]]
    /// ```
    ///
    /// - Parameter axis: The axis to accumulate along (negative counts from the end), or nil.
    /// - Returns: A tensor of `self`'s shape (1-d when `axis` is nil).
    ///
    /// ### See Also
    /// - ``prod(axis:keepDims:)``
    public func cumprod(axis: Int? = nil) -> Tensor {
        guard let axis else { return reshape([count]).cumprod(axis: 0) }
        let a = Shape.normalize(axis: axis, rank: rank, op: "cumprod")
        let x = dtype.isFloatingPoint ? self : astype(.int64)
        return Tensor.custom(CumulativeProduct(axis: a), [x], shape: shape, dtype: x.dtype)
    }
}

/// Running sums along `axis`, from the end when `reverse`; integers wrap as int64, floats keep their dtype.
struct CumulativeSum: KernelOp {
    let axis: Int
    let reverse: Bool
    var name: String { reverse ? "cumsum_reverse" : "cumsum" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] { [g.scan(axis: axis, reverse: !reverse)] }
}

/// Running products along `axis`; integers wrap as int64, floats keep their dtype.
struct CumulativeProduct: KernelOp {
    let axis: Int
    var name: String { "cumprod" }

    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] {
        [Tensor.custom(CumulativeProductBackward(axis: axis), [inputs[0], g], shape: g.shape, dtype: g.dtype)]
    }
}

/// The gradient of ``CumulativeProduct`` without dividing by the input:
/// ∂L/∂xₖ = (∏ⱼ₍ⱼ<ₖ₎ xⱼ) · Sₖ, with Sₖ = gₖ + xₖ₊₁ · Sₖ₊₁ from the end of the lane.
struct CumulativeProductBackward: KernelOp {
    let axis: Int
    var name: String { "cumprod_backward" }
}
