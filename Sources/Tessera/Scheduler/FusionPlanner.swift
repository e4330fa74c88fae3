/// Builds the fused kernel that computes one node: elementwise ops, at most one reduction or matrix
/// product, and the elementwise ops after it.
///
/// The planner walks back from the node and takes in every elementwise node of the same shape that has
/// not been computed; whatever else it meets (realized data, views, tensors broadcast from a smaller
/// shape, a second reduction, non-elementwise ops) is placed by the scheduler — computed by earlier
/// kernels — and read as an input. A matrix product of the output's shape that needs no gradient becomes
/// the kernel's body, the elementwise ops after it its epilogue (bias, scale, activation).
struct FusionPlanner {
    /// More values than this in one region and further nodes are computed as separate kernels.
    static let maxValues = 48

    /// The region an input is read in: its layout is over that region's shape.
    private enum RegionTag: Hashable { case top, prologue }

    private struct InputKey: Hashable {
        let node: ObjectIdentifier
        let region: RegionTag
        let layout: Layout
    }

    private var inputs: [KernelInput] = []
    private var buffers: [BufferRef] = []
    private var inputIndex: [InputKey: Int] = [:]
    private var reduction: KernelReduction?
    private var prologue: KernelRegion?
    private var product: Node?
    /// The node the kernel computes.
    private let root: ObjectIdentifier

    private init(root: Node) { self.root = ObjectIdentifier(root) }

    /// The kernel that computes `node`, with the buffers bound to its input slots.
    static func plan(_ node: Node, in scheduler: inout Scheduler) throws(TesseraError) -> (Kernel, [BufferRef]) {
        var planner = FusionPlanner(root: node)
        var region = KernelRegion(shape: node.shape)
        var memo: [ObjectIdentifier: Int] = [:]
        region.result = try planner.value(of: node, in: &region, tag: .top, memo: &memo, scheduler: &scheduler)
        if let prologue = planner.prologue {
            let kernel = FusedKernel(inputs: planner.inputs, main: prologue, reduction: planner.reduction,
                                     epilogue: region, outputShape: node.shape, outputDType: node.dtype)
            return (.fused(kernel), planner.buffers)
        }
        if let product = planner.product {
            return try planner.matmulKernel(product, epilogue: region, output: node, scheduler: &scheduler)
        }
        let kernel = FusedKernel(inputs: planner.inputs, main: region, reduction: nil, epilogue: nil,
                                 outputShape: node.shape, outputDType: node.dtype)
        return (.fused(kernel), planner.buffers)
    }

    /// The value id of `node` in `region`, adding instructions (and inputs) as needed.
    private mutating func value(of node: Node, in region: inout KernelRegion, tag: RegionTag,
                                memo: inout [ObjectIdentifier: Int], scheduler: inout Scheduler) throws(TesseraError) -> Int {
        let key = ObjectIdentifier(node)
        if let id = memo[key] { return id }
        func add(_ instruction: Instruction) -> Int {
            region.values.append(KernelValue(instruction: instruction, dtype: node.dtype))
            return region.values.count - 1
        }
        func operand(_ input: Node) throws(TesseraError) -> Int {
            try value(of: input, in: &region, tag: tag, memo: &memo, scheduler: &scheduler)
        }
        let fusible = node.storage == nil && node.shape == region.shape && region.values.count < Self.maxValues
        let top = tag == .top && reduction == nil && product == nil
        var id: Int
        switch node.op {
        case .full(let v) where node.storage == nil:
            id = add(.constant(v))
        case .detach where fusible:
            id = try operand(node.inputs[0])
        case .unary(let op) where fusible:
            id = add(.unary(op, try operand(node.inputs[0])))
        case .binary(let op) where fusible:
            let inputs = node.inputs
            let a = try operand(inputs[0]), b = try operand(inputs[1])
            id = add(.binary(op, a, b))
        case .select where fusible:
            let inputs = node.inputs
            let c = try operand(inputs[0]), a = try operand(inputs[1]), b = try operand(inputs[2])
            id = add(.select(c, a, b))
        case .cast where fusible:
            id = add(.cast(try operand(node.inputs[0])))
        case .reduce(let op, let axes) where fusible && top:
            let input = node.inputs[0]
            reduction = KernelReduction(op: op, axes: axes)
            var inner = KernelRegion(shape: input.shape)
            var innerMemo: [ObjectIdentifier: Int] = [:]
            inner.result = try value(of: input, in: &inner, tag: .prologue, memo: &innerMemo, scheduler: &scheduler)
            prologue = inner
            id = add(.produced)
        case .matmul where fusible && top && (!node.requiresGrad || key == root):
            // A product that gradients need stays materialized (its backward reads it again) unless it is
            // what this kernel computes.
            product = node
            id = add(.produced)
        default:
            id = add(.load(try inputSlot(node, region: region, tag: tag, scheduler: &scheduler)))
        }
        memo[key] = id
        return id
    }

    /// Places `node` and registers it as an input, with strides over the region (0 where broadcast).
    private mutating func inputSlot(_ node: Node, region: KernelRegion, tag: RegionTag,
                                    scheduler: inout Scheduler) throws(TesseraError) -> Int {
        let placement = try scheduler.place(node)
        // Align the node's axes with the region's (NumPy broadcasting aligns on the right).
        let rank = region.shape.count
        let lead = rank - node.shape.count
        let strides = (0..<rank).map { axis -> Int in
            guard axis >= lead else { return 0 }
            let d = axis - lead
            return node.shape[d] == 1 && region.shape[axis] != 1 ? 0 : placement.layout.strides[d]
        }
        let layout = Layout(shape: region.shape, strides: strides, offset: placement.layout.offset)
        let key = InputKey(node: ObjectIdentifier(node), region: tag, layout: layout)
        if let existing = inputIndex[key] { return existing }
        inputs.append(KernelInput(dtype: node.dtype, layout: layout))
        buffers.append(placement.buffer)
        inputIndex[key] = inputs.count - 1
        return inputs.count - 1
    }

    /// The matrix product `product` with `epilogue` after it: the dense operands take slots 0 and 1.
    private func matmulKernel(_ product: Node, epilogue: KernelRegion, output: Node,
                              scheduler: inout Scheduler) throws(TesseraError) -> (Kernel, [BufferRef]) {
        guard case .matmul(let shape) = product.op else { fatalError("the product is a matmul node") }
        let operands = product.inputs
        let a = try scheduler.dense(operands[0]), b = try scheduler.dense(operands[1])
        var shifted = epilogue
        for i in shifted.values.indices {
            if case .load(let slot) = shifted.values[i].instruction { shifted.values[i].instruction = .load(slot + 2) }
        }
        let isIdentity = shifted.values.count == 1
        let kernel = MatmulKernel(
            inputs: [KernelInput(dtype: operands[0].dtype, layout: a.layout),
                     KernelInput(dtype: operands[1].dtype, layout: b.layout)] + inputs,
            shape: shape, epilogue: isIdentity ? nil : shifted, outputShape: output.shape, outputDType: output.dtype)
        return (.matmul(kernel), [a.buffer, b.buffer] + buffers)
    }
}
