#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Tessera

// The op table: one row per op. Each row runs forward for every dtype it lists against a float64
// reference written here with plain Swift `Double` math on the same (dtype-rounded) inputs, and, for
// differentiable ops, compares autograd with float64 central differences (ε = 1e-6) of
// L = sum(f(x) ⊙ c) for a fixed random c, element by element (the shapes are tiny).

// MARK: - Independent float64 reference arrays

/// A row-major float64 array with the handful of NumPy operations the references need.
struct OpRef: Sendable {
    var shape: [Int]
    var data: [Double]

    init(shape: [Int], data: [Double]) {
        precondition(shape.reduce(1, *) == data.count, "OpRef: shape \(shape) vs \(data.count) values")
        self.shape = shape
        self.data = data
    }

    var count: Int { data.count }
    var rank: Int { shape.count }

    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var running = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = running
            running *= shape[i]
        }
        return s
    }

    /// The multi-index of flat position `flat` in `shape`.
    static func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
        var idx = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] > 0 {
            idx[i] = rest % shape[i]
            rest /= shape[i]
        }
        return idx
    }

    func at(_ idx: [Int]) -> Double {
        let st = OpRef.strides(shape)
        var flat = 0
        for i in 0..<idx.count { flat += idx[i] * st[i] }
        return data[flat]
    }

    func map(_ f: (Double) -> Double) -> OpRef { OpRef(shape: shape, data: data.map(f)) }

    static func broadcastShape(_ shapes: [[Int]]) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            for (i, d) in s.enumerated() {
                let j = rank - s.count + i
                if d != 1 {
                    precondition(out[j] == 1 || out[j] == d, "OpRef: shapes \(shapes) do not broadcast")
                    out[j] = d
                }
            }
        }
        return out
    }

    /// The element of `self` that broadcasting puts at `idx` of a larger shape.
    func broadcastAt(_ idx: [Int]) -> Double {
        let lead = idx.count - rank
        return at((0..<rank).map { shape[$0] == 1 ? 0 : idx[lead + $0] })
    }

    /// f applied elementwise to the broadcast of `xs`.
    static func zip(_ xs: [OpRef], _ f: ([Double]) -> Double) -> OpRef {
        let shape = broadcastShape(xs.map(\.shape))
        let n = shape.reduce(1, *)
        return OpRef(shape: shape, data: (0..<n).map { flat in
            let idx = unravel(flat, shape)
            return f(xs.map { $0.broadcastAt(idx) })
        })
    }

    func broadcast(to newShape: [Int]) -> OpRef {
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { broadcastAt(OpRef.unravel($0, newShape)) })
    }

    /// For each position of the kept axes, `f` of the values along `axes` (row-major among them).
    func reduce(axes: [Int]?, keepDims: Bool, _ f: ([Double]) -> Double) -> OpRef {
        let axes = Set((axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 })
        let kept = (0..<rank).filter { !axes.contains($0) }
        let reduced = (0..<rank).filter { axes.contains($0) }
        let keptShape = kept.map { shape[$0] }
        let reducedShape = reduced.map { shape[$0] }
        let nk = keptShape.reduce(1, *), nr = reducedShape.reduce(1, *)
        var out: [Double] = []
        for k in 0..<nk {
            let ki = OpRef.unravel(k, keptShape)
            var values: [Double] = []
            for r in 0..<nr {
                let ri = OpRef.unravel(r, reducedShape)
                var idx = [Int](repeating: 0, count: rank)
                for (j, a) in kept.enumerated() { idx[a] = ki[j] }
                for (j, a) in reduced.enumerated() { idx[a] = ri[j] }
                values.append(at(idx))
            }
            out.append(f(values))
        }
        let outShape = (0..<rank).compactMap { axes.contains($0) ? (keepDims ? 1 : nil) : shape[$0] }
        return OpRef(shape: outShape, data: out)
    }

    /// `f` applied to every 1-d lane along `axis`, writing the lane back.
    func alongAxis(_ axis: Int, _ f: ([Double]) -> [Double]) -> OpRef {
        let axis = axis < 0 ? axis + rank : axis
        var out = data
        let st = OpRef.strides(shape)
        for flat in 0..<count {
            let idx = OpRef.unravel(flat, shape)
            guard idx[axis] == 0 else { continue }
            let positions = (0..<shape[axis]).map { flat + $0 * st[axis] }
            let result = f(positions.map { data[$0] })
            for (p, v) in Swift.zip(positions, result) { out[p] = v }
        }
        return OpRef(shape: shape, data: out)
    }

    func reshaped(_ newShape: [Int]) -> OpRef { OpRef(shape: newShape, data: data) }

    func permuted(_ order: [Int]) -> OpRef {
        let newShape = order.map { shape[$0] }
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { flat in
            let o = OpRef.unravel(flat, newShape)
            var idx = [Int](repeating: 0, count: rank)
            for (i, a) in order.enumerated() { idx[a] = o[i] }
            return at(idx)
        })
    }

    /// The elements at the cartesian product of `indices` (one list per axis).
    func selecting(_ indices: [[Int]]) -> OpRef {
        let newShape = indices.map(\.count)
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { flat in
            let o = OpRef.unravel(flat, newShape)
            return at((0..<rank).map { indices[$0][o[$0]] })
        })
    }

    /// The positions Python's `range(*slice(start, stop, step).indices(n))` visits (CPython's rules).
    static func pyRange(_ start: Int?, _ stop: Int?, _ step: Int, _ n: Int) -> [Int] {
        let lower = step < 0 ? -1 : 0
        let upper = step < 0 ? n - 1 : n
        func fix(_ v: Int?, _ dflt: Int) -> Int {
            guard var v else { return dflt }
            if v < 0 {
                v += n
                if v < lower { v = lower }
            } else if v > upper {
                v = upper
            }
            return v
        }
        let s = fix(start, step < 0 ? upper : lower)
        let e = fix(stop, step < 0 ? lower : upper)
        return Array(Swift.stride(from: s, to: e, by: step))
    }
}

// MARK: - Seeded inputs

/// A 64-bit linear congruential generator (Knuth's MMIX constants): the same inputs on every run.
struct OpTableRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    init(_ name: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, stable across runs (unlike Hasher)
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        self.init(seed: h)
    }
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * next() }
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + Int(next() * Double(hi - lo + 1)) }
}

/// Where an input's values come from.
enum OpDomain: Sendable {
    case uniform(Double, Double)
    /// Uniform in [lo, hi] with |x| ≥ gap (away from a kink or pole at 0).
    case avoiding(Double, Double, gap: Double)
    /// Values drawn from a list (specials, ties, halves).
    case values([Double])
    /// Integers in [lo, hi].
    case ints(Int, Int)

    func draw(_ rng: inout OpTableRNG) -> Double {
        switch self {
        case .uniform(let lo, let hi): return rng.uniform(lo, hi)
        case .avoiding(let lo, let hi, let gap):
            while true {
                let v = rng.uniform(lo, hi)
                if Swift.abs(v) >= gap { return v }
            }
        case .values(let vs): return vs[rng.int(0, vs.count - 1)]
        case .ints(let lo, let hi): return Double(rng.int(lo, hi))
        }
    }
}

/// One input of a row: its value domain for floats and for integers (nil: the dtype's default), or a
/// dtype of its own (the condition of `where`).
struct OpInput: Sendable {
    var float: OpDomain
    var int: OpDomain? = nil
    var fixedDType: DType? = nil

    func draw(_ rng: inout OpTableRNG, _ dtype: DType) -> Double {
        switch dtype {
        case .bool:
            if case .values = float { return float.draw(&rng) != 0 ? 1 : 0 }
            return Double(rng.int(0, 1))
        case .uint8:
            let v = Int((int ?? .ints(0, 255)).draw(&rng))
            return Double(((v % 256) + 256) % 256)
        case .int32, .int64:
            return (int ?? .ints(-50_000, 50_000)).draw(&rng)
        default:
            return float.draw(&rng)
        }
    }
}

/// Makes a tensor of `dtype` from drawn values and returns it with the values it actually stores.
func opTableTensor(_ values: [Double], shape: [Int], dtype: DType) -> (Tensor, OpRef) {
    let t = Tensor(shape: shape, scalars: values, dtype: dtype)
    return (t, OpRef(shape: shape, data: t.toArray()))
}

// MARK: - The table

/// One op: how to call it, its float64 reference, the dtypes and shapes it runs on.
struct OpCase: CustomTestStringConvertible, Sendable {
    var name: String
    var inputs: [OpInput]
    /// Input shape sets; forward runs on each, gradients too when `differentiable`.
    var shapes: [[[Int]]]
    var dtypes: [DType]
    var outDType: @Sendable (DType) -> DType
    var op: @Sendable ([Tensor]) -> Tensor
    var ref: @Sendable ([OpRef]) -> OpRef
    var differentiable = true
    /// Tolerance multiplier for composites whose intermediates round in narrow dtypes.
    var factor: Double = 1

    var testDescription: String { name }

    static let floats: [DType] = [.float32, .float64, .float16, .bfloat16]
    static let ints: [DType] = [.int32, .int64, .uint8]
    static let numeric: [DType] = floats + ints
    static let every: [DType] = numeric + [.bool]

    static let same: @Sendable (DType) -> DType = { $0 }
    static let floatOf: @Sendable (DType) -> DType = { $0.isFloatingPoint ? $0 : .float32 }
    static let toBool: @Sendable (DType) -> DType = { _ in .bool }
    static let sumOf: @Sendable (DType) -> DType = { $0.isFloatingPoint ? $0 : .int64 }
    static let toInt64: @Sendable (DType) -> DType = { _ in .int64 }

    static func unary(_ name: String, _ domain: OpDomain, int: OpDomain? = nil, dtypes: [DType] = floats,
                      out: @escaping @Sendable (DType) -> DType = floatOf, grad: Bool = true, factor: Double = 1,
                      shapes: [[Int]] = [[2, 3], []],
                      _ op: @escaping @Sendable (Tensor) -> Tensor, _ ref: @escaping @Sendable (Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: domain, int: int)], shapes: shapes.map { [$0] }, dtypes: dtypes,
               outDType: out, op: { op($0[0]) }, ref: { $0[0].map(ref) }, differentiable: grad, factor: factor)
    }

    static let binaryShapes: [[[Int]]] = [[[3, 4], [3, 4]], [[3, 1], [4]], [[], [2, 3]]]

    static func binary(_ name: String, _ a: OpDomain, _ b: OpDomain, aInt: OpDomain? = nil, bInt: OpDomain? = nil,
                       dtypes: [DType] = numeric, out: @escaping @Sendable (DType) -> DType = same, grad: Bool = true,
                       shapes: [[[Int]]] = binaryShapes,
                       _ op: @escaping @Sendable (Tensor, Tensor) -> Tensor,
                       _ ref: @escaping @Sendable (Double, Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: a, int: aInt), OpInput(float: b, int: bInt)], shapes: shapes,
               dtypes: dtypes, outDType: out, op: { op($0[0], $0[1]) },
               ref: { OpRef.zip($0) { ref($0[0], $0[1]) } }, differentiable: grad)
    }

    static let reduceShape: [[[Int]]] = [[[2, 3, 4]]]

    static func reduction(_ name: String, domain: OpDomain = .uniform(-2, 2), int: OpDomain? = nil,
                          dtypes: [DType] = [.float32, .float64], out: @escaping @Sendable (DType) -> DType = same,
                          grad: Bool = true, factor: Double = 1, shapes: [[[Int]]] = reduceShape,
                          _ op: @escaping @Sendable (Tensor) -> Tensor,
                          _ ref: @escaping @Sendable (OpRef) -> OpRef) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: domain, int: int)], shapes: shapes, dtypes: dtypes, outDType: out,
               op: { op($0[0]) }, ref: { ref($0[0]) }, differentiable: grad, factor: factor)
    }

    static func movement(_ name: String, _ shape: [Int], _ op: @escaping @Sendable (Tensor) -> Tensor,
                         _ ref: @escaping @Sendable (OpRef) -> OpRef) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: .uniform(-3, 3), int: .ints(-100, 100))], shapes: [[shape]],
               dtypes: every, outDType: same, op: { op($0[0]) }, ref: { ref($0[0]) })
    }

    static func astype(_ from: [DType], to: DType, _ domain: OpDomain, int: OpDomain? = nil,
                       _ ref: @escaping @Sendable (Double) -> Double = { $0 }) -> OpCase {
        OpCase(name: "astype(.\(to))", inputs: [OpInput(float: domain, int: int)], shapes: [[[2, 5]]], dtypes: from,
               outDType: { _ in to }, op: { $0[0].astype(to) }, ref: { $0[0].map(ref) }, differentiable: false)
    }
}

// Plain float64 math for the references.
private func refSigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
private func refGelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
private func refSoftplus(_ x: Double) -> Double { Swift.max(x, 0) + log1p(exp(-Swift.abs(x))) }
private func refMean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
private func refVariance(_ v: [Double], _ correction: Int) -> Double {
    let m = refMean(v)
    return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - correction)
}
private func refLogSumExp(_ v: [Double]) -> Double {
    let m = v.max()!
    return m + log(v.map { exp($0 - m) }.reduce(0, +))
}
private func refSoftmax(_ v: [Double]) -> [Double] {
    let m = v.max()!
    let e = v.map { exp($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}
private func refArgmax(_ v: [Double]) -> Double { Double(v.indices.first { v[$0] == v.max()! }!) }
private func refArgmin(_ v: [Double]) -> Double { Double(v.indices.first { v[$0] == v.min()! }!) }
private func refMaxNaN(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
private func refMinNaN(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
private func truthy(_ x: Double) -> Bool { x != 0 }
private func b2d(_ b: Bool) -> Double { b ? 1 : 0 }

extension OpCase {
    static let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1.5, -2.25, 3]
    static let smallInts: OpDomain = .values([-2, -1, 0, 1, 2])

    static let unaryCases: [OpCase] = [
        unary("neg", .uniform(-3, 3), dtypes: numeric, out: same, { -$0 }, { -$0 }),
        unary("abs", .avoiding(-3, 3, gap: 0.1), dtypes: numeric, out: same, { $0.abs() }, { Swift.abs($0) }),
        unary("sign", .avoiding(-3, 3, gap: 0.1), int: .ints(-3, 3), dtypes: numeric, out: same, { $0.sign() },
              { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }),
        unary("sign(specials)", .values([0, -0.0, 2, -3, .nan]), dtypes: [.float32, .float64], out: same, grad: false,
              { $0.sign() }, { $0.isNaN ? .nan : ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }),
        unary("sqrt", .uniform(0.2, 3), int: .ints(0, 1000), dtypes: floats + [.int32, .uint8], { $0.sqrt() },
              { $0.squareRoot() }),
        unary("rsqrt", .uniform(0.2, 3), int: .ints(1, 1000), dtypes: floats + [.int32], { $0.rsqrt() },
              { 1 / $0.squareRoot() }),
        unary("exp", .uniform(-2, 2), int: .ints(-5, 5), dtypes: floats + [.int32, .int64], { $0.exp() },
              { exp($0) }),
        unary("expm1", .uniform(-2, 2), int: .ints(-5, 5), dtypes: floats + [.int32], { $0.expm1() },
              { expm1($0) }),
        unary("expm1(tiny)", .uniform(-1e-6, 1e-6), dtypes: [.float32, .float64], grad: false, { $0.expm1() },
              { expm1($0) }),
        unary("log", .uniform(0.2, 3), int: .ints(1, 1000), dtypes: floats + [.int32], { $0.log() },
              { log($0) }),
        unary("log1p", .uniform(-0.5, 2), int: .ints(0, 100), dtypes: floats + [.uint8], { $0.log1p() },
              { log1p($0) }),
        unary("sin", .uniform(-3, 3), int: .ints(-10, 10), dtypes: floats + [.int32], { $0.sin() },
              { sin($0) }),
        unary("cos", .uniform(-3, 3), dtypes: floats, { $0.cos() }, { cos($0) }),
        unary("tanh", .uniform(-3, 3), dtypes: floats, { $0.tanh() }, { tanh($0) }),
        unary("erf", .uniform(-2.5, 2.5), dtypes: floats, { $0.erf() }, { erf($0) }),
        unary("sigmoid", .uniform(-4, 4), int: .ints(-5, 5), dtypes: floats + [.int32], { $0.sigmoid() },
              refSigmoid),
        unary("floor", .uniform(-3, 3), dtypes: numeric, out: same, { $0.floor() }, { $0.rounded(.down) }),
        unary("ceil", .uniform(-3, 3), dtypes: numeric, out: same, { $0.ceil() }, { $0.rounded(.up) }),
        unary("round(halves)", .values([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6, 3.49]), dtypes: numeric,
              out: same, grad: false, { $0.round() }, { $0.rounded(.toNearestOrEven) }),
        unary("round", .uniform(-3, 3), dtypes: [.float32, .float64], out: same, { $0.round() },
              { $0.rounded(.toNearestOrEven) }),
        unary("square", .uniform(-3, 3), int: .ints(-1000, 1000), dtypes: numeric, out: same, { $0.square() },
              { $0 * $0 }),
        unary("reciprocal", .avoiding(-3, 3, gap: 0.3), int: .ints(1, 50), dtypes: floats + [.int32],
              { $0.reciprocal() }, { 1 / $0 }),
        unary("relu", .avoiding(-3, 3, gap: 0.05), dtypes: numeric, out: same, { $0.relu() }, { Swift.max($0, 0) }),
        unary("gelu", .uniform(-3, 3), dtypes: floats, factor: 4, { $0.gelu() }, refGelu),
        unary("softplus", .uniform(-4, 4), dtypes: floats, factor: 4, { $0.softplus() }, refSoftplus),
        unary("softplus(large)", .values([-80, -30, 30, 80]), dtypes: [.float32, .float64], grad: false,
              { $0.softplus() }, refSoftplus),
        unary("isnan", .values(specials), dtypes: [.float32, .float64, .float16, .bfloat16, .int32], out: toBool,
              grad: false, { $0.isnan() }, { b2d($0.isNaN) }),
        unary("isinf", .values(specials), dtypes: [.float32, .float64, .float16, .bfloat16, .int32], out: toBool,
              grad: false, { $0.isinf() }, { b2d($0.isInfinite) }),
        unary("isfinite", .values(specials), dtypes: [.float32, .float64, .float16, .bfloat16, .int32, .uint8],
              out: toBool, grad: false, { $0.isfinite() }, { b2d($0.isFinite) }),
        unary("logicalNot", .values([-1, 0, 0, 2.5]), int: .values([-1, 0, 0, 7]), dtypes: every, out: toBool,
              grad: false, { $0.logicalNot() }, { b2d(!truthy($0)) }),
    ]

    static let binaryCases: [OpCase] = [
        binary("add", .uniform(-3, 3), .uniform(-3, 3), dtypes: numeric, { $0 + $1 }, { $0 + $1 }),
        binary("sub", .uniform(-3, 3), .uniform(-3, 3), { $0 - $1 }, { $0 - $1 }),
        binary("mul", .uniform(-3, 3), .uniform(-3, 3), { $0 * $1 }, { $0 * $1 }),
        binary("div", .uniform(-3, 3), .avoiding(-3, 3, gap: 0.3), bInt: .ints(1, 50), out: floatOf,
               { $0 / $1 }, { $0 / $1 }),
        binary("pow", .uniform(0.3, 2.5), .uniform(-2, 2), aInt: .ints(-20, 20), bInt: .ints(0, 3),
               { $0.pow($1) }, { pow($0, $1) }),
        binary("maximum", .uniform(-3, 3), .uniform(-3, 3), { Tensor.maximum($0, $1) }, { Swift.max($0, $1) }),
        binary("minimum", .uniform(-3, 3), .uniform(-3, 3), { Tensor.minimum($0, $1) }, { Swift.min($0, $1) }),
        binary("maximum(nan)", .values([.nan, 1, -1]), .values([.nan, 0, 2]), dtypes: [.float32, .float64],
               grad: false, { Tensor.maximum($0, $1) }, refMaxNaN),
        binary("minimum(nan)", .values([.nan, 1, -1]), .values([.nan, 0, 2]), dtypes: [.float32, .float64],
               grad: false, { Tensor.minimum($0, $1) }, refMinNaN),
        binary(".==", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .== $1 }, { b2d($0 == $1) }),
        binary(".!=", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .!= $1 }, { b2d($0 != $1) }),
        binary(".<", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .< $1 }, { b2d($0 < $1) }),
        binary(".<=", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .<= $1 }, { b2d($0 <= $1) }),
        binary(".>", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .> $1 }, { b2d($0 > $1) }),
        binary(".>=", smallInts, smallInts, aInt: smallInts, bInt: smallInts, dtypes: every, out: toBool,
               grad: false, { $0 .>= $1 }, { b2d($0 >= $1) }),
        binary(".== nan", .values([.nan, 1]), .values([.nan, 1]), dtypes: [.float32, .float64], out: toBool,
               grad: false, { $0 .== $1 }, { b2d($0 == $1) }),
        binary(".&&", .values([-1, 0, 2.5]), .values([0, 3, -0.5]), aInt: .values([-1, 0, 4]),
               bInt: .values([0, 3, 1]), dtypes: every, out: toBool, grad: false, { $0 .&& $1 },
               { b2d(truthy($0) && truthy($1)) }),
        binary(".||", .values([-1, 0, 2.5]), .values([0, 0, -0.5]), aInt: .values([-1, 0, 4]),
               bInt: .values([0, 0, 1]), dtypes: every, out: toBool, grad: false, { $0 .|| $1 },
               { b2d(truthy($0) || truthy($1)) }),
        binary("logicalXor", .values([-1, 0, 2.5]), .values([0, 3, -0.5]), aInt: .values([-1, 0, 4]),
               bInt: .values([0, 3, 1]), dtypes: every, out: toBool, grad: false, { $0.logicalXor($1) },
               { b2d(truthy($0) != truthy($1)) }),
    ]

    static let scalarCases: [OpCase] = [
        unary("x + 2", .uniform(-3, 3), dtypes: numeric, out: same, { $0 + 2 }, { $0 + 2 }),
        unary("2 - x", .uniform(-3, 3), dtypes: numeric, out: same, { 2 - $0 }, { 2 - $0 }),
        unary("x * 0.5", .uniform(-3, 3), int: .ints(-100, 100), dtypes: numeric, out: floatOf, { $0 * 0.5 },
              { $0 * 0.5 }),
        unary("3 / x", .avoiding(-3, 3, gap: 0.3), int: .ints(1, 100), dtypes: floats + [.int32], { 3 / $0 },
              { 3 / $0 }),
        unary("x ** 2", .uniform(-3, 3), int: .ints(-1000, 1000), dtypes: numeric, out: same, { $0 ** 2 },
              { $0 * $0 }),
        unary("x ** 3 (negative base)", .uniform(-2, 2), int: .ints(-30, 30), dtypes: numeric, out: same,
              { $0 ** 3 }, { $0 * $0 * $0 }),
        unary("x ** 0.5", .uniform(0.2, 3), dtypes: floats, { $0 ** 0.5 }, { $0.squareRoot() }),
        unary("maximum(x, 0.5)", .uniform(-3, 3), dtypes: floats, { Tensor.maximum($0, 0.5) },
              { Swift.max($0, 0.5) }),
        unary("minimum(x, 1)", .uniform(-3, 3), dtypes: numeric, out: same, { Tensor.minimum($0, 1) },
              { Swift.min($0, 1) }),
        unary("x .> 0.5", .uniform(-3, 3), dtypes: floats, out: toBool, grad: false, { $0 .> 0.5 },
              { b2d($0 > 0.5) }),
        unary("clamp(-0.5...0.7)", .uniform(-2, 2), int: .ints(-3, 3), dtypes: floats + [.int32],
              { $0.clamp(min: -0.5, max: 0.7) }, { Swift.min(Swift.max($0, -0.5), 0.7) }),
        unary("clamp(min: 0)", .uniform(-2, 2), dtypes: floats, { $0.clamp(min: 0) }, { Swift.max($0, 0) }),
        unary("clamp(max: 1)", .uniform(-2, 2), dtypes: floats, { $0.clamp(max: 1) }, { Swift.min($0, 1) }),
    ]

    static let whereCases: [OpCase] = [
        OpCase(name: "where", inputs: [OpInput(float: .values([0, 1]), fixedDType: .bool),
                                      OpInput(float: .uniform(-3, 3)), OpInput(float: .uniform(-3, 3))],
               shapes: [[[3, 4], [3, 4], [3, 4]], [[3, 1], [4], []], [[4], [3, 1], [3, 4]]],
               dtypes: numeric, outDType: same, op: { Tensor.where($0[0], $0[1], $0[2]) },
               ref: { OpRef.zip($0) { $0[0] != 0 ? $0[1] : $0[2] } }),
        OpCase(name: "where(float condition)", inputs: [OpInput(float: .values([0, 2.5, -1])),
                                                        OpInput(float: .uniform(-3, 3)),
                                                        OpInput(float: .uniform(-3, 3))],
               shapes: [[[2, 3], [2, 3], [2, 3]]], dtypes: [.float32, .float64], outDType: same,
               op: { Tensor.where($0[0], $0[1], $0[2]) },
               ref: { OpRef.zip($0) { $0[0] != 0 ? $0[1] : $0[2] } }, differentiable: false),
    ]

    static let astypeCases: [OpCase] = [
        astype([.float32, .float64, .float16, .bfloat16], to: .int32, .uniform(-100, 100), { $0.rounded(.towardZero) }),
        astype([.int64, .uint8, .bool], to: .int32, .uniform(0, 1), int: .ints(-50_000, 50_000)),
        astype([.float32, .float64], to: .uint8, .uniform(0, 250), { $0.rounded(.towardZero) }),
        astype([.int32, .int64], to: .uint8, .uniform(0, 1), int: .ints(-1000, 1000),
               { Double(UInt8(truncatingIfNeeded: Int64($0))) }),  // wraps like NumPy
        astype([.float32, .float64, .int32, .uint8, .bool], to: .int64, .uniform(-1e6, 1e6), { $0.rounded(.towardZero) }),
        astype([.float32, .float64, .bfloat16], to: .float16, .uniform(-100, 100), int: .ints(-1000, 1000)),
        astype([.float32, .float16, .int32], to: .bfloat16, .uniform(-100, 100), int: .ints(-100, 100)),
        astype([.float64, .float16, .bfloat16, .int64, .uint8, .bool], to: .float32, .uniform(-100, 100)),
        astype(every, to: .float64, .uniform(-100, 100)),
        astype([.float32, .float64, .int32, .uint8], to: .bool, .values([0, -0.0, 0.25, -3]), int: .values([0, 0, 1, 9]),
               { b2d($0 != 0) }),
    ]

    static let reductionCases: [OpCase] = [
        reduction("sum(axes: [0, 2], keepDims)", int: .ints(-1000, 1000), dtypes: every, out: sumOf,
                  { $0.sum(axes: [0, 2], keepDims: true) }, { $0.reduce(axes: [0, 2], keepDims: true) { $0.reduce(0, +) } }),
        reduction("sum()", dtypes: floats + [.int32], out: sumOf, { $0.sum() },
                  { $0.reduce(axes: nil, keepDims: false) { $0.reduce(0, +) } }),
        reduction("sum(axis: -1)", dtypes: [.float32, .float64, .uint8], out: sumOf, { $0.sum(axis: -1) },
                  { $0.reduce(axes: [2], keepDims: false) { $0.reduce(0, +) } }),
        reduction("mean(axis: 1, keepDims)", dtypes: floats + [.int32], out: floatOf,
                  { $0.mean(axis: 1, keepDims: true) }, { $0.reduce(axes: [1], keepDims: true, refMean) }),
        reduction("mean()", { $0.mean() }, { $0.reduce(axes: nil, keepDims: false, refMean) }),
        reduction("prod(axis: 1)", domain: .uniform(0.5, 1.5), int: .ints(-3, 3), dtypes: [.float32, .float64, .int32],
                  out: sumOf, { $0.prod(axis: 1) }, { $0.reduce(axes: [1], keepDims: false) { $0.reduce(1, *) } }),
        reduction("max(axes: [0, 2])", dtypes: numeric, { $0.max(axes: [0, 2]) },
                  { $0.reduce(axes: [0, 2], keepDims: false) { $0.max()! } }),
        reduction("max()", dtypes: [.float32, .float64, .int64], { $0.max() },
                  { $0.reduce(axes: nil, keepDims: false) { $0.max()! } }),
        reduction("min(axis: 1, keepDims)", dtypes: numeric, { $0.min(axis: 1, keepDims: true) },
                  { $0.reduce(axes: [1], keepDims: true) { $0.min()! } }),
        reduction("max(axis: 1) with nan", domain: .values([.nan, 1, 2, -1, 0.5, 3]), grad: false, { $0.max(axis: 1) },
                  { $0.reduce(axes: [1], keepDims: false) { $0.contains { $0.isNaN } ? .nan : $0.max()! } }),
        reduction("argmax(axis: 1)", dtypes: numeric, out: toInt64, grad: false, { $0.argmax(axis: 1) },
                  { $0.reduce(axes: [1], keepDims: false, refArgmax) }),
        reduction("argmax() ties", domain: .values([1, 3, 3, 0]), int: .values([1, 3, 3, 0]), dtypes: [.float32, .int32],
                  out: toInt64, grad: false, { $0.argmax() }, { $0.reduce(axes: nil, keepDims: false, refArgmax) }),
        reduction("argmin(axis: 0, keepDims)", dtypes: floats + [.int32], out: toInt64, grad: false,
                  { $0.argmin(axis: 0, keepDims: true) }, { $0.reduce(axes: [0], keepDims: true, refArgmin) }),
        reduction("variance(axes: [0, 2])", int: .ints(-100, 100), dtypes: [.float32, .float64, .int32], out: floatOf,
                  { $0.variance(axes: [0, 2]) }, { $0.reduce(axes: [0, 2], keepDims: false) { refVariance($0, 1) } }),
        reduction("variance(correction: 0, keepDims)", dtypes: [.float32, .float64, .float16], factor: 4,
                  { $0.variance(correction: 0, keepDims: true) },
                  { $0.reduce(axes: nil, keepDims: true) { refVariance($0, 0) } }),
        reduction("std(axes: [1])", { $0.std(axes: [1]) },
                  { $0.reduce(axes: [1], keepDims: false) { refVariance($0, 1).squareRoot() } }),
        reduction("norm(axes: [1, 2])", { $0.norm(axes: [1, 2]) },
                  { $0.reduce(axes: [1, 2], keepDims: false) { $0.map { $0 * $0 }.reduce(0, +).squareRoot() } }),
        reduction("norm(1, axes: [0], keepDims)", domain: .avoiding(-2, 2, gap: 0.05), { $0.norm(1, axes: [0], keepDims: true) },
                  { $0.reduce(axes: [0], keepDims: true) { $0.map { Swift.abs($0) }.reduce(0, +) } }),
        reduction("norm(.infinity)", domain: .avoiding(-2, 2, gap: 0.05), { $0.norm(.infinity) },
                  { $0.reduce(axes: nil, keepDims: false) { $0.map { Swift.abs($0) }.max()! } }),
        reduction("norm(3, axes: [2])", domain: .avoiding(-2, 2, gap: 0.05), { $0.norm(3, axes: [2]) },
                  { $0.reduce(axes: [2], keepDims: false) { cbrt($0.map { Swift.abs($0 * $0 * $0) }.reduce(0, +)) } }),
        reduction("logSumExp(axis: 1)", dtypes: [.float32, .float64, .float16], factor: 4, { $0.logSumExp(axis: 1) },
                  { $0.reduce(axes: [1], keepDims: false, refLogSumExp) }),
        reduction("logSumExp(axis: -1, keepDims) large", domain: .uniform(500, 800), { $0.logSumExp(axis: -1, keepDims: true) },
                  { $0.reduce(axes: [2], keepDims: true, refLogSumExp) }),
        reduction("softmax(axis: -1)", dtypes: [.float32, .float64, .float16], factor: 4, { $0.softmax() },
                  { $0.alongAxis(-1, refSoftmax) }),
        reduction("softmax(axis: 0)", { $0.softmax(axis: 0) }, { $0.alongAxis(0, refSoftmax) }),
        reduction("logSoftmax(axis: 1)", { $0.logSoftmax(axis: 1) },
                  { $0.alongAxis(1) { v in let l = refLogSumExp(v); return v.map { $0 - l } } }),
    ]

    static let movementCases: [OpCase] = [
        movement("reshape([-1, 4])", [2, 3, 4], { $0.reshape([-1, 4]) }, { $0.reshaped([6, 4]) }),
        movement("reshape([4, -1, 3])", [2, 3, 4], { $0.reshape([4, -1, 3]) }, { $0.reshaped([4, 2, 3]) }),
        movement("flatten", [2, 3, 4], { $0.flatten() }, { $0.reshaped([24]) }),
        movement("squeeze(axis: 1)", [2, 1, 3], { $0.squeeze(axis: 1) }, { $0.reshaped([2, 3]) }),
        movement("squeeze()", [1, 3, 1, 2], { $0.squeeze() }, { $0.reshaped([3, 2]) }),
        movement("unsqueeze(axis: -1)", [2, 3], { $0.unsqueeze(axis: -1) }, { $0.reshaped([2, 3, 1]) }),
        movement("unsqueeze(axis: 0)", [2, 3], { $0.unsqueeze(axis: 0) }, { $0.reshaped([1, 2, 3]) }),
        movement("permute([2, 0, 1])", [2, 3, 4], { $0.permute([2, 0, 1]) }, { $0.permuted([2, 0, 1]) }),
        movement("transposed()", [2, 3, 4], { $0.transposed() }, { $0.permuted([0, 2, 1]) }),
        movement("transposed(0, 2)", [2, 3, 4], { $0.transposed(0, 2) }, { $0.permuted([2, 1, 0]) }),
        movement(".T", [3, 4], { $0.T }, { $0.permuted([1, 0]) }),
        movement("broadcast(to: [2, 3, 4])", [3, 1], { $0.broadcast(to: [2, 3, 4]) }, { $0.broadcast(to: [2, 3, 4]) }),
        movement("x[1..., ::2]", [4, 5, 3], { $0[1..., .stride(from: nil, to: nil, by: 2)] },
                 { $0.selecting([[1, 2, 3], [0, 2, 4], [0, 1, 2]]) }),
        movement("x[::-1]", [4, 3], { $0[.stride(from: nil, to: nil, by: -1)] },
                 { $0.selecting([OpRef.pyRange(nil, nil, -1, 4), [0, 1, 2]]) }),
        movement("x[3:0:-2, 1]", [5, 3], { $0[.stride(from: 3, to: 0, by: -2), 1] },
                 { $0.selecting([OpRef.pyRange(3, 0, -2, 5), [1]]).reshaped([2]) }),
        movement("x[-2::-3, -1:-4:-1]", [7, 5], { $0[.stride(from: -2, to: nil, by: -3), .stride(from: -1, to: -4, by: -1)] },
                 { $0.selecting([OpRef.pyRange(-2, nil, -3, 7), OpRef.pyRange(-1, -4, -1, 5)]) }),
        movement("x[..., 1]", [2, 3, 4], { $0[.ellipsis, 1] }, { $0.selecting([[0, 1], [0, 1, 2], [1]]).reshaped([2, 3]) }),
        movement("x[0, ..., ::-2]", [2, 3, 4], { $0[0, .ellipsis, .stride(from: nil, to: nil, by: -2)] },
                 { $0.selecting([[0], [0, 1, 2], [3, 1]]).reshaped([3, 2]) }),
        movement("x[newAxis, ..., newAxis]", [2, 3], { $0[.newAxis, .ellipsis, .newAxis] }, { $0.reshaped([1, 2, 3, 1]) }),
        movement("x[1, newAxis, 1..<3]", [3, 4], { $0[1, .newAxis, 1..<3] }, { $0.selecting([[1], [1, 2]]).reshaped([1, 2]) }),
        movement("x[-1]", [3, 4], { $0[-1] }, { $0.selecting([[2], [0, 1, 2, 3]]).reshaped([4]) }),
        movement("x[..<2, 1...2]", [3, 4], { $0[..<2, 1...2] }, { $0.selecting([[0, 1], [1, 2]]) }),
        movement("x[10:] (empty)", [3, 4], { $0[10...] }, { $0.selecting([[], [0, 1, 2, 3]]) }),
        movement("view of view: x[::-1][1:, :3]", [4, 5], { $0[.stride(from: nil, to: nil, by: -1)][1..., ..<3] },
                 { $0.selecting([[2, 1, 0], [0, 1, 2]]) }),
        movement("x.T[::2].contiguous()", [3, 4], { $0.T[.stride(from: nil, to: nil, by: 2)].contiguous() },
                 { $0.permuted([1, 0]).selecting([[0, 2], [0, 1, 2]]) }),
        movement("x.T.reshape([-1])", [3, 4], { $0.T.reshape([-1]) }, { $0.permuted([1, 0]).reshaped([12]) }),
    ]

    static let all: [OpCase] = unaryCases + binaryCases + scalarCases + whereCases + astypeCases + reductionCases
        + movementCases
    static let differentiable: [OpCase] = all.filter(\.differentiable)
}

// MARK: - Checking

/// |got − expected| ≤ tol · (1 + |expected|), NaN matching NaN and ±∞ matching exactly.
func opTableTolerance(_ dtype: DType) -> Double {
    switch dtype {
    case .float64: 1e-12
    case .float32: 2e-6
    case .float16: 1e-3
    case .bfloat16: 8e-3
    default: 0
    }
}

func opTableClose(_ got: Double, _ expected: Double, tol: Double) -> Bool {
    if expected.isNaN { return got.isNaN }
    if expected.isInfinite { return got == expected }
    return Swift.abs(got - expected) <= tol * (1 + Swift.abs(expected))
}

/// The reference value as the output dtype stores it: integers wrap, bools are 0/1, floats stay exact.
func opTableStored(_ v: Double, _ dtype: DType) -> Double {
    switch dtype {
    case .bool: return v != 0 ? 1 : 0
    case .uint8: return Double(UInt8(truncatingIfNeeded: Int64(v.rounded(.towardZero))))
    case .int32: return Double(Int32(truncatingIfNeeded: Int64(v.rounded(.towardZero))))
    case .int64: return v.rounded(.towardZero)
    default: return v
    }
}

/// Compares `got` with `expected` elementwise, recording the first few mismatches with their context.
func expectOpRefClose(_ got: Tensor, _ expected: OpRef, dtype: DType, factor: Double = 1, _ context: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.shape == expected.shape, "\(context): shape", sourceLocation: sourceLocation)
    guard got.shape == expected.shape else { return }
    #expect(got.dtype == dtype, "\(context): dtype", sourceLocation: sourceLocation)
    let values = got.toArray()
    let tol = opTableTolerance(dtype) * factor
    var failures = 0
    for i in 0..<values.count {
        let e = opTableStored(expected.data[i], dtype)
        if !opTableClose(values[i], e, tol: tol) {
            failures += 1
            if failures <= 3 {
                Issue.record("\(context): at \(OpRef.unravel(i, got.shape)) expected \(e), got \(values[i]) (tol \(tol))",
                             sourceLocation: sourceLocation)
            }
        }
    }
    if failures > 3 { Issue.record("\(context): \(failures) mismatches in all", sourceLocation: sourceLocation) }
}

/// ``checkGradients(_:at:differentiable:epsilon:tolerance:seed:_:sourceLocation:)`` for inputs given as
/// `OpRef`s of the given dtypes, seeded by name.
func expectGradientsMatchFiniteDifferences(
    _ name: String, inputs values: [OpRef], dtypes: [DType], differentiable: [Bool],
    _ f: ([Tensor]) -> Tensor, seed: String, eps: Double = 1e-6, tol: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients(f, at: zip(values, dtypes).map { Tensor(shape: $0.shape, scalars: $0.data, dtype: $1) },
                   differentiable: differentiable, epsilon: eps, tolerance: tol, seed: OpTableRNG(seed).state, name,
                   sourceLocation: sourceLocation)
}

@Suite("Op table: forward vs float64 reference, gradients vs finite differences")
struct OpTableTests {
    @Test("forward", arguments: OpCase.all)
    func forward(_ c: OpCase) {
        forwardBody(c)
    }

    private func forwardBody(_ c: OpCase) {
        for dtype in c.dtypes {
            for (s, shapes) in c.shapes.enumerated() {
                var rng = OpTableRNG("\(c.name)/\(dtype)/\(s)")
                var tensors: [Tensor] = []
                var refs: [OpRef] = []
                for (input, shape) in zip(c.inputs, shapes) {
                    let d = input.fixedDType ?? dtype
                    let values = (0..<shape.reduce(1, *)).map { _ in input.draw(&rng, d) }
                    let (t, r) = opTableTensor(values, shape: shape, dtype: d)
                    tensors.append(t)
                    refs.append(r)
                }
                let out = c.op(tensors)
                expectOpRefClose(out, c.ref(refs), dtype: c.outDType(dtype), factor: c.factor,
                                 "\(c.name) \(dtype) shapes \(shapes)")
            }
        }
    }

    @Test("gradient", arguments: OpCase.differentiable)
    func gradient(_ c: OpCase) {
        gradientBody(c)
    }

    private func gradientBody(_ c: OpCase) {
        for (s, shapes) in c.shapes.enumerated() {
            var rng = OpTableRNG("\(c.name)/grad/\(s)")
            var refs: [OpRef] = []
            var dtypes: [DType] = []
            for (input, shape) in zip(c.inputs, shapes) {
                let d = input.fixedDType ?? .float64
                refs.append(OpRef(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in input.draw(&rng, d) }))
                dtypes.append(d)
            }
            expectGradientsMatchFiniteDifferences("\(c.name) shapes \(shapes)", inputs: refs, dtypes: dtypes,
                                                  differentiable: dtypes.map { $0 == .float64 }, c.op,
                                                  seed: "\(c.name)/\(s)")
        }
    }

    /// Integer arithmetic wraps like NumPy's fixed-width integers.
    @Test func integerArithmeticWraps() {
        let u = Tensor([200, 255, 3] as [Int], dtype: .uint8)
        #expect((u + Tensor([100, 1, 5] as [Int], dtype: .uint8)).toArray() == [44, 0, 8])
        #expect((-u).toArray() == [56, 1, 253])
        let i = Tensor([Int(Int32.max), 65_536] as [Int], dtype: .int32)
        #expect((i + Tensor([1, 0] as [Int], dtype: .int32)).toArray() == [Double(Int32.min), 65_536])
        #expect((i * Tensor([1, 65_536] as [Int], dtype: .int32)).toArray() == [Double(Int32.max), 0])
        let l = Tensor([Int64.max], dtype: .int64)
        #expect((l + Tensor([Int64(1)], dtype: .int64)).scalars(as: Int64.self) == [Int64.min])
    }

    /// A cast's gradient flows back in the source dtype: through float32, c rounded to float32.
    @Test func astypeGradient() {
        let values: [Double] = [0.1, -1.7, 2.3]
        let c: [Double] = [0.123456789, -0.987654321, 1.0 / 3.0]
        let x = Tensor(shape: [3], scalars: values, dtype: .float64)
        x.requiresGrad = true
        (x.astype(.float32) * Tensor(shape: [3], scalars: c, dtype: .float64)).sum().backward()
        #expect(x.grad?.dtype == .float64)
        #expect(x.grad?.toArray() == c.map { Double(Float($0)) })
    }
}
