/// Reductions over any set of axes (`nil` = all), with or without keeping the reduced axes as size 1.
///
/// A reduction fuses with the elementwise ops before and after it: `((x - r) ** 2).sum(axis: 1).sqrt()`
/// reads `x` once and writes one value per row.
extension Tensor {
    func reduce(_ op: ReduceOp, axes: [Int]?, keepDims: Bool) -> Tensor {
        let axes = Shape.normalize(axes: axes, rank: rank, op: op.rawValue)
        var outShape: [Int] = []
        for (axis, size) in shape.enumerated() {
            if !axes.contains(axis) { outShape.append(size) } else if keepDims { outShape.append(1) }
        }
        if op.isArg || op == .max || op == .min {
            check(axes.allSatisfy { shape[$0] > 0 }, "[\(op.rawValue)] cannot reduce an empty axis of shape \(shape)")
        }
        let widens = (op == .sum || op == .prod) && !dtype.isFloatingPoint
        let input = widens ? astype(.int64) : self
        let dtype: DType = op.isArg ? .int64 : input.dtype
        return Tensor.make(.reduce(op, axes: axes), [input], shape: outShape, dtype: dtype)
    }

    /// The sum over `axis` (all axes when nil). Integers and bools sum as int64.
    public func sum(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.sum, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The sum over several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.sum, axes: axes, keepDims: keepDims) }
    /// The product over `axis` (all axes when nil).
    public func prod(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.prod, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The largest element over `axis` (all axes when nil); NaN propagates.
    public func max(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.max, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The largest element over several axes.
    public func max(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.max, axes: axes, keepDims: keepDims) }
    /// The smallest element over `axis` (all axes when nil); NaN propagates.
    public func min(axis: Int? = nil, keepDims: Bool = false) -> Tensor { reduce(.min, axes: axis.map { [$0] }, keepDims: keepDims) }
    /// The smallest element over several axes.
    public func min(axes: [Int], keepDims: Bool = false) -> Tensor { reduce(.min, axes: axes, keepDims: keepDims) }
    /// The index of the first largest element along `axis` (of the flattened tensor when nil), as int64.
    public func argmax(axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        axis == nil ? flatten().reduce(.argmax, axes: [0], keepDims: false) : reduce(.argmax, axes: [axis!], keepDims: keepDims)
    }
    /// The index of the first smallest element along `axis` (of the flattened tensor when nil), as int64.
    public func argmin(axis: Int? = nil, keepDims: Bool = false) -> Tensor {
        axis == nil ? flatten().reduce(.argmin, axes: [0], keepDims: false) : reduce(.argmin, axes: [axis!], keepDims: keepDims)
    }

    /// The arithmetic mean over `axes` (all when nil); integers average as float32.
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "mean")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let x = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        return x.sum(axes: normalized, keepDims: keepDims) * (1.0 / Double(n))
    }
    /// The arithmetic mean over one axis.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { mean(axes: [axis], keepDims: keepDims) }

    /// The variance over `axes` with `correction` subtracted from the count (1: sample variance, as
    /// PyTorch's default; 0: NumPy's default).
    public func variance(axes: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        let normalized = Shape.normalize(axes: axes, rank: rank, op: "variance")
        let n = normalized.reduce(1) { $0 * shape[$1] }
        let x = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        let centered = x - x.mean(axes: normalized, keepDims: true)
        return (centered * centered).sum(axes: normalized, keepDims: keepDims) * (1.0 / Double(Swift.max(n - correction, 0)))
    }

    /// The standard deviation: √``variance(axes:correction:keepDims:)``.
    public func std(axes: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        variance(axes: axes, correction: correction, keepDims: keepDims).sqrt()
    }

    /// The vector p-norm over `axes` (all when nil): p = 2 (default), 1, or `.infinity`.
    public func norm(_ p: Double = 2, axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        let x = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        switch p {
        case 2: return (x * x).sum(axes: Shape.normalize(axes: axes, rank: rank, op: "norm"), keepDims: keepDims).sqrt()
        case 1: return x.abs().sum(axes: Shape.normalize(axes: axes, rank: rank, op: "norm"), keepDims: keepDims)
        case .infinity: return x.abs().max(axes: Shape.normalize(axes: axes, rank: rank, op: "norm"), keepDims: keepDims)
        default:
            return x.abs().pow(Tensor.constant(p, shape: [], dtype: x.dtype, device: device))
                .sum(axes: Shape.normalize(axes: axes, rank: rank, op: "norm"), keepDims: keepDims)
                .pow(Tensor.constant(1 / p, shape: [], dtype: x.dtype, device: device))
        }
    }

    /// log(Σ exp(x)) over `axis`, computed without overflow.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let m = self.max(axis: axis, keepDims: true).detach()
        let shift = Tensor.where(m.isfinite(), m, 0)
        let result = (self - shift).exp().sum(axis: axis, keepDims: true).log() + shift
        return keepDims ? result : result.squeeze(axis: axis)
    }

    /// exp(x) / Σ exp(x) along `axis`.
    public func softmax(axis: Int = -1) -> Tensor {
        let e = (self - self.max(axis: axis, keepDims: true).detach()).exp()
        return e / e.sum(axis: axis, keepDims: true)
    }

    /// x − logsumexp(x) along `axis`.
    public func logSoftmax(axis: Int = -1) -> Tensor { self - logSumExp(axis: axis, keepDims: true) }
}
