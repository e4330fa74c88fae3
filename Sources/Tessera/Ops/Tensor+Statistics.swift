/// Statistics over axes, as composites of the reductions (so they fuse, and their gradients come from
/// the primitives'). They take the reductions' arguments: `axis:` (nil: every axis) or `axes:`, and
/// `keepDims:`. Integers compute in float32.
extension Tensor {
    /// The arithmetic mean over `axis` (every axis when nil).
    public func mean(axis: Int? = nil, keepDims: Bool = false) -> Tensor { mean(over: axis.map { [$0] }, keepDims: keepDims) }
    /// The arithmetic mean over several axes.
    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor { mean(over: axes, keepDims: keepDims) }

    /// The variance over `axis` (every axis when nil), dividing by the count minus `correction`.
    ///
    /// The default, `correction: 1`, is PyTorch's unbiased sample variance; NumPy's `np.var` divides by
    /// the count (`correction: 0`).
    ///
    /// ```swift
    /// Tensor([1.0, 2, 3, 4]).variance()                  // 1.6667 (torch.var)
    /// Tensor([1.0, 2, 3, 4]).variance(correction: 0)     // 1.25   (np.var)
    /// ```
    public func variance(axis: Int? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        variance(over: axis.map { [$0] }, correction: correction, keepDims: keepDims)
    }
    /// The variance over several axes; see ``variance(axis:correction:keepDims:)``.
    public func variance(axes: [Int], correction: Int = 1, keepDims: Bool = false) -> Tensor {
        variance(over: axes, correction: correction, keepDims: keepDims)
    }

    /// The standard deviation: the square root of ``variance(axis:correction:keepDims:)`` (PyTorch's
    /// default `correction: 1`; NumPy's `np.std` is `correction: 0`).
    public func std(axis: Int? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        variance(over: axis.map { [$0] }, correction: correction, keepDims: keepDims).sqrt()
    }
    /// The standard deviation over several axes.
    public func std(axes: [Int], correction: Int = 1, keepDims: Bool = false) -> Tensor {
        variance(over: axes, correction: correction, keepDims: keepDims).sqrt()
    }

    /// The vector p-norm over `axis` (every axis when nil): p = 2 (default), 1, `.infinity` or any p > 0.
    ///
    /// At a zero vector the gradient is zero (PyTorch's subgradient), not NaN.
    public func norm(_ p: Double = 2, axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        norm(p, over: axis.map { [$0] }, keepDims: keepDims)
    }
    /// The vector p-norm over several axes.
    public func norm(_ p: Double = 2, axes: [Int], keepDims: Bool = false) -> Tensor { norm(p, over: axes, keepDims: keepDims) }

    /// The median over `axis` (of every element when nil), as NumPy's: the mean of the two middle values
    /// when the count is even (PyTorch's `median` takes the lower one). A lane holding NaN gives NaN.
    ///
    /// ```swift
    /// Tensor([3.0, 1, 4, 2]).median()   // 2.5
    /// ```
    ///
    /// The gradient goes to the middle element, or half to each of the two.
    public func median(axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        let floating = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        let x = axis == nil ? floating.reshape([count]) : floating
        let a = axis.map { Shape.normalize(axis: $0, rank: rank, op: "median") } ?? 0
        let n = x.shape[a]
        check(n > 0, "[median] cannot take the median of an empty axis (axis \(a) of shape \(shape))")
        let middle = x.orderStatistics(axis: a, ranks: n % 2 == 1 ? [n / 2] : [n / 2 - 1, n / 2])
        let r = n % 2 == 1 ? middle : middle.sum(axis: a, keepDims: true) * 0.5
        if axis == nil { return keepDims ? r.reshape([Int](repeating: 1, count: rank)) : r.reshape([]) }
        return keepDims ? r : r.squeeze(axis: a)
    }

    /// log(Σ exp(x)) over `axis` (every axis when nil), computed without overflow.
    public func logSumExp(axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        logSumExp(over: axis.map { [$0] }, keepDims: keepDims)
    }
    /// log(Σ exp(x)) over several axes.
    public func logSumExp(axes: [Int], keepDims: Bool = false) -> Tensor { logSumExp(over: axes, keepDims: keepDims) }

    /// exp(x) / Σ exp(x) along `axis`.
    public func softmax(axis: Int = -1) -> Tensor {
        let e = (floating - shift(over: [Shape.normalize(axis: axis, rank: rank, op: "softmax")])).exp()
        return e / e.sum(axis: axis, keepDims: true)
    }

    /// x − logsumexp(x) along `axis`, computed as (x − max) − log Σ exp(x − max) so that large inputs keep
    /// their precision.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let z = floating - shift(over: [Shape.normalize(axis: axis, rank: rank, op: "logSoftmax")])
        return z - z.exp().sum(axis: axis, keepDims: true).log()
    }

    // MARK: - Implementations over axes (nil: all)

    private var floating: Tensor { dtype.isFloatingPoint ? self : astype(.defaultFloat) }

    private func mean(over axes: [Int]?, keepDims: Bool) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "mean")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return floating.sum(axes: normalized, keepDims: keepDims) * (1.0 / Double(n))
    }

    private func variance(over axes: [Int]?, correction: Int, keepDims: Bool) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "variance")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let x = floating
        let centered = x - x.mean(over: normalized, keepDims: true)
        return (centered * centered).sum(axes: normalized, keepDims: keepDims) * (1.0 / Double(Swift.max(n - correction, 0)))
    }

    /// p = 1 and ∞ are sums and maxima of |x|; otherwise (Σ|x|ᵖ)^(1/p), where an all-zero vector goes
    /// through `where` on both sides of the root so that neither the value nor the gradient divides 0 by 0.
    private func norm(_ p: Double, over axes: [Int]?, keepDims: Bool) -> Tensor {
        check(p > 0, "[norm] p must be positive, got \(p)")
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "norm")
        let x = floating
        switch p {
        case 1: return x.abs().sum(axes: normalized, keepDims: keepDims)
        case .infinity: return x.abs().max(axes: normalized, keepDims: keepDims)
        default:
            let powered = p == 2 ? x * x : x.abs().pow(Tensor.constant(p, shape: [], dtype: x.dtype, device: device))
            let total = powered.sum(axes: normalized, keepDims: keepDims)
            let isZero = total .== 0
            let safe = Tensor.where(isZero, total.onesLike(), total)
            let root = p == 2 ? safe.sqrt() : safe.pow(Tensor.constant(1 / p, shape: [], dtype: x.dtype, device: device))
            return Tensor.where(isZero, total.zerosLike(), root)
        }
    }

    private func logSumExp(over axes: [Int]?, keepDims: Bool) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "logSumExp")
        let shift = shift(over: normalized)
        let result = (floating - shift).exp().sum(axes: normalized, keepDims: true).log() + shift
        return keepDims ? result : result.reshape(reducedShape(normalized, keepDims: false))
    }

    /// The maximum over `axes` (kept as size 1), or 0 where it is infinite, as a constant: subtracting it
    /// before `exp` keeps the sum from overflowing and changes neither value nor gradient.
    private func shift(over axes: [Int]) -> Tensor {
        let m = floating.max(axes: axes, keepDims: true).detach()
        return Tensor.where(m.isfinite(), m, 0)
    }
}
