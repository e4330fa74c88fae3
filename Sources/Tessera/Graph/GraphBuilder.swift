/// Graph construction: every public op ends in one of these, which check shapes and dtypes eagerly,
/// insert the casts that promotion needs, and keep graphs shallow.
extension Tensor {
    /// Graphs deeper than this are computed up to here before growing further.
    static let maxPendingDepth = 96

    static func make(_ op: Op, _ inputs: [Tensor], shape: [Int], dtype: DType, device: Device? = nil) -> Tensor {
        for input in inputs where input.node.storage == nil && input.node.depth > maxPendingDepth {
            input.eval()
        }
        if let first = inputs.first, let other = inputs.first(where: { $0.device != first.device }) {
            fatalError("[\(op.name)] tensors on different devices: \(first.device) and \(other.device); move one with .to(_:)")
        }
        let device = device ?? inputs.first?.device ?? .cpu
        return Tensor(node: Node(op: op, inputs: inputs.map(\.node), shape: shape, dtype: dtype, device: device))
    }

    /// A tensor of `shape` whose every element is `value`; it costs nothing until read on its own.
    static func constant(_ value: Double, shape: [Int], dtype: DType, device: Device) -> Tensor {
        Tensor(node: Node(op: .full(value), inputs: [], shape: shape, dtype: dtype, device: device))
    }

    /// The tensor converted to `dtype` (itself when it already has it).
    ///
    /// Floats become integers by truncation toward zero, as NumPy's `astype` does.
    public func astype(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        if case .full(let v) = node.op { return Tensor.constant(Tensor.converted(v, to: dtype), shape: shape, dtype: dtype, device: device) }
        return Tensor.make(.cast, [self], shape: shape, dtype: dtype)
    }

    static func converted(_ v: Double, to dtype: DType) -> Double {
        dtype.withStorageDouble(v)
    }

    /// Applies a unary primitive; integer inputs are promoted to float unless the op has integer math.
    func unary(_ op: UnaryOp) -> Tensor {
        let x = dtype.isFloatingPoint || op.hasIntegerMath ? self : astype(.defaultFloat)
        return Tensor.make(.unary(op), [x], shape: shape, dtype: x.dtype)
    }

    /// Applies a float-to-bool test.
    func predicate(_ op: UnaryOp) -> Tensor {
        let x = dtype.isFloatingPoint ? self : astype(.defaultFloat)
        return Tensor.make(.unary(op), [x], shape: shape, dtype: .bool)
    }

    /// Applies a binary primitive with broadcasting and type promotion.
    ///
    /// `floatOnly` ops (true division) compute integers in the default float type.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, floatOnly: Bool = false) -> Tensor {
        let shape = Shape.broadcast([a.shape, b.shape], op: op.name)
        var common = promoteWithScalars(a, b)
        if floatOnly || (!op.hasIntegerMath && !common.isFloatingPoint) { common = common.floatingCounterpart }
        let dtype = op.isPredicate ? DType.bool : common
        return make(.binary(op), [a.astype(common), b.astype(common)], shape: shape, dtype: dtype)
    }

    /// `where(condition, a, b)`: elements of `a` where `condition` is true, else of `b`, broadcast.
    ///
    /// ```swift
    /// let relu = Tensor.where(x .> 0, x, 0)
    /// ```
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast([condition.shape, a.shape, b.shape], op: "where")
        let dtype = promoteWithScalars(a, b)
        return make(.select, [condition.astype(.bool), a.astype(dtype), b.astype(dtype)], shape: shape, dtype: dtype)
    }

    /// `where` with a scalar for the false branch.
    public static func `where`<S: TensorScalar>(_ condition: Tensor, _ a: Tensor, _ b: S) -> Tensor {
        Tensor.where(condition, a, a.scalarLike(b))
    }

    /// `where` with a scalar for the true branch.
    public static func `where`<S: TensorScalar>(_ condition: Tensor, _ a: S, _ b: Tensor) -> Tensor {
        Tensor.where(condition, b.scalarLike(a), b)
    }

    /// Promotion where a constant (a Swift scalar) does not widen a tensor of its own category,
    /// as in NumPy 2 and PyTorch: `int32 tensor + 1` stays int32, `float16 tensor * 2.0` stays float16.
    static func promoteWithScalars(_ a: Tensor, _ b: Tensor) -> DType {
        let aScalar = a.isScalarConstant, bScalar = b.isScalarConstant
        if aScalar != bScalar {
            let (t, s) = aScalar ? (b, a) : (a, b)
            let category = { (d: DType) in d.isFloatingPoint ? 2 : (d == .bool ? 0 : 1) }
            if category(s.dtype) <= category(t.dtype) { return t.dtype }
            return s.dtype.isFloatingPoint ? DType.defaultFloat : .int64
        }
        return DType.promote(a.dtype, b.dtype)
    }

    /// Whether this is a 0-d constant made from a Swift scalar.
    var isScalarConstant: Bool {
        if case .full = node.op, rank == 0 { return true }
        return false
    }

    /// A 0-d constant from a Swift scalar, with the dtype the scalar's kind suggests next to `self`.
    func scalarLike<S: TensorScalar>(_ value: S) -> Tensor {
        let dtype: DType = S.defaultDType.isFloatingPoint ? (self.dtype.isFloatingPoint ? self.dtype : .defaultFloat)
            : (S.defaultDType == .bool ? .bool : .int64)
        return Tensor.constant(value.doubleValue, shape: [], dtype: dtype, device: device)
    }

    /// Applies a view (no copy); constants stay constants.
    func view(_ view: ViewOp) -> Tensor {
        let newShape = view.outputShape(shape)
        if case .full(let v) = node.op { return Tensor.constant(v, shape: newShape, dtype: dtype, device: device) }
        return Tensor.make(.view(view), [self], shape: newShape, dtype: dtype)
    }

    /// A non-elementwise kernel producing a tensor of `shape` and `dtype` (on `device` when it has no inputs).
    static func custom(_ op: some KernelOp, _ inputs: [Tensor], shape: [Int], dtype: DType, device: Device? = nil) -> Tensor {
        make(.custom(op), inputs, shape: shape, dtype: dtype, device: device)
    }
}

extension DType {
    /// `v` rounded to a value this dtype can hold (so constants compare as stored values do).
    func withStorageDouble(_ v: Double) -> Double {
        func roundTrip<S: StorageElement>(_: S.Type) -> Double { S(double: v).double }
        return roundTrip(storageType)
    }
}
