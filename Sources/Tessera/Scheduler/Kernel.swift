/// The kernel IR: what the scheduler hands a backend. Plain values — inputs by slot (dtype and layout),
/// primitives by typed identity — so a backend can lower it, a recorder can keep it, and a code
/// generator can render it; nothing here points at data or runs.

/// A tensor a kernel reads: its dtype, and where each element sits in the buffer bound to its slot.
///
/// For fused kernels the layout is over the shape of the region that reads the input: axes the input is
/// broadcast along have stride 0. For the other kernels it is the tensor's own dense layout (the offset
/// may be non-zero).
package struct KernelInput: Hashable, Sendable {
    package let dtype: DType
    package let layout: Layout

    package init(dtype: DType, layout: Layout) {
        self.dtype = dtype
        self.layout = layout
    }
}

/// One step of a fused kernel, producing one value per element of its region.
package enum Instruction: Hashable, Sendable {
    /// Reads kernel input `index`.
    case load(Int)
    /// The same number everywhere (already rounded to the value's dtype).
    case constant(Double)
    case unary(UnaryOp, Int)
    case binary(BinaryOp, Int, Int)
    /// `condition ? a : b`.
    case select(Int, Int, Int)
    /// The operand converted to this value's dtype.
    case cast(Int)
    /// The result of the kernel's reduction or matrix product at this position (epilogues only).
    case produced

    /// The values this step reads.
    package var operands: [Int] {
        switch self {
        case .load, .constant, .produced: []
        case .unary(_, let x), .cast(let x): [x]
        case .binary(_, let a, let b): [a, b]
        case .select(let c, let a, let b): [c, a, b]
        }
    }
}

/// A value inside a fused kernel: how it is computed and the dtype it has.
///
/// Every value is rounded to its dtype, so a fused chain gives the same numbers as one kernel per op
/// would; a backend may compute in a wider register type between the roundings.
package struct KernelValue: Hashable, Sendable {
    package var instruction: Instruction
    package var dtype: DType
}

/// The values computed over one iteration space (row-major over `shape`), in dependency order.
package struct KernelRegion: Hashable, Sendable {
    /// The shape the region's values have.
    package let shape: [Int]
    package var values: [KernelValue] = []
    /// The value the region produces.
    package var result = 0

    package init(shape: [Int]) { self.shape = shape }

    /// The names of the primitives the region computes, in order, for traces.
    package var opNames: [String] {
        values.compactMap { v in
            switch v.instruction {
            case .unary(let op, _): op.name
            case .binary(let op, _, _): op.name
            case .select: "where"
            case .cast: "cast(\(v.dtype))"
            case .constant where values.count == 1: "fill"
            default: nil
            }
        }
    }
}

/// A reduction over some axes of a fused kernel's main region.
package struct KernelReduction: Hashable, Sendable {
    package let op: ReduceOp
    /// Reduced axes of the main region, ascending.
    package let axes: [Int]
}

/// Elementwise ops, at most one reduction, and the elementwise ops after it, as one kernel.
///
/// Without a reduction, `main` computes the output. With one, `main` is the prologue (over the reduced
/// input's shape), and the epilogue maps each reduced value (``Instruction/produced``) to the output.
package struct FusedKernel: Hashable, Sendable {
    package var inputs: [KernelInput]
    /// The elementwise region, or the prologue of the reduction.
    package var main: KernelRegion
    package var reduction: KernelReduction?
    /// The elementwise ops applied to the reduction's results (present exactly when there is a reduction).
    package var epilogue: KernelRegion?
    package let outputShape: [Int]
    package let outputDType: DType

    /// Names of the fused ops, for `TESSERA_DEBUG` and the kernel trace.
    package var opNames: [String] {
        main.opNames + (reduction.map { [$0.op.rawValue] } ?? []) + (epilogue?.opNames ?? [])
    }
}

/// The sizes of a (batched) matrix product `op(A) · op(B)`, where `op` transposes the last two axes
/// when asked, and the leading batch axes of both operands broadcast.
package struct MatmulShape: Hashable, Sendable {
    /// The broadcast batch dimensions of the output.
    package let batch: [Int]
    package let m: Int, n: Int, k: Int
    package let transposeA: Bool, transposeB: Bool
}

/// A matrix product with an elementwise epilogue fused after it (bias, scale, activation, cast).
///
/// Inputs 0 and 1 are the dense operands (in ``productDType``); the epilogue's loads follow.
package struct MatmulKernel: Hashable, Sendable {
    package var inputs: [KernelInput]
    package let shape: MatmulShape
    /// The elementwise ops applied to each product element (``Instruction/produced``), or nil.
    package var epilogue: KernelRegion?
    package let outputShape: [Int]
    package let outputDType: DType

    /// The dtype the product is computed in: float32 or float64.
    package var productDType: DType { inputs[0].dtype }

    /// Names of the fused ops, for traces.
    package var opNames: [String] { ["matmul"] + (epilogue?.opNames ?? []) }
}

/// One unit of work a backend runs.
package enum Kernel: Sendable {
    /// Elementwise chains with at most one reduction.
    case fused(FusedKernel)
    /// A matrix product, with its epilogue.
    case matmul(MatmulKernel)
    /// A non-elementwise op (sort, gather, concat, …) on dense inputs.
    case op(any KernelOp, inputs: [KernelInput])
    /// A dense copy of the input into the output, on the same device or to another one.
    case copy(KernelInput)

    /// `fused`, `matmul`, `copy` or the op's name.
    package var name: String {
        switch self {
        case .fused: "fused"
        case .matmul: "matmul"
        case .op(let op, _): op.name
        case .copy: "copy"
        }
    }

    /// What the kernel computes, in order.
    package var opNames: [String] {
        switch self {
        case .fused(let kernel): kernel.opNames
        case .matmul(let kernel): kernel.opNames
        case .op(let op, _): [op.name]
        case .copy: ["copy"]
        }
    }
}
