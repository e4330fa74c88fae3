import FoundationEssentials
import Testing
import TesseraTestSupport

@testable import Tessera

// MARK: - Gradients by central differences

/// Checks autograd's gradient of `f` at `x` against float64 central finite differences, element by
/// element, and returns the largest error: ``checkGradients(_:at:differentiable:epsilon:tolerance:seed:_:sourceLocation:)``
/// for one input.
///
/// ```swift
/// checkGradient({ $0.sorted(axis: 1) }, at: seededTensor([3, 4], seed: 0))
/// ```
@discardableResult
func checkGradient(
    _ f: (Tensor) -> Tensor, at x: Tensor, epsilon: Double = 1e-6, tolerance: Double = 1e-6, seed: UInt64 = 1,
    _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
    checkGradients({ f($0[0]) }, at: [x], epsilon: epsilon, tolerance: tolerance, seed: seed, comment,
                   sourceLocation: sourceLocation)
}

/// Checks autograd's gradients of `f` with respect to each differentiable input against float64 central
/// finite differences, element by element, and returns the largest error.
///
/// The loss is `sum(f(inputs) * c)` for a fixed random `c` (so every output element matters with a
/// different weight); differentiable inputs are converted to float64 (the others keep their dtype, e.g.
/// integer indices), and each element is moved by ±`epsilon`. The error of an element is
/// `|autograd − numeric| / max(1, |numeric|)`: relative for large gradients, absolute near zero; the
/// worst element of each input is reported. Costs two evaluations of `f` per element, so keep shapes
/// small (or use ``checkDirectionalGradient(_:at:epsilon:tolerance:seed:_:sourceLocation:)``).
@discardableResult
func checkGradients(
    _ f: ([Tensor]) -> Tensor, at inputs: [Tensor], differentiable: [Bool]? = nil, epsilon: Double = 1e-6,
    tolerance: Double = 1e-6, seed: UInt64 = 1, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
    let wanted = differentiable ?? inputs.map { _ in true }
    let points = zip(inputs, wanted).map { x, d in d ? x.astype(.float64).detach() : x.detach() }
    let c = lossWeights({ f($0) }, at: points, seed: seed)
    func loss(_ ts: [Tensor]) -> Tensor { (f(ts).astype(.float64) * c).sum() }
    let leaves = points.map { $0.detach() }
    for (leaf, d) in zip(leaves, wanted) where d { leaf.requiresGrad = true }
    loss(leaves).backward()
    var maxError = 0.0
    for i in inputs.indices where wanted[i] {
        let x = points[i]
        guard let grad = leaves[i].grad else {
            Issue.record("\(comment): no gradient for input \(i)", sourceLocation: sourceLocation)
            continue
        }
        #expect(grad.shape == x.shape, "\(comment): gradient shape \(grad.shape) for input \(i) of shape \(x.shape)",
                sourceLocation: sourceLocation)
        guard grad.shape == x.shape else { continue }
        let base = x.toArray()
        let analytic = grad.toArray()
        var worst = -1, worstError = 0.0, worstNumeric = 0.0
        for j in base.indices {
            func moved(_ delta: Double) -> [Tensor] {
                var values = base
                values[j] += delta
                var ts = points
                ts[i] = Tensor(shape: x.shape, scalars: values, dtype: .float64)
                return ts
            }
            let numeric = withoutGrad { (loss(moved(epsilon)).item() - loss(moved(-epsilon)).item()) / (2 * epsilon) }
            let error = Swift.abs(analytic[j] - numeric) / Swift.max(1, Swift.abs(numeric))
            if !(error <= worstError) {
                (worst, worstError, worstNumeric) = (j, error, numeric)
            }
        }
        if worst >= 0 {
            #expect(worstError <= tolerance,
                    """
                    \(comment): gradient of input \(i) at element \(worst) (index \(unravel(worst, x.shape)) of shape \(x.shape)): \
                    autograd \(analytic[worst]) vs finite difference \(worstNumeric), error \(worstError) > \(tolerance)
                    """, sourceLocation: sourceLocation)
        }
        if !(worstError <= maxError) { maxError = worstError }
    }
    return maxError
}

/// Checks autograd against central differences along one random direction `t` (JAX's `check_vjp`):
/// ⟨t, ∇L(x)⟩ against (L(x + εt) − L(x − εt)) / 2ε. Two evaluations of `f` for any shape.
@discardableResult
func checkDirectionalGradient(
    _ f: (Tensor) -> Tensor, at x: Tensor, epsilon: Double = 1e-6, tolerance: Double = 1e-6, seed: UInt64 = 1,
    _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
    let x64 = x.astype(.float64).detach()
    let base = x64.toArray()
    let c = lossWeights({ f($0[0]) }, at: [x64], seed: seed)
    func loss(_ t: Tensor) -> Tensor { (f(t).astype(.float64) * c).sum() }
    let (_, grad) = valueWithGradient(at: x64, of: loss)
    var rng = Mutator(seed: seed &+ 1)
    let t = base.map { _ in Double.random(in: -1...1, using: &rng) }
    let analytic = zip(t, grad.toArray()).reduce(0) { $0 + $1.0 * $1.1 }
    let numeric = withoutGrad {
        (loss(Tensor(shape: x.shape, scalars: zip(base, t).map { $0 + epsilon * $1 }, dtype: .float64)).item()
            - loss(Tensor(shape: x.shape, scalars: zip(base, t).map { $0 - epsilon * $1 }, dtype: .float64)).item())
            / (2 * epsilon)
    }
    let error = Swift.abs(analytic - numeric) / Swift.max(1, Swift.abs(numeric))
    #expect(error <= tolerance, "\(comment): directional derivative autograd \(analytic) vs finite difference \(numeric)",
            sourceLocation: sourceLocation)
    return error
}

/// The weights `c` of the loss `sum(f(x) * c)`: seeded, uniform in [-1, 1], shaped as `f(x)`.
private func lossWeights(_ f: ([Tensor]) -> Tensor, at x: [Tensor], seed: UInt64) -> Tensor {
    let probe = withoutGrad { f(x) }
    var rng = Mutator(seed: seed)
    return Tensor(shape: probe.shape, scalars: (0..<probe.count).map { _ in Double.random(in: -1...1, using: &rng) },
                  dtype: .float64)
}

/// A float64 tensor of `shape` with values uniform in `range`, the same on every run.
func seededTensor(_ shape: [Int], seed: UInt64, in range: ClosedRange<Double> = -2...2, dtype: DType = .float64) -> Tensor {
    var rng = Mutator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<Shape.count(shape)).map { _ in Double.random(in: range, using: &rng) },
                  dtype: dtype)
}

/// The coordinates of row-major element `flat` in `shape`.
func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}

// MARK: - Arrays from op fixtures

/// An array stored by `Fixtures/ops/fixture_util.py`: shape, NumPy dtype name, row-major data (NaN and
/// infinities spelled "nan", "inf", "-inf").
struct FixtureArray: Decodable, Sendable {
    let shape: [Int]
    let dtype: String
    let data: [Double]

    /// The matching Tessera dtype.
    var tesseraDType: DType {
        switch dtype {
        case "bool": .bool
        case "uint8": .uint8
        case "int32": .int32
        case "int64": .int64
        case "float16": .float16
        case "float32": .float32
        default: .float64
        }
    }

    /// The array as a tensor of its own dtype.
    var tensor: Tensor { Tensor(shape: shape, scalars: data, dtype: tesseraDType) }
}

/// Decodes the fixture JSON at `relative` (inside `Fixtures`), or nil when it is missing or malformed.
func loadFixture<T: Decodable>(_ type: T.Type, _ relative: String, file: StaticString = #filePath) -> T? {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let bytes = try? fixtureBytes(relative, file: file) else { return nil }
    return try? decoder.decode(type, from: Data(bytes))
}

/// Expects `got` to have `want`'s shape and dtype and the same values: exactly, or within
/// `absolute + relative·|want|`; NaN matches NaN.
func expectClose(
    _ got: Tensor, _ want: FixtureArray, absolute: Double = 0, relative: Double = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.shape == want.shape, "\(comment): shape \(got.shape), want \(want.shape)", sourceLocation: sourceLocation)
    #expect(got.dtype == want.tesseraDType, "\(comment): dtype \(got.dtype), want \(want.dtype)", sourceLocation: sourceLocation)
    guard got.shape == want.shape else { return }
    expectClose(got.toArray(), want.data, shape: want.shape, absolute: absolute, relative: relative, comment,
                sourceLocation: sourceLocation)
}

/// Expects two row-major arrays of `shape` to agree elementwise (see the tensor overload).
func expectClose(
    _ got: [Double], _ want: [Double], shape: [Int], absolute: Double = 0, relative: Double = 0, _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.count == want.count, "\(comment): \(got.count) elements, want \(want.count)", sourceLocation: sourceLocation)
    for (i, (g, w)) in zip(got, want).enumerated() {
        let ok = (g.isNaN && w.isNaN) || g == w || Swift.abs(g - w) <= absolute + relative * Swift.abs(w)
        if !ok {
            Issue.record("\(comment): element \(unravel(i, shape)) of shape \(shape) is \(g), want \(w)",
                         sourceLocation: sourceLocation)
            return
        }
    }
}
