import FoundationEssentials
@testable import Tessera

// The conformance suite's cases (Fixtures/conformance/conformance.json, written by make_conformance.py with
// NumPy and PyTorch) and how each op name maps to Tessera's public API.

/// A keyword argument of a case: a number, a flag, a name or a list of them.
enum ConformanceValue: Decodable, Sendable {
    case number(Double)
    case flag(Bool)
    case text(String)
    case list([ConformanceValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .flag(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let t = try? c.decode(String.self) {
            self = .text(t)
        } else {
            self = .list(try c.decode([ConformanceValue].self))
        }
    }

    var int: Int? { if case .number(let d) = self { Int(d) } else { nil } }
    var double: Double? { if case .number(let d) = self { d } else { nil } }
    var ints: [Int]? { if case .list(let l) = self { l.compactMap(\.int) } else { nil } }
    var doubles: [Double]? { if case .list(let l) = self { l.compactMap(\.double) } else { nil } }
    /// A subscript: an integer is an index, `[start, end, step]` a slice.
    var subscriptEntries: [TensorIndex]? {
        guard case .list(let l) = self else { return nil }
        return l.map { entry in
            if let i = entry.int { return .index(i) }
            let s = entry.ints!
            return .slice(start: s[0], end: s[1], step: s[2])
        }
    }
    var pairs: [(Int, Int)]? {
        if case .list(let l) = self { l.compactMap { $0.ints.map { ($0[0], $0[1]) } } } else { nil }
    }
}

/// An input array with the layout the case builds it in.
struct ConformanceInput: Decodable, Sendable {
    let shape: [Int]
    let dtype: String
    let data: [Double]
    /// `contiguous`; `transposed` (stored with its axes reversed, read through `.T`); `reversed` (stored
    /// with axis 0 reversed, read through `flip(axis: 0)`); `broadcast` (rows all equal to the first, stored
    /// once and read through `broadcast(to:)`, a stride-0 view).
    let layout: String

    var array: FixtureArray { FixtureArray(shape: shape, dtype: dtype, data: data) }

    /// The tensor the case reads, built in its layout.
    var tensor: Tensor {
        let dtype = array.tesseraDType
        switch layout {
        case "transposed":
            let stored = OpRefs.permute(data, shape, Array((0..<shape.count).reversed()))
            return Tensor(shape: shape.reversed(), scalars: stored, dtype: dtype).T
        case "reversed":
            let stored = OpRefs.reverseFirstAxis(data, shape)
            return Tensor(shape: shape, scalars: stored, dtype: dtype).flip(axis: 0)
        case "broadcast":
            let row = Array(data.prefix(data.count / shape[0]))
            return Tensor(shape: [1] + shape.dropFirst(), scalars: row, dtype: dtype).broadcast(to: shape)
        default:
            return Tensor(shape: shape, scalars: data, dtype: dtype)
        }
    }
}

struct ConformanceCase: Decodable, Sendable {
    let id: String
    let op: String
    let kwargs: [String: ConformanceValue]
    let source: String
    let inputs: [ConformanceInput]
    let expected: FixtureArray
    let cotangent: FixtureArray?
    let grads: [FixtureArray?]?

    /// Runs the op on `inputs` through the public API.
    func apply(_ x: [Tensor]) -> Tensor {
        let axis = kwargs["axis"]?.int, axes = kwargs["axis"]?.ints, keep = kwargs["keepdims"].map { if case .flag(true) = $0 { true } else { false } } ?? false
        /// A reduction by one axis, several, or all.
        func reduced(_ one: (Int?, Bool) -> Tensor, _ many: ([Int], Bool) -> Tensor) -> Tensor {
            axes.map { many($0, keep) } ?? one(axis, keep)
        }
        let a = x[0]
        switch op {
        case "neg": return -a
        case "abs": return a.abs()
        case "sign": return a.sign()
        case "sqrt": return a.sqrt()
        case "rsqrt": return a.rsqrt()
        case "exp": return a.exp()
        case "expm1": return a.expm1()
        case "log": return a.log()
        case "log1p": return a.log1p()
        case "sin": return a.sin()
        case "cos": return a.cos()
        case "tanh": return a.tanh()
        case "sigmoid": return a.sigmoid()
        case "erf": return a.erf()
        case "floor": return a.floor()
        case "ceil": return a.ceil()
        case "round": return a.round()
        case "square": return a.square()
        case "reciprocal": return a.reciprocal()
        case "relu": return a.relu()
        case "gelu": return a.gelu()
        case "softplus": return a.softplus()
        case "isnan": return a.isnan()
        case "isinf": return a.isinf()
        case "isfinite": return a.isfinite()
        case "logicalNot": return a.logicalNot()
        case "add": return a + x[1]
        case "sub": return a - x[1]
        case "mul": return a * x[1]
        case "div": return a / x[1]
        case "pow": return a.pow(x[1])
        case "maximum": return Tensor.maximum(a, x[1])
        case "minimum": return Tensor.minimum(a, x[1])
        case "floorDivide": return Tensor.floorDivide(a, x[1])
        case "remainder": return a % x[1]
        case "eq": return a .== x[1]
        case "ne": return a .!= x[1]
        case "lt": return a .< x[1]
        case "le": return a .<= x[1]
        case "gt": return a .> x[1]
        case "ge": return a .>= x[1]
        case "logicalAnd": return a .&& x[1]
        case "logicalOr": return a .|| x[1]
        case "logicalXor": return a.logicalXor(x[1])
        case "where": return Tensor.where(a, x[1], x[2])
        case "clamp":
            let low = kwargs["min"]!.double!, high = kwargs["max"]!.double!
            return a.dtype.isInteger ? a.clamp(min: Int(low), max: Int(high)) : a.clamp(min: low, max: high)
        case "sum": return reduced({ a.sum(axis: $0, keepDims: $1) }, { a.sum(axes: $0, keepDims: $1) })
        case "prod": return reduced({ a.prod(axis: $0, keepDims: $1) }, { a.prod(axes: $0, keepDims: $1) })
        case "max": return reduced({ a.max(axis: $0, keepDims: $1) }, { a.max(axes: $0, keepDims: $1) })
        case "min": return reduced({ a.min(axis: $0, keepDims: $1) }, { a.min(axes: $0, keepDims: $1) })
        case "mean": return reduced({ a.mean(axis: $0, keepDims: $1) }, { a.mean(axes: $0, keepDims: $1) })
        case "variance": return reduced({ a.variance(axis: $0, keepDims: $1) }, { a.variance(axes: $0, keepDims: $1) })
        case "std": return reduced({ a.std(axis: $0, keepDims: $1) }, { a.std(axes: $0, keepDims: $1) })
        case "norm": return reduced({ a.norm(axis: $0, keepDims: $1) }, { a.norm(axes: $0, keepDims: $1) })
        case "logSumExp": return reduced({ a.logSumExp(axis: $0, keepDims: $1) }, { a.logSumExp(axes: $0, keepDims: $1) })
        case "median": return a.median(axis: axis, keepDims: keep)
        case "argmax": return a.argmax(axis: axis, keepDims: keep)
        case "argmin": return a.argmin(axis: axis, keepDims: keep)
        case "softmax": return a.softmax(axis: axis!)
        case "logSoftmax": return a.logSoftmax(axis: axis!)
        case "cumsum": return a.cumsum(axis: axis)
        case "cumprod": return a.cumprod(axis: axis)
        case "argsort": return a.argsort(axis: axis!)
        case "sorted": return a.sorted(axis: axis!)
        case "topk": return a.topk(kwargs["k"]!.int!, axis: axis!).values
        case "quantile": return a.quantile(kwargs["q"]!.double!, axis: axis)
        case "gather": return a.gather(axis: axis!, indices: x[1])
        case "indexSelect": return a.indexSelect(axis: axis!, indices: x[1])
        case "maskedSelect": return a.maskedSelect(x[1])
        case "concat": return Tensor.concat(x, axis: axis!)
        case "stack": return Tensor.stack(x, axis: axis!)
        case "pad": return a.pad(kwargs["widths"]!.pairs!, value: kwargs["value"]!.double!)
        case "T": return a.T
        case "mT": return a.mT
        case "flip": return kwargs["axes"]?.ints.map { a.flip(axes: $0) } ?? a.flip(axis: axis)
        case "matmul": return a.matmul(x[1])
        case "reshape": return a.reshape(kwargs["shape"]!.ints!)
        case "flatten": return a.flatten()
        case "permute": return a.permute(kwargs["order"]!.ints!)
        case "squeeze": return a.squeeze(axis: axis)
        case "unsqueeze": return a.unsqueeze(axis: axis!)
        case "broadcast": return a.broadcast(to: kwargs["shape"]!.ints!)
        case "subscript": return a[kwargs["indices"]!.subscriptEntries!]
        case "split": return a.split(sizes: kwargs["sizes"]!.ints!)[kwargs["part"]!.int!]
        case "dot": return a.dot(x[1])
        case "outer": return a.outer(x[1])
        case "percentile": return a.percentile(kwargs["q"]!.doubles!, axis: axis)
        case "segmentSum": return a.segmentSum(x[1], count: kwargs["count"]!.int!)
        case "nearestRow": return a.nearestRow(in: x[1])
        case "astype":
            guard case .text(let name) = kwargs["dtype"]! else { fatalError("conformance: astype needs a dtype name") }
            return a.astype(DType(rawValue: name)!)
        default: fatalError("conformance: no mapping for op \(op)")
        }
    }
}

/// Shuffling row-major data for the non-contiguous layouts.
enum OpRefs {
    /// `data` of `shape` with its axes reordered as `order` (output axis i is input axis order[i]).
    static func permute(_ data: [Double], _ shape: [Int], _ order: [Int]) -> [Double] {
        let newShape = order.map { shape[$0] }
        let strides = Shape.contiguousStrides(shape)
        return (0..<data.count).map { flat in
            var rest = flat, offset = 0
            for axis in stride(from: newShape.count - 1, through: 0, by: -1) {
                offset += rest % newShape[axis] * strides[order[axis]]
                rest /= newShape[axis]
            }
            return data[offset]
        }
    }

    /// `data` of `shape` with axis 0 reversed.
    static func reverseFirstAxis(_ data: [Double], _ shape: [Int]) -> [Double] {
        let row = data.count / Swift.max(shape[0], 1)
        return (0..<shape[0]).reversed().flatMap { data[($0 * row)..<(($0 + 1) * row)] }
    }
}
