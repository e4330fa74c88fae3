import Tessera

/// Autograd against float64 central finite differences.
package enum GradientCheck {
    /// Compares autograd's gradients of `f` with respect to each differentiable input with float64
    /// central finite differences, element by element: the largest error and what failed.
    ///
    /// The loss is `sum(f(inputs) * c)` for a fixed random `c` (so every output element matters with a
    /// different weight); differentiable inputs are converted to float64 (the others keep their dtype,
    /// e.g. integer indices), and each element is moved by ±`epsilon`. The error of an element is
    /// `|autograd − numeric| / max(1, |numeric|)`: relative for large gradients, absolute near zero; the
    /// worst element of each input is reported. Costs two evaluations of `f` per element, so keep shapes
    /// small. Everything runs on the inputs' device.
    package static func failures(
        _ f: ([Tensor]) -> Tensor, at inputs: [Tensor], differentiable: [Bool]? = nil, epsilon: Double = 1e-6,
        tolerance: Double = 1e-6, seed: UInt64 = 1, _ comment: String = ""
    ) -> (maxError: Double, failures: [String]) {
        let wanted = differentiable ?? inputs.map { _ in true }
        let points = zip(inputs, wanted).map { x, d in d ? x.astype(.float64).detach() : x.detach() }
        let c = lossWeights(f, at: points, seed: seed)
        func loss(_ ts: [Tensor]) -> Tensor { (f(ts).astype(.float64) * c).sum() }
        let leaves = points.map { $0.detach() }
        for (leaf, d) in zip(leaves, wanted) where d { leaf.requiresGrad = true }
        loss(leaves).backward()
        var maxError = 0.0
        var failures: [String] = []
        for i in inputs.indices where wanted[i] {
            let x = points[i]
            guard let grad = leaves[i].grad else {
                failures.append("\(comment): no gradient for input \(i)")
                continue
            }
            guard grad.shape == x.shape else {
                failures.append("\(comment): gradient shape \(grad.shape) for input \(i) of shape \(x.shape)")
                continue
            }
            let base = x.toArray()
            let analytic = grad.toArray()
            var worst = -1, worstError = 0.0, worstNumeric = 0.0
            for j in base.indices {
                func moved(_ delta: Double) -> [Tensor] {
                    var values = base
                    values[j] += delta
                    var ts = points
                    ts[i] = Tensor(shape: x.shape, scalars: values, dtype: .float64, device: x.device)
                    return ts
                }
                let numeric = withoutGrad { (loss(moved(epsilon)).item() - loss(moved(-epsilon)).item()) / (2 * epsilon) }
                let error = Swift.abs(analytic[j] - numeric) / Swift.max(1, Swift.abs(numeric))
                if !(error <= worstError) {
                    (worst, worstError, worstNumeric) = (j, error, numeric)
                }
            }
            if worst >= 0 && !(worstError <= tolerance) {
                failures.append("""
                    \(comment): gradient of input \(i) at element \(worst) (index \(OpRef.unravel(worst, x.shape)) of shape \
                    \(x.shape)): autograd \(analytic[worst]) vs finite difference \(worstNumeric), error \(worstError) > \(tolerance)
                    """)
            }
            if !(worstError <= maxError) { maxError = worstError }
        }
        return (maxError, failures)
    }

    /// The weights `c` of the loss `sum(f(x) * c)`: seeded, uniform in [-1, 1], shaped as `f(x)`.
    package static func lossWeights(_ f: ([Tensor]) -> Tensor, at x: [Tensor], seed: UInt64) -> Tensor {
        let probe = withoutGrad { f(x) }
        var rng = SplitMix64(seed: seed)
        return Tensor(shape: probe.shape, scalars: (0..<probe.count).map { _ in rng.uniform(-1, 1) }, dtype: .float64,
                      device: probe.device)
    }
}
