/// Executes one region of a fused kernel over tiles of consecutive elements on one thread.
///
/// Each instruction runs as a loop over the whole tile (1024 elements, so a tile of registers stays in
/// L1). Inputs that are contiguous in the iteration order and stored as the register type are read in
/// place; constants and inputs that repeat identically in every tile (a broadcast row, say) are
/// filled once per thread; the result is computed straight into the output when its dtype allows.
final class RegionRunner {
    /// One step of the tile loop, with its kernel and operand slots resolved once per thread.
    private enum Step {
        case gather(dst: Int, input: Int, kind: ComputeKind)
        case unary(UnaryKernel, dst: Int, x: Int)
        case binary(BinaryKernel, dst: Int, a: Int, b: Int)
        case select(ComputeKind, dst: Int, c: Int, a: Int, b: Int)
        case convert(from: ComputeKind, to: ComputeKind, dst: Int, x: Int)
        /// Non-zero → 1, zero → 0 (a cast to bool must not truncate 0.25 to 0 first).
        case truth(from: ComputeKind, dst: Int, x: Int)
        case produced(dst: Int)
        case narrow(ComputeKind, DType, dst: Int)
    }

    private let inputs: [CPUInput]
    private let shape: [Int]
    private let steps: [Step]
    /// Inputs read in place: the value they define, the address of element 0, and the element size.
    private let aliases: [(value: Int, base: UnsafeMutableRawPointer, size: Int)]
    private let result: Int
    private let resultKind: ComputeKind
    private let directOutput: Bool
    /// The register buffer of each value for the current tile.
    private let pointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private let valueCount: Int
    private let scratch: Buffer

    init(region: CPURegion, inputs: [CPUInput], plan: RegionPlan, total: Int) {
        self.inputs = inputs
        self.shape = region.shape
        result = region.result
        resultKind = region.values[region.result].kind
        directOutput = plan.directOutput
        valueCount = region.values.count
        scratch = Buffer.host(bytes: max(1, plan.slotCount) * plan.tile * 8)
        pointers = .allocate(capacity: valueCount)
        pointers.initialize(repeating: nil, count: valueCount)
        for (id, slot) in plan.slots.enumerated() {
            if case .scratch(let s) = slot { pointers[id] = scratch.pointer + s * plan.tile * 8 }
        }
        let values = region.values
        aliases = plan.aliases.map { id in
            guard case .load(let i) = values[id].instruction else { fatalError("aliases are loads") }
            return (id, inputs[i].base, inputs[i].dtype.byteSize)
        }
        var steps: [Step] = []
        for id in plan.steps {
            let value = values[id]
            switch value.instruction {
            case .load(let input): steps.append(.gather(dst: id, input: input, kind: value.kind))
            case .constant: fatalError("constants are filled once")
            case .unary(let op, let x): steps.append(.unary(op.function.cpuKernel(values[x].kind)!, dst: id, x: x))
            case .binary(let op, let a, let b): steps.append(.binary(op.function.cpuKernel(values[a].kind)!, dst: id, a: a, b: b))
            case .select(let c, let a, let b): steps.append(.select(value.kind, dst: id, c: c, a: a, b: b))
            case .cast(let x) where value.dtype == .bool: steps.append(.truth(from: values[x].kind, dst: id, x: x))
            case .cast(let x): steps.append(.convert(from: values[x].kind, to: value.kind, dst: id, x: x))
            case .produced: steps.append(.produced(dst: id))
            }
            if value.needsNarrowing { steps.append(.narrow(value.kind, value.dtype, dst: id)) }
        }
        self.steps = steps
        for id in plan.fillOnce {
            let value = values[id]
            switch value.instruction {
            case .constant(let c): fill(pointers[id]!, value, with: c, count: plan.tile)
            case .load(let input): load(input, into: pointers[id]!, kind: value.kind, start: 0, count: min(plan.tile, total))
            default: fatalError("only constants and loads are filled once")
            }
        }
    }

    deinit { pointers.deallocate() }

    /// The register buffer holding `value` after the last ``run(start:count:reduced:output:outputDType:)``.
    func pointer(of value: Int) -> UnsafeRawPointer { UnsafeRawPointer(pointers[value]!) }

    /// Computes elements `start..<start+count` (count ≤ the tile); writes the result to `output`
    /// (typed as the kernel's output dtype, already offset to `start`) unless `output` is nil.
    func run(start: Int, count: Int, reduced: UnsafeRawPointer?, output: UnsafeMutableRawPointer?, outputDType: DType) {
        let p = pointers
        for alias in aliases { p[alias.value] = alias.base + start * alias.size }
        if directOutput, let output { p[result] = output }
        steps.withUnsafeBufferPointer { steps in
            for step in steps {
                switch step {
                case .gather(let dst, let input, let kind): load(input, into: p[dst]!, kind: kind, start: start, count: count)
                case .unary(let kernel, let dst, let x): kernel(p[x]!, p[dst]!, count)
                case .binary(let kernel, let dst, let a, let b): kernel(p[a]!, p[b]!, p[dst]!, count)
                case .select(let kind, let dst, let c, let a, let b): select(p[c]!, p[a]!, p[b]!, p[dst]!, count, kind)
                case .convert(let from, let to, let dst, let x): StridedCopy.convert(p[x]!, from: from, to: to, count: count, into: p[dst]!)
                case .truth(let from, let dst, let x): StridedCopy.convert(p[x]!, from: from, to: .i64, count: count, into: p[dst]!, truth: true)
                case .produced(let dst): p[dst] = UnsafeMutableRawPointer(mutating: reduced!)
                case .narrow(let kind, let dtype, let dst): StridedCopy.narrow(p[dst]!, kind: kind, count: count, dtype: dtype)
                }
            }
        }
        if let output, !directOutput {
            StridedCopy.store(p[result]!, kind: resultKind, count: count, to: output, dtype: outputDType)
        }
    }

    private func load(_ index: Int, into dst: UnsafeMutableRawPointer, kind: ComputeKind, start: Int, count: Int) {
        let input = inputs[index]
        StridedCopy.gather(from: input.base, dtype: input.dtype, shape: shape, strides: input.strides,
                           start: start, count: count, into: dst, kind: kind)
    }

    private func fill(_ dst: UnsafeMutableRawPointer, _ value: CPUValue, with c: Double, count: Int) {
        let v = value.dtype.withStorageDouble(c)
        switch value.kind {
        case .f32: dst.assumingMemoryBound(to: Float.self).initialize(repeating: Float(v), count: count)
        case .f64: dst.assumingMemoryBound(to: Double.self).initialize(repeating: v, count: count)
        case .i64: dst.assumingMemoryBound(to: Int64.self).initialize(repeating: Int64(exactly: v) ?? 0, count: count)
        }
    }

    private func select(_ c: UnsafeMutableRawPointer, _ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer,
                        _ dst: UnsafeMutableRawPointer, _ n: Int, _ kind: ComputeKind) {
        func typed<T>(_: T.Type) {
            let cond = c.assumingMemoryBound(to: Int64.self)
            let x = a.assumingMemoryBound(to: T.self), y = b.assumingMemoryBound(to: T.self)
            let out = dst.assumingMemoryBound(to: T.self)
            for i in 0..<n { out[i] = cond[i] != 0 ? x[i] : y[i] }
        }
        switch kind {
        case .f32: typed(Float.self)
        case .f64: typed(Double.self)
        case .i64: typed(Int64.self)
        }
    }
}
