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
    init(region: CPURegion, inputs: [CPUInput], tile: Int, outputDType: DType?, skip: Set<Int> = [],
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
        // Values set up once per thread get slots of their own first: the per-tile values below reuse
        // freed slots, which must never be one of these.
        for (id, v) in region.values.enumerated() where !skip.contains(id) {
            switch v.instruction {
            case .constant:
                fillOnce.append(id)
            case .load(let i):
                let input = inputs[i]
                if Layout(shape: shape, strides: input.strides, offset: 0).isContiguous && v.kind.matchesStorage(of: input.dtype) {
                    slots[id] = .alias
                    aliases.append(id)
                } else if invariantLoads && Self.period(shape, input.strides).map({ tile % $0 == 0 }) == true {
                    fillOnce.append(id)
                }
            default: break
            }
        }
        for id in fillOnce { slots[id] = .scratch(allocate()) }
        for (id, v) in region.values.enumerated() where !skip.contains(id) && !fillOnce.contains(id) {
            switch v.instruction {
            case .load where aliases.contains(id): continue
            case .produced:
                steps.append(id)
                continue
            default: break
            }
            if !(id == region.result && directOutput) { slots[id] = .scratch(allocate()) }
            steps.append(id)
            for operand in Set(v.instruction.operands) where lastUse[operand] == id && !fillOnce.contains(operand) {
                if case .scratch(let s) = slots[operand] { free.append(s) }
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
