import Tessera

/// One row of the op table: how to call an op, its float64 reference, and the dtypes and shapes it
/// runs on. ``OpTable`` lists every row; the test suite and `tessera selftest` run them.
package struct OpCase: Sendable {
    package var name: String
    package var inputs: [OpInput]
    /// Input shape sets; forward runs on each, gradients too when `differentiable`.
    package var shapes: [[[Int]]]
    package var dtypes: [DType]
    package var outDType: @Sendable (DType) -> DType
    package var op: @Sendable ([Tensor]) -> Tensor
    package var ref: @Sendable ([OpRef]) -> OpRef
    package var differentiable = true
    /// Tolerance multiplier for composites whose intermediates round in narrow dtypes.
    package var factor: Double = 1
    /// The elementwise primitive the row checks (its reference is the primitive's own float64 math).
    package var primitive: String?

    package static let floats: [DType] = [.float32, .float64, .float16, .bfloat16]
    package static let ints: [DType] = [.int32, .int64, .uint8]
    package static let numeric: [DType] = floats + ints
    package static let every: [DType] = numeric + [.bool]

    package static let same: @Sendable (DType) -> DType = { $0 }
    package static let floatOf: @Sendable (DType) -> DType = { $0.isFloatingPoint ? $0 : .float32 }
    package static let toBool: @Sendable (DType) -> DType = { _ in .bool }
    package static let sumOf: @Sendable (DType) -> DType = { $0.isFloatingPoint ? $0 : .int64 }
    package static let toInt64: @Sendable (DType) -> DType = { _ in .int64 }

    /// A one-input elementwise row with a hand-written float64 reference.
    static func unary(_ name: String, _ domain: OpDomain, int: OpDomain? = nil, dtypes: [DType] = floats,
                      out: @escaping @Sendable (DType) -> DType = floatOf, grad: Bool = true, factor: Double = 1,
                      shapes: [[Int]] = [[2, 3], []],
                      _ op: @escaping @Sendable (Tensor) -> Tensor, _ ref: @escaping @Sendable (Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: domain, int: int)], shapes: shapes.map { [$0] }, dtypes: dtypes,
               outDType: out, op: { op($0[0]) }, ref: { $0[0].map(ref) }, differentiable: grad, factor: factor)
    }

    /// The row of a unary primitive, checked against the primitive's own float64 math (its `reference`).
    static func primitive(_ primitive: UnaryOp, _ domain: OpDomain, int: OpDomain? = nil, dtypes: [DType] = floats,
                          out: @escaping @Sendable (DType) -> DType = floatOf, grad: Bool = true,
                          _ op: @escaping @Sendable (Tensor) -> Tensor) -> OpCase {
        var row = unary(primitive.name, domain, int: int, dtypes: dtypes, out: out, grad: grad, op) { primitive.reference($0) }
        row.primitive = primitive.name
        return row
    }

    package static let binaryShapes: [[[Int]]] = [[[3, 4], [3, 4]], [[3, 1], [4]], [[], [2, 3]]]

    /// A two-input elementwise row (broadcast shapes) with a hand-written float64 reference.
    static func binary(_ name: String, _ a: OpDomain, _ b: OpDomain, aInt: OpDomain? = nil, bInt: OpDomain? = nil,
                       dtypes: [DType] = numeric, out: @escaping @Sendable (DType) -> DType = same, grad: Bool = true,
                       shapes: [[[Int]]] = binaryShapes,
                       _ op: @escaping @Sendable (Tensor, Tensor) -> Tensor,
                       _ ref: @escaping @Sendable (Double, Double) -> Double) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: a, int: aInt), OpInput(float: b, int: bInt)], shapes: shapes,
               dtypes: dtypes, outDType: out, op: { op($0[0], $0[1]) },
               ref: { OpRef.zip($0) { ref($0[0], $0[1]) } }, differentiable: grad)
    }

    /// The row of a binary primitive, checked against the primitive's own float64 math.
    static func primitive(_ primitive: BinaryOp, _ a: OpDomain, _ b: OpDomain, aInt: OpDomain? = nil,
                          bInt: OpDomain? = nil, dtypes: [DType] = numeric,
                          out: @escaping @Sendable (DType) -> DType = same, grad: Bool = true,
                          _ op: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> OpCase {
        var row = binary(primitive.name, a, b, aInt: aInt, bInt: bInt, dtypes: dtypes, out: out, grad: grad, op) {
            primitive.reference($0, $1)
        }
        row.primitive = primitive.name
        return row
    }

    package static let reduceShape: [[[Int]]] = [[[2, 3, 4]]]

    /// A one-input row whose reference works on the whole array (reductions, lanes, views).
    static func reduction(_ name: String, domain: OpDomain = .uniform(-2, 2), int: OpDomain? = nil,
                          dtypes: [DType] = [.float32, .float64], out: @escaping @Sendable (DType) -> DType = same,
                          grad: Bool = true, factor: Double = 1, shapes: [[[Int]]] = reduceShape,
                          _ op: @escaping @Sendable (Tensor) -> Tensor,
                          _ ref: @escaping @Sendable (OpRef) -> OpRef) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: domain, int: int)], shapes: shapes, dtypes: dtypes, outDType: out,
               op: { op($0[0]) }, ref: { ref($0[0]) }, differentiable: grad, factor: factor)
    }

    /// A view or copy of one input, in every dtype.
    static func movement(_ name: String, _ shape: [Int], _ op: @escaping @Sendable (Tensor) -> Tensor,
                         _ ref: @escaping @Sendable (OpRef) -> OpRef) -> OpCase {
        OpCase(name: name, inputs: [OpInput(float: .uniform(-3, 3), int: .ints(-100, 100))], shapes: [[shape]],
               dtypes: every, outDType: same, op: { op($0[0]) }, ref: { ref($0[0]) })
    }

    /// A conversion from each of `from` to `to`.
    static func astype(_ from: [DType], to: DType, _ domain: OpDomain, int: OpDomain? = nil,
                       _ ref: @escaping @Sendable (Double) -> Double = { $0 }) -> OpCase {
        OpCase(name: "astype(.\(to))", inputs: [OpInput(float: domain, int: int)], shapes: [[[2, 5]]], dtypes: from,
               outDType: { _ in to }, op: { $0[0].astype(to) }, ref: { $0[0].map(ref) }, differentiable: false)
    }
}
