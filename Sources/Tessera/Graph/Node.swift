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
    /// A kernel that is not elementwise (matmul, sort, gather, concat, …) with its own gradient.
    case custom(CustomOp)
}

/// A node of the lazy graph: an op, its inputs, and the shape and dtype checked when it was built.
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

    init(op: Op, inputs: [Node], shape: [Int], dtype: DType, device: Device = .cpu, storage: Storage? = nil) {
        self.op = op
        self.shape = shape
        self.dtype = dtype
        self.device = device
        self.depth = storage != nil ? 0 : 1 + (inputs.map(\.depth).max() ?? 0)
        var state = State(inputs: inputs)
        state.storage = storage
        // Gradients flow only through floating-point results (not indices, masks or counts).
        state.requiresGrad = dtype.isFloatingPoint && inputs.contains { $0.requiresGrad } && GradMode.isEnabled
        self.state = Mutex(state)
    }

    /// The nodes this one is computed from (empty once realized without gradient tracking).
    package var inputs: [Node] { state.withLock { $0.inputs } }

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
}

/// A reduction over some axes of a tensor.
package enum ReduceOp: String, Sendable {
    case sum, prod, max, min, argmax, argmin

    /// Whether the result is an index (`int64`) rather than a value.
    var isArg: Bool { self == .argmax || self == .argmin }
}

/// A kernel that is not elementwise — matmul, sort, gather, concat, … — with its own gradient rule.
package struct CustomOp: Sendable {
    package let name: String
    /// Fills `output` (contiguous, the node's shape and dtype) from the realized inputs.
    let forward: @Sendable (_ inputs: [KernelArgument], _ output: UnsafeMutableRawPointer) -> Void
    /// Gradients for each input (nil where none flows), given the output gradient, inputs and output.
    let vjp: (@Sendable (_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?])?

    init(_ name: String,
         forward: @escaping @Sendable ([KernelArgument], UnsafeMutableRawPointer) -> Void,
         vjp: (@Sendable (Tensor, [Tensor], Tensor) -> [Tensor?])? = nil) {
        self.name = name
        self.forward = forward
        self.vjp = vjp
    }
}

/// A realized input handed to a custom kernel.
package struct KernelArgument: Sendable {
    package let storage: Storage
    package let dtype: DType

    package var layout: Layout { storage.layout }
    package var shape: [Int] { storage.layout.shape }

    /// The address of element `[0, 0, …]`.
    package var base: UnsafeMutableRawPointer { storage.buffer.pointer + storage.layout.offset * dtype.byteSize }

    /// The address of element `[0, 0, …]`, typed.
    package func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { base.assumingMemoryBound(to: T.self) }
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
