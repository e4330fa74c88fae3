/// Turns a graph into a ``Schedule`` — the kernels that compute the given nodes, in dependency order —
/// without running anything or touching any data.
///
/// Each node is placed once: realized data is read where it is, a view or detach is its input's buffer
/// under a new layout (known before anything runs, since every kernel writes a dense output), and any
/// other node becomes the output of a kernel — a fused elementwise/reduction kernel, a matrix product
/// with its epilogue, a copy, or a non-elementwise op — after the kernels its inputs need.
package struct Scheduler {
    /// A node's data once the schedule has run: a buffer and the layout of the elements in it.
    struct Placement {
        let buffer: BufferRef
        let layout: Layout
    }

    private(set) var schedule = Schedule()
    private var placed: [ObjectIdentifier: Placement] = [:]
    private var denseCopies: [ObjectIdentifier: Placement] = [:]
    /// Every node whose identity is a key above, kept alive while scheduling so no address is reused.
    private var visited: [Node] = []

    /// The kernels that compute `nodes` (realized nodes need none).
    ///
    /// - Throws: ``TesseraError`` when a node's device has no backend, or its backend has no kernel for
    ///   one of the ops (`[argsort] has no kernel on cuda:0`).
    package static func schedule(_ nodes: [Node]) throws(TesseraError) -> Schedule {
        var scheduler = Scheduler()
        for node in nodes where node.storage == nil { _ = try scheduler.place(node) }
        return scheduler.schedule
    }

    /// Where `node`'s data will be, adding the kernels that compute it.
    mutating func place(_ node: Node) throws(TesseraError) -> Placement {
        if let storage = node.storage { return Placement(buffer: .realized(storage.buffer), layout: storage.layout) }
        let key = ObjectIdentifier(node)
        if let known = placed[key] { return known }
        let placement: Placement
        switch node.op {
        case .data:
            fatalError("a data node has no storage")
        case .view(let view):
            let input = node.inputs[0]
            let base = try place(input)
            if let layout = base.layout.applying(view) {
                placement = Placement(buffer: base.buffer, layout: layout)
            } else {
                // A reshape with no strided form: copy the input densely once, then reshape that.
                let copy = try dense(input)
                placement = Placement(buffer: copy.buffer, layout: copy.layout.applying(view)!)
            }
            schedule.aliases.append((node, placement.buffer, placement.layout))
        case .detach:
            placement = try place(node.inputs[0])
            schedule.aliases.append((node, placement.buffer, placement.layout))
        case .full, .unary, .binary, .select, .cast, .reduce, .matmul:
            let (kernel, inputs) = try FusionPlanner.plan(node, in: &self)
            placement = try append(kernel, inputs: inputs, shape: node.shape, dtype: node.dtype, device: node.device, node: node)
        case .copy:
            let source = node.inputs[0]
            let input = try dense(source)
            placement = try append(.copy(KernelInput(dtype: source.dtype, layout: input.layout)), inputs: [input.buffer],
                               shape: node.shape, dtype: node.dtype, device: node.device, node: node)
        case .custom(let op):
            let backend = try Backends.backend(for: node.device)
            guard backend.hasKernel(for: op) else {
                throw TesseraError(.unsupported, "[\(op.name)] has no kernel on \(node.device)")
            }
            var inputs: [KernelInput] = [], buffers: [BufferRef] = []
            for input in node.inputs {
                let p = try dense(input)
                inputs.append(KernelInput(dtype: input.dtype, layout: p.layout))
                buffers.append(p.buffer)
            }
            placement = try append(.op(op, inputs: inputs), inputs: buffers, shape: node.shape, dtype: node.dtype,
                               device: node.device, node: node)
        }
        placed[key] = placement
        visited.append(node)
        return placement
    }

    /// Where `node`'s data will be in row-major order (an offset is fine): its own placement when that
    /// is dense, else a copy the scheduler adds.
    mutating func dense(_ node: Node) throws(TesseraError) -> Placement {
        let p = try place(node)
        if p.layout.isContiguous { return p }
        let key = ObjectIdentifier(node)
        if let copy = denseCopies[key] { return copy }
        var region = KernelRegion(shape: node.shape)
        region.values = [KernelValue(instruction: .load(0), dtype: node.dtype)]
        let kernel = FusedKernel(inputs: [KernelInput(dtype: node.dtype, layout: p.layout)], main: region, reduction: nil,
                                 epilogue: nil, outputShape: node.shape, outputDType: node.dtype)
        let copy = try append(.fused(kernel), inputs: [p.buffer], shape: node.shape, dtype: node.dtype,
                          device: node.device, node: nil)
        denseCopies[key] = copy
        return copy
    }

    private mutating func append(_ kernel: Kernel, inputs: [BufferRef], shape: [Int], dtype: DType, device: Device,
                                 node: Node?) throws(TesseraError) -> Placement {
        _ = try Backends.backend(for: device)
        schedule.kernels.append(ScheduledKernel(kernel: kernel, device: device, inputs: inputs, outputShape: shape,
                                                outputDType: dtype, node: node))
        return Placement(buffer: .output(schedule.kernels.count - 1), layout: Layout(contiguous: shape))
    }
}
