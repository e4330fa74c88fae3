/// A non-elementwise operation that runs as its own kernel: sort, gather, concat, cumsum, …
///
/// A conforming type holds the op's parameters as plain values (an axis, sizes, a flag); the op's public
/// function checks shapes and dtypes when it builds the node, and each backend registers the kernel
/// that runs it (the CPU's are in `CPU/Kernels/`). A backend that lacks the kernel makes scheduling fail
/// with `[argsort] has no kernel on cuda:0`; nothing falls back silently.
package protocol KernelOp: Sendable {
    /// The op's name in messages and traces (`argsort`, `gather`, …).
    var name: String { get }

    /// Gradients for each input (nil where none flows), given the output gradient `g`, the inputs and
    /// the output; written with tensor ops, so they are scheduled and fused like the forward pass.
    func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?]
}

extension KernelOp {
    /// No gradient flows through ops whose outputs are indices or counts.
    package func vjp(_ g: Tensor, _ inputs: [Tensor], _ output: Tensor) -> [Tensor?] { inputs.map { _ in nil } }
}
