import FoundationEssentials
import Testing
import TesseraSelfTest
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
/// finite differences, element by element (``GradientCheck/failures(_:at:differentiable:epsilon:tolerance:seed:_:)``),
/// recording what fails; returns the largest error.
@discardableResult
func checkGradients(
    _ f: ([Tensor]) -> Tensor, at inputs: [Tensor], differentiable: [Bool]? = nil, epsilon: Double = 1e-6,
    tolerance: Double = 1e-6, seed: UInt64 = 1, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) -> Double {
    let (maxError, failures) = GradientCheck.failures(f, at: inputs, differentiable: differentiable, epsilon: epsilon,
                                                      tolerance: tolerance, seed: seed, comment)
    for failure in failures { Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation) }
    return maxError
}

/// ``checkGradients(_:at:differentiable:epsilon:tolerance:seed:_:sourceLocation:)`` for inputs given as
/// `OpRef`s of the given dtypes, seeded by name.
func expectGradientsMatchFiniteDifferences(
    _ name: String, inputs values: [OpRef], dtypes: [DType], differentiable: [Bool],
    _ f: ([Tensor]) -> Tensor, seed: String, eps: Double = 1e-6, tol: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients(f, at: zip(values, dtypes).map { Tensor(shape: $0.shape, scalars: $0.data, dtype: $1) },
                   differentiable: differentiable, epsilon: eps, tolerance: tol, seed: SplitMix64.hash(seed), name,
                   sourceLocation: sourceLocation)
}

/// Compares `got` with `expected` elementwise (``opTableMismatches(_:_:dtype:factor:_:)``), recording the
/// first few mismatches with their context.
func expectOpRefClose(_ got: Tensor, _ expected: OpRef, dtype: DType, factor: Double = 1, _ context: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    for failure in opTableMismatches(got, expected, dtype: dtype, factor: factor, context) {
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
    }
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
    let c = GradientCheck.lossWeights({ f($0[0]) }, at: [x64], seed: seed)
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
