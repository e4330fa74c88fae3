extension Node {
    /// Computes this node's data (and whatever it needs first) unless it exists already.
    @discardableResult
    func realize() -> Storage {
        if let storage { return storage }
        Runtime.realize([self])
        return storage!
    }
}

/// Runs schedules: each kernel on the backend of its device, in order, freeing intermediate buffers
/// as soon as no later kernel reads them.
enum Runtime {
    /// Schedules and computes `nodes`; a scheduling error (a device without a backend, an op a backend
    /// has no kernel for) is a programmer error and traps with its message.
    static func realize(_ nodes: [Node]) {
        let schedule: Schedule
        do {
            schedule = try Scheduler.schedule(nodes)
        } catch {
            fatalError(error.description)
        }
        run(schedule)
    }

    static func run(_ schedule: Schedule) {
        var kernels = schedule.kernels.map(Optional.some)
        var lastUse = [Int](repeating: -1, count: kernels.count)
        for (i, item) in schedule.kernels.enumerated() {
            for case .output(let j) in item.inputs { lastUse[j] = i }
        }
        var aliases = [[(node: Node, layout: Layout)]](repeating: [], count: kernels.count)
        for alias in schedule.aliases {
            switch alias.buffer {
            case .realized(let buffer): alias.node.setStorage(Storage(buffer: buffer, layout: alias.layout))
            case .output(let j): aliases[j].append((alias.node, alias.layout))
            }
        }
        var outputs = [Buffer?](repeating: nil, count: kernels.count)
        for i in kernels.indices {
            let item = kernels[i]!
            kernels[i] = nil  // lets go of the node once it has its data
            let inputs = item.inputs.map { ref -> Buffer in
                switch ref {
                case .realized(let buffer): buffer
                case .output(let j): outputs[j]!
                }
            }
            let output = run(item, inputs: inputs)
            outputs[i] = output
            item.node?.setStorage(Storage(buffer: output, layout: Layout(contiguous: item.outputShape)))
            for alias in aliases[i] { alias.node.setStorage(Storage(buffer: output, layout: alias.layout)) }
            for case .output(let j) in item.inputs where lastUse[j] == i { outputs[j] = nil }
        }
    }

    /// Runs one kernel into a new buffer of its device.
    private static func run(_ item: ScheduledKernel, inputs: [Buffer]) -> Buffer {
        let backend = Backends.resolved(item.device)
        let count = Shape.count(item.outputShape), bytes = count * item.outputDType.byteSize
        let output = backend.allocate(bytes: Swift.max(1, bytes))
        guard count > 0 else { return output }
        let tracing = KernelTrace.isActive
        let start = tracing ? monotonicSeconds() : 0
        switch item.kernel {
        case .fused(let kernel):
            backend.run(kernel, inputs: inputs, output: output)
        case .matmul(let kernel):
            backend.matmul(kernel, inputs: inputs, output: output)
        case .op(let op, let slots):
            let arguments = zip(inputs, slots).map { KernelArgument(buffer: $0, dtype: $1.dtype, layout: $1.layout) }
            backend.run(op, inputs: arguments,
                        output: KernelArgument(buffer: output, dtype: item.outputDType, layout: Layout(contiguous: item.outputShape)))
        case .copy(let input):
            copy(inputs[0], offset: input.layout.offset * input.dtype.byteSize, to: output, on: backend, bytes: bytes)
        }
        if tracing {
            backend.synchronize()
            KernelTrace.log(KernelRecord(name: item.kernel.name, ops: item.kernel.opNames, outputShape: item.outputShape,
                                         inputs: inputs.count, device: item.device, seconds: monotonicSeconds() - start))
        }
        return output
    }

    /// Copies `bytes` bytes from `source` (starting `offset` bytes in) to the start of `destination`,
    /// within a device or between two.
    private static func copy(_ source: Buffer, offset: Int, to destination: Buffer, on backend: any Backend, bytes: Int) {
        switch (source.device, destination.device) {
        case let (from, to) where from == to:
            backend.copy(source, offset: offset, to: destination, destinationOffset: 0, bytes: bytes)
        case (.cpu, _):
            backend.copy(fromHost: source.pointer + offset, to: destination, offset: 0, bytes: bytes)
        case (let from, .cpu):
            Backends.resolved(from).copy(source, offset: offset, toHost: destination.pointer, bytes: bytes)
        case (let from, _):
            let staging = Buffer.host(bytes: bytes)
            Backends.resolved(from).copy(source, offset: offset, toHost: staging.pointer, bytes: bytes)
            backend.copy(fromHost: staging.pointer, to: destination, offset: 0, bytes: bytes)
        }
    }
}
