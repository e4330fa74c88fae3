import Synchronization

/// What a graph node computes from its inputs.
package enum Op: Sendable {
    /// Data that exists already (created from host values, loaded, or computed by a kernel).
    case data
    /// Every element equal to one value; never materialized unless read on its own.
    case full(Double)
    /// An elementwise function of one input.
    case unary(UnaryOp)
    /// An elementwise function of two inputs, broadcast to the node's shape.
    case binary(BinaryOp)
    /// `where(condition, a, b)`, broadcast.
    case select
    /// Conversion of the input to the node's dtype.
    case cast
    /// A reduction of the input over `axes` (sorted); the node's shape keeps or drops them.
    case reduce(ReduceOp, axes: [Int])
    /// A strided view of the input.
    case view(ViewOp)
    /// The input's values with no gradient flowing back (stop-gradient); computes nothing.
    case detach
    /// The (batched) matrix product of the two inputs.
    case matmul(MatmulShape)
    /// A dense copy of the input on the node's device: a transfer between devices, or a clone.
    case copy
    /// A kernel that is not elementwise (sort, gather, concat, …) with its own gradient.
    case custom(any KernelOp)

    /// The op's name in messages.
    package var name: String {
        switch self {
        case .data: "data"
        case .full: "full"
        case .unary(let op): op.name
        case .binary(let op): op.name
        case .select: "where"
        case .cast: "astype"
        case .reduce(let op, _): op.rawValue
        case .view(let view): view.name
        case .detach: "detach"
        case .matmul: "matmul"
        case .copy: "to"
        case .custom(let op): op.name
        }
    }
}

/// A node of the lazy graph: an op, its inputs, and the shape, dtype and device checked when it was built.
///
/// Immutable except for its realized storage (set once a kernel has computed it) and the autograd
/// fields of leaves, which are guarded by a lock.
package final class Node: Sendable {
    package let op: Op
    package let shape: [Int]
    package let dtype: DType
    package let device: Device
    /// The longest path to a realized node; a bound on it keeps graphs (and recursion) shallow.
    let depth: Int

    package struct State: Sendable {
        /// Dropped once the node is realized and needs no gradient, so finished graphs free their memory.
        var inputs: [Node]
        var storage: Storage?
        var requiresGrad = false
        var grad: Tensor?
    }

    let state: Mutex<State>

    init(op: Op, inputs: [Node], shape: [Int], dtype: DType, device: Device, storage: Storage? = nil) {
        self.op = op
        self.shape = shape
        self.dtype = dtype
        self.device = device
        self.depth = storage != nil ? 0 : 1 + (inputs.map(\.depth).max() ?? 0)
        var state = State(inputs: inputs)
        state.storage = storage
        // Gradients flow only through floating-point results (not indices, masks or counts), and never
        // through a detach.
        if case .detach = op {} else {
            state.requiresGrad = dtype.isFloatingPoint && inputs.contains { $0.requiresGrad } && GradMode.isEnabled
        }
        self.state = Mutex(state)
    }

    /// The nodes this one is computed from (empty once realized without gradient tracking).
    package var inputs: [Node] { state.withLock { $0.inputs } }

    /// The inputs gradients flow back to: none through a detach.
    var gradientInputs: [Node] {
        if case .detach = op { return [] }
        return inputs
    }

    /// The computed data, if any.
    package var storage: Storage? { state.withLock { $0.storage } }

    /// Records the computed data; a node that needs no gradient then lets go of its inputs.
    func setStorage(_ storage: Storage) {
        state.withLock {
            $0.storage = storage
            if !$0.requiresGrad { $0.inputs = [] }
        }
    }

    /// Whether gradients flow to or through this node.
    package var requiresGrad: Bool { state.withLock { $0.requiresGrad } }

    var elementCount: Int { Shape.count(shape) }

    /// Where this node's elements will sit once computed, known without computing anything: a view's
    /// layout follows from its input's, every kernel writes a dense output.
    var plannedLayout: Layout {
        if let storage { return storage.layout }
        switch op {
        case .view(let view):
            return inputs[0].plannedLayout.applying(view) ?? Layout(contiguous: shape)
        case .detach:
            return inputs[0].plannedLayout
        default:
            return Layout(contiguous: shape)
        }
    }
}

/// A reduction over some axes of a tensor.
package enum ReduceOp: String, Hashable, Sendable {
    case sum, prod, max, min, argmax, argmin

    /// Whether the result is an index (`int64`) rather than a value.
    package var isArg: Bool { self == .argmax || self == .argmin }
}

/// A realized tensor's data: a buffer and where the elements sit in it.
package struct Storage: Sendable {
    package let buffer: Buffer
    package let layout: Layout

    package init(buffer: Buffer, layout: Layout) {
        self.buffer = buffer
        self.layout = layout
    }
}
