/// Executes one region of a fused kernel over tiles of consecutive elements on one thread.
///
/// Each instruction runs as a loop over the whole tile (1024 elements, so a tile of registers stays in
/// L1). Inputs that are contiguous in the iteration order and stored as the register type are read in
/// place; constants and inputs that repeat identically in every tile (a broadcast row, say) are
/// filled once per thread; the result is computed straight into the output when its dtype allows.
final class RegionRunner {
    private let region: KernelRegion
    private let inputs: [KernelInput]
    private let plan: RegionPlan
    private let shape: [Int]
    private var pointers: [UnsafeMutableRawPointer?]
    private let scratch: Buffer

    init(region: KernelRegion, inputs: [KernelInput], plan: RegionPlan, total: Int) {
        self.region = region
        self.inputs = inputs
        self.plan = plan
        self.shape = region.shape
        scratch = Buffer(bytes: max(1, plan.slotCount) * plan.tile * 8)
        pointers = [UnsafeMutableRawPointer?](repeating: nil, count: region.values.count)
        for (id, slot) in plan.slots.enumerated() {
            if case .scratch(let s) = slot { pointers[id] = scratch.pointer + s * plan.tile * 8 }
        }
        for id in plan.fillOnce {
            let value = region.values[id]
            switch value.instruction {
            case .constant(let c): fill(pointers[id]!, value, with: c, count: plan.tile)
            case .load(let input): load(input, into: pointers[id]!, kind: value.kind, start: 0, count: min(plan.tile, total))
            default: preconditionFailure("only constants and loads are filled once")
            }
        }
    }

    /// The register buffer holding `value` after the last ``run(start:count:reduced:output:)``.
    func pointer(of value: Int) -> UnsafeRawPointer { UnsafeRawPointer(pointers[value]!) }

    /// Computes elements `start..<start+count` (count ≤ the tile); writes the result to `output`
    /// (typed as the kernel's output dtype, already offset to `start`) unless `output` is nil.
    func run(start: Int, count: Int, reduced: UnsafeRawPointer?, output: UnsafeMutableRawPointer?, outputDType: DType) {
        for id in plan.aliases {
            guard case .load(let i) = region.values[id].instruction else { continue }
            let input = inputs[i]
            pointers[id] = input.storage.buffer.pointer + (input.storage.layout.offset + start) * input.dtype.byteSize
        }
        if plan.directOutput, let output { pointers[region.result] = output }
        for id in plan.steps {
            let value = region.values[id]
            if case .reduced = value.instruction {
                pointers[id] = UnsafeMutableRawPointer(mutating: reduced!)
                continue
            }
            let dst = pointers[id]!
            switch value.instruction {
            case .load(let input): load(input, into: dst, kind: value.kind, start: start, count: count)
            case .constant(let c): fill(dst, value, with: c, count: count)
            case .unary(let op, let x):
                op.kernel(region.values[x].kind)!(pointers[x]!, dst, count)
            case .binary(let op, let a, let b):
                op.kernel(region.values[a].kind)!(pointers[a]!, pointers[b]!, dst, count)
            case .select(let c, let a, let b):
                select(pointers[c]!, pointers[a]!, pointers[b]!, dst, count, value.kind)
            case .cast(let x):
                StridedCopy.convert(pointers[x]!, from: region.values[x].kind, to: value.kind, count: count, into: dst)
            case .reduced:
                break
            }
            if value.needsNarrowing { StridedCopy.narrow(pointers[id]!, kind: value.kind, count: count, dtype: value.dtype) }
        }
        if let output, !plan.directOutput {
            StridedCopy.store(pointers[region.result]!, kind: region.values[region.result].kind, count: count,
                              to: output, dtype: outputDType)
        }
    }

    private func load(_ index: Int, into dst: UnsafeMutableRawPointer, kind: ComputeKind, start: Int, count: Int) {
        let input = inputs[index]
        let base = input.storage.buffer.pointer + input.storage.layout.offset * input.dtype.byteSize
        StridedCopy.gather(from: base, dtype: input.dtype, shape: shape, strides: input.strides,
                           start: start, count: count, into: dst, kind: kind)
    }

    private func fill(_ dst: UnsafeMutableRawPointer, _ value: KernelValue, with c: Double, count: Int) {
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

/// Where each value of a region lives, decided once per kernel.
struct RegionPlan {
    enum Slot {
        /// Read in place from a kernel input.
        case alias
        /// A tile-sized register buffer in the thread's scratch memory.
        case scratch(Int)
        /// The reduction result buffer (epilogue) or the kernel output (direct result).
        case external
    }

    let tile: Int
    var slots: [Slot]
    /// Values computed (or gathered) every tile, in order.
    var steps: [Int] = []
    /// Values set up once per thread: constants and tile-invariant loads.
    var fillOnce: [Int] = []
    /// Loads read in place.
    var aliases: [Int] = []
    var slotCount = 0
    /// Whether the result is computed straight into the output buffer.
    var directOutput = false

    /// Plans `region` for tiles of `tile` elements starting at multiples of `tile` (so an input that
    /// repeats with a period dividing `tile` is the same in every tile); `skip` values are never
    /// computed (a product folded into its reduction).
    init(region: KernelRegion, inputs: [KernelInput], tile: Int, outputDType: DType?, skip: Set<Int> = [],
         invariantLoads: Bool) {
        self.tile = tile
        slots = Array(repeating: .external, count: region.values.count)
        let shape = region.shape
        var lastUse = Array(repeating: -1, count: region.values.count)
        for (id, v) in region.values.enumerated() where !skip.contains(id) {
            for operand in v.instruction.operands { lastUse[operand] = id }
        }
        lastUse[region.result] = Int.max
        for s in skip {
            for operand in region.values[s].instruction.operands { lastUse[operand] = Int.max }
        }
        var free: [Int] = []
        func allocate() -> Int {
            if let s = free.popLast() { return s }
            slotCount += 1
            return slotCount - 1
        }
        let resultValue = region.values[region.result]
        if let outputDType, resultValue.kind.matchesStorage(of: outputDType) && !resultValue.needsNarrowing {
            switch resultValue.instruction {
            case .unary, .binary, .select, .cast: directOutput = true
            default: break
            }
        }
        for (id, v) in region.values.enumerated() where !skip.contains(id) {
            switch v.instruction {
            case .constant:
                slots[id] = .scratch(allocate())
                fillOnce.append(id)
                continue
            case .load(let i):
                let input = inputs[i]
                let layout = Layout(shape: shape, strides: input.strides, offset: 0)
                if layout.isContiguous && v.kind.matchesStorage(of: input.dtype) {
                    slots[id] = .alias
                    aliases.append(id)
                    continue
                }
                if invariantLoads && Self.period(shape, input.strides).map({ tile % $0 == 0 }) == true {
                    slots[id] = .scratch(allocate())
                    fillOnce.append(id)
                    continue
                }
            case .reduced:
                steps.append(id)
                continue
            default: break
            }
            if !(id == region.result && directOutput) { slots[id] = .scratch(allocate()) }
            steps.append(id)
            for operand in Set(v.instruction.operands) where lastUse[operand] == id {
                if case .scratch(let s) = slots[operand], !fillOnce.contains(operand) { free.append(s) }
            }
        }
    }

    /// The number of elements after which an input repeats (its strides are zero on every axis
    /// before them), or nil when it does not repeat.
    static func period(_ shape: [Int], _ strides: [Int]) -> Int? {
        var k = 0
        while k < shape.count && (strides[k] == 0 || shape[k] == 1) { k += 1 }
        guard k > 0 else { return nil }
        return Shape.count(Array(shape[k...]))
    }
}

extension Instruction {
    var operands: [Int] {
        switch self {
        case .load, .constant, .reduced: []
        case .unary(_, let x), .cast(let x): [x]
        case .binary(_, let a, let b): [a, b]
        case .select(let c, let a, let b): [c, a, b]
        }
    }
}
