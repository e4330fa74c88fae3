/// One step of a fused kernel, producing one value per element of its region.
enum Instruction {
    /// Reads kernel input `index`.
    case load(Int)
    /// The same number everywhere.
    case constant(Double)
    case unary(UnaryOp, Int)
    case binary(BinaryOp, Int, Int)
    /// `condition ? a : b`.
    case select(Int, Int, Int)
    /// The operand converted to this value's kind.
    case cast(Int)
    /// The result of the kernel's reduction (epilogue only).
    case reduced
}

extension Instruction {
    /// The values this step reads.
    var operands: [Int] {
        switch self {
        case .load, .constant, .reduced: []
        case .unary(_, let x), .cast(let x): [x]
        case .binary(_, let a, let b): [a, b]
        case .select(let c, let a, let b): [c, a, b]
        }
    }
}

/// A value inside a fused kernel: how it is computed, the kind it is computed in, and its dtype.
///
/// Types narrower than their compute kind (int32, uint8 and bool in Int64; float16 and bfloat16 in
/// Float) are rounded back through their storage type after each step, so a fused chain gives the
/// same numbers as one kernel per op would.
struct KernelValue {
    var instruction: Instruction
    var kind: ComputeKind
    var dtype: DType

    var needsNarrowing: Bool {
        guard dtype != .float32 && dtype != .float64 && dtype != .int64 else { return false }
        switch instruction {
        case .binary(let op, _, _): return !op.isPredicate
        case .unary(let op, _): return op.i64 != nil || dtype.isFloatingPoint
        case .cast, .constant: return true
        default: return false
        }
    }
}

/// A realized tensor read by a fused kernel, with its strides mapped onto the kernel's iteration order.
struct KernelInput {
    let storage: Storage
    let dtype: DType
    /// Strides in elements for each dimension of the region's iteration shape (0 where broadcast).
    let strides: [Int]
}

/// The values computed over one iteration space, in dependency order.
struct KernelRegion {
    /// The shape of the nodes computed here.
    let logicalShape: [Int]
    /// Iteration axis `i` is logical axis `permutation[i]`: a prologue lists reduced axes last.
    let permutation: [Int]
    var values: [KernelValue] = []
    var result = 0

    init(logicalShape: [Int], permutation: [Int]? = nil) {
        self.logicalShape = logicalShape
        self.permutation = permutation ?? Array(logicalShape.indices)
    }

    /// The shape iterated over, in memory order of the kernel's loops.
    var shape: [Int] { permutation.map { logicalShape[$0] } }
}

/// Elementwise ops, at most one reduction, and the elementwise ops after it, as one kernel.
///
/// The planner walks back from the node to compute and takes in every elementwise node of the same
/// shape that has not been computed; whatever else it meets (realized data, views, matmuls, tensors
/// broadcast from a smaller shape, a second reduction) is computed first and read as an input.
struct FusedKernel {
    var inputs: [KernelInput] = []
    /// The elementwise region, or the prologue of the reduction.
    var main: KernelRegion
    /// The reduction, with the number of outputs and of elements reduced into each.
    var reduction: (op: ReduceOp, outputs: Int, reduced: Int)?
    /// Whether the prologue iterates reduced axes first (a column reduction: element `r·outputs + o`)
    /// rather than kept axes first (element `o·reduced + r`).
    var reducedFirst: Bool
    /// The elementwise ops applied to the reduction's results.
    var epilogue: KernelRegion?
    let outputShape: [Int]
    let outputDType: DType

    /// Names of the fused ops, for `TESSERA_DEBUG` and the kernel trace.
    var opNames: [String] {
        func names(_ r: KernelRegion) -> [String] {
            r.values.compactMap { v in
                switch v.instruction {
                case .unary(let op, _): op.name
                case .binary(let op, _, _): op.name
                case .select: "where"
                case .cast: "cast(\(v.dtype))"
                default: nil
                }
            }
        }
        var all = names(main)
        if let reduction { all.append(reduction.op.rawValue) }
        if let epilogue { all += names(epilogue) }
        return all
    }
}

/// Builds a ``FusedKernel`` for a node.
struct FusionPlanner {
    /// More values than this in one region and further nodes are computed as separate kernels.
    static let maxValues = 48

    private var kernelInputs: [KernelInput] = []
    private var inputIndex: [ObjectIdentifier: Int] = [:]
    /// Every node whose identity is a key above, kept alive while planning: realizing an input lets
    /// go of its own inputs, and a freed node's address could be reused by a new one.
    private var visited: [Node] = []
    private var reduction: (op: ReduceOp, outputs: Int, reduced: Int)?
    private var reducedFirst = false
    /// Column reductions keep one accumulator per output and thread, so their output count is bounded.
    static let maxColumnOutputs = 1 << 16
    private var prologue: KernelRegion?

    static func plan(_ node: Node) -> FusedKernel {
        var planner = FusionPlanner()
        var region = KernelRegion(logicalShape: node.shape)
        var memo: [ObjectIdentifier: Int] = [:]
        region.result = planner.value(of: node, in: &region, memo: &memo, allowReduce: true)
        if let prologue = planner.prologue {
            return FusedKernel(inputs: planner.kernelInputs, main: prologue, reduction: planner.reduction,
                               reducedFirst: planner.reducedFirst, epilogue: region, outputShape: node.shape,
                               outputDType: node.dtype)
        }
        return FusedKernel(inputs: planner.kernelInputs, main: region, reduction: nil, reducedFirst: false,
                           epilogue: nil, outputShape: node.shape, outputDType: node.dtype)
    }

    /// The value id of `node` in `region`, adding instructions (and inputs) as needed.
    private mutating func value(of node: Node, in region: inout KernelRegion, memo: inout [ObjectIdentifier: Int],
                                allowReduce: Bool) -> Int {
        let key = ObjectIdentifier(node)
        if let id = memo[key] { return id }
        func add(_ instruction: Instruction) -> Int {
            region.values.append(KernelValue(instruction: instruction, kind: node.dtype.computeKind, dtype: node.dtype))
            return region.values.count - 1
        }
        let fusible = node.storage == nil && node.shape == region.logicalShape && region.values.count < Self.maxValues
        var id: Int
        switch node.op {
        case .full(let v) where node.storage == nil:
            id = add(.constant(v))
        case .unary(let op) where fusible:
            let x = value(of: node.inputs[0], in: &region, memo: &memo, allowReduce: allowReduce)
            id = add(.unary(op, x))
        case .binary(let op) where fusible:
            let inputs = node.inputs
            let a = value(of: inputs[0], in: &region, memo: &memo, allowReduce: allowReduce)
            let b = value(of: inputs[1], in: &region, memo: &memo, allowReduce: allowReduce)
            id = add(.binary(op, a, b))
            if op.isPredicate { region.values[id].kind = .i64 }
        case .select where fusible:
            let inputs = node.inputs
            let c = value(of: inputs[0], in: &region, memo: &memo, allowReduce: allowReduce)
            let a = value(of: inputs[1], in: &region, memo: &memo, allowReduce: allowReduce)
            let b = value(of: inputs[2], in: &region, memo: &memo, allowReduce: allowReduce)
            id = add(.select(c, a, b))
        case .cast where fusible:
            let x = value(of: node.inputs[0], in: &region, memo: &memo, allowReduce: allowReduce)
            id = add(.cast(x))
        case .reduce(let op, let axes) where fusible && allowReduce && reduction == nil:
            let input = node.inputs[0]
            let kept = (0..<input.shape.count).filter { !axes.contains($0) }
            let outputs = Shape.count(kept.map { input.shape[$0] })
            let reduced = Shape.count(axes.map { input.shape[$0] })
            // Reducing leading axes into a modest number of outputs (a column sum, a bias gradient):
            // iterate in memory order and accumulate per output, instead of gathering strided rows.
            reducedFirst = axes == Array(0..<axes.count) && !kept.isEmpty && !op.isArg && reduced > 1
                && outputs <= Self.maxColumnOutputs
            let order = reducedFirst ? axes + kept : kept + axes
            reduction = (op, outputs, reduced)
            var inner = KernelRegion(logicalShape: input.shape, permutation: order)
            var innerMemo: [ObjectIdentifier: Int] = [:]
            inner.result = value(of: input, in: &inner, memo: &innerMemo, allowReduce: false)
            prologue = inner
            id = add(.reduced)
            if op.isArg { region.values[id].kind = .i64 }
        default:
            id = add(.load(inputSlot(node, region: region)))
        }
        memo[key] = id
        visited.append(node)
        return id
    }

    /// Computes `node` if needed and registers it as an input, with strides over the region.
    private mutating func inputSlot(_ node: Node, region: KernelRegion) -> Int {
        let storage = node.realize()
        // Align the node's axes with the region's (NumPy broadcasting aligns on the right).
        let rank = region.logicalShape.count
        let lead = rank - node.shape.count
        let logicalStrides = (0..<rank).map { axis -> Int in
            guard axis >= lead else { return 0 }
            let d = axis - lead
            return node.shape[d] == 1 && region.logicalShape[axis] != 1 ? 0 : storage.layout.strides[d]
        }
        let strides = region.permutation.map { logicalStrides[$0] }
        let key = ObjectIdentifier(node)
        if let existing = inputIndex[key], kernelInputs[existing].strides == strides { return existing }
        kernelInputs.append(KernelInput(storage: storage, dtype: node.dtype, strides: strides))
        inputIndex[key] = kernelInputs.count - 1
        return kernelInputs.count - 1
    }
}
