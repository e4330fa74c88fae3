/// A fused kernel lowered for the CPU: a register type for every value, the reduction's iteration
/// order chosen, and the inputs bound to host addresses.
///
/// Narrow dtypes compute in wider registers (int32, uint8 and bool in Int64; float16 and bfloat16 in
/// Float) and are rounded back through their storage type after each step, so a fused chain gives the
/// same numbers as one kernel per op would.
struct CPUFusedKernel {
    var inputs: [CPUInput]
    /// The elementwise region, or the prologue of the reduction, in iteration order.
    var main: CPURegion
    /// The reduction, with the number of outputs and of elements reduced into each.
    var reduction: (op: ReduceOp, outputs: Int, reduced: Int)?
    /// Whether the prologue iterates reduced axes first (a column reduction: element `r·outputs + o`)
    /// rather than kept axes first (element `o·reduced + r`).
    var reducedFirst = false
    /// The elementwise ops applied to the reduction's results.
    var epilogue: CPURegion?
    let outputShape: [Int]
    let outputDType: DType

    /// Column reductions keep one accumulator per output and thread, so their output count is bounded.
    static let maxColumnOutputs = 1 << 16

    init(_ kernel: FusedKernel, buffers: [Buffer]) {
        outputShape = kernel.outputShape
        outputDType = kernel.outputDType
        var order = Array(kernel.main.shape.indices)
        if let r = kernel.reduction {
            let shape = kernel.main.shape
            let kept = shape.indices.filter { !r.axes.contains($0) }
            let outputs = Shape.count(kept.map { shape[$0] }), reduced = Shape.count(r.axes.map { shape[$0] })
            // Reducing leading axes into a modest number of outputs (a column sum, a bias gradient):
            // iterate in memory order and accumulate per output, instead of gathering strided rows.
            reducedFirst = r.axes == Array(0..<r.axes.count) && !kept.isEmpty && !r.op.isArg && reduced > 1
                && outputs <= Self.maxColumnOutputs
            order = reducedFirst ? r.axes + kept : kept + r.axes
            reduction = (r.op, outputs, reduced)
        }
        let prologueLoads = Set(kernel.main.values.compactMap { v -> Int? in
            if case .load(let i) = v.instruction { return i }
            return nil
        })
        inputs = zip(kernel.inputs, buffers).enumerated().map { i, bound in
            let (input, buffer) = bound
            let strides = kernel.reduction != nil && prologueLoads.contains(i)
                ? order.map { input.layout.strides[$0] } : input.layout.strides
            return CPUInput(base: buffer.pointer + input.layout.offset * input.dtype.byteSize, dtype: input.dtype,
                            strides: strides)
        }
        main = CPURegion(kernel.main, order: order)
        epilogue = kernel.epilogue.map { CPURegion($0, order: Array($0.shape.indices)) }
    }
}

/// A region's values with the register type each computes in, over the region's shape in loop order.
struct CPURegion {
    /// The shape iterated over, in the order of the kernel's loops.
    let shape: [Int]
    let values: [CPUValue]
    let result: Int

    /// `region` iterated with loop axis `i` over the region's axis `order[i]`.
    init(_ region: KernelRegion, order: [Int]) {
        shape = order.map { region.shape[$0] }
        values = region.values.map(CPUValue.init)
        result = region.result
    }
}

/// A value of a region, with the register type it computes in.
struct CPUValue {
    let instruction: Instruction
    let kind: ComputeKind
    let dtype: DType

    init(_ value: KernelValue) {
        instruction = value.instruction
        dtype = value.dtype
        kind = value.dtype.computeKind
    }

    /// Whether the value is rounded to its dtype after the step (its register type is wider).
    var needsNarrowing: Bool {
        guard dtype != .float32 && dtype != .float64 && dtype != .int64 else { return false }
        switch instruction {
        case .binary(let op, _, _): return !op.isPredicate
        case .unary(let op, _): return op.hasIntegerMath || dtype.isFloatingPoint
        case .cast, .constant: return true
        default: return false
        }
    }
}

/// An input bound to host memory, with its strides mapped onto the kernel's iteration order.
struct CPUInput {
    /// The address of the element at index 0 of the iteration space (the layout offset applied).
    let base: UnsafeMutableRawPointer
    let dtype: DType
    /// Strides in elements for each loop axis of the region that reads it (0 where broadcast).
    let strides: [Int]
}

extension DType {
    /// The register type the CPU kernels compute this type in.
    var computeKind: ComputeKind {
        switch self {
        case .float16, .bfloat16, .float32: .f32
        case .float64: .f64
        case .bool, .uint8, .int32, .int64: .i64
        }
    }
}
