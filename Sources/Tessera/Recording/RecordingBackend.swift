import Synchronization

/// A backend that records what would be launched on its device — each kernel with its IR, shapes and
/// inputs — and runs nothing, so tests check scheduling and fusion decisions without running kernels
/// or having the device (tinygrad's NULL device).
///
/// Install it for a device within a scope; tensors moved to that device there are "computed" by
/// recording:
///
/// ```swift
/// let recorder = RecordingBackend(device: .cuda(0))
/// Backends.using(recorder) {
///     let x = Tensor.rand([1000, 32], seed: 0, device: .cuda(0))
///     ((x - 0.5) ** 2).sum(axis: 1).sqrt().eval()
/// }
/// recorder.launches.map(\.name)   // ["random", "fused"]
/// ```
///
/// Its buffers hold no memory: reading a tensor back to the host traps with a message that says so.
package final class RecordingBackend: Backend {
    /// One kernel the backend was given.
    package enum Launch: Sendable, CustomStringConvertible {
        case fused(FusedKernel)
        case matmul(MatmulKernel)
        /// A non-elementwise op, with the layouts of its dense inputs and output.
        case op(any KernelOp, inputs: [Layout], output: Layout)
        /// A copy into this device's memory (from the host or within the device).
        case copy(bytes: Int)

        /// `fused`, `matmul`, `copy` or the op's name.
        package var name: String {
            switch self {
            case .fused: "fused"
            case .matmul: "matmul"
            case .op(let op, _, _): op.name
            case .copy: "copy"
            }
        }

        /// The shape of what the kernel writes (nil for a copy).
        package var outputShape: [Int]? {
            switch self {
            case .fused(let kernel): kernel.outputShape
            case .matmul(let kernel): kernel.outputShape
            case .op(_, _, let output): output.shape
            case .copy: nil
            }
        }

        package var description: String {
            switch self {
            case .fused(let kernel): "fused[\(kernel.opNames.joined(separator: ", "))] inputs=\(kernel.inputs.count) out=\(kernel.outputShape)"
            case .matmul(let kernel): "matmul[\(kernel.opNames.joined(separator: ", "))] out=\(kernel.outputShape)"
            case .op(let op, let inputs, let output): "\(op.name) inputs=\(inputs.map(\.shape)) out=\(output.shape)"
            case .copy(let bytes): "copy \(bytes) bytes"
            }
        }
    }

    package let device: Device
    /// The non-elementwise ops it has kernels for, by name (nil: every op).
    private let kernels: Set<String>?
    private let recorded = Mutex<[Launch]>([])

    /// A recorder standing in for `device`; `kernels` limits the non-elementwise ops it accepts (to
    /// check that a missing kernel is reported), nil accepts every op.
    package init(device: Device = .cuda(0), kernels: Set<String>? = nil) {
        self.device = device
        self.kernels = kernels
    }

    /// What was launched so far, in order.
    package var launches: [Launch] { recorded.withLock { $0 } }

    package var summary: String { "\(device): recording (runs nothing)" }

    package func allocate(bytes: Int) -> Buffer {
        Buffer(device: device, address: UnsafeMutableRawPointer(bitPattern: Self.noMemory)!, capacity: bytes,
               allocator: NoMemory())
    }

    package func copy(fromHost source: UnsafeRawPointer, to destination: Buffer, offset: Int, bytes: Int) {
        record(.copy(bytes: bytes))
    }

    package func copy(_ source: Buffer, offset: Int, toHost destination: UnsafeMutableRawPointer, bytes: Int) {
        fatalError("[recording] \(device) holds no data: a recording backend records kernels without running them")
    }

    package func copy(_ source: Buffer, offset: Int, to destination: Buffer, destinationOffset: Int, bytes: Int) {
        record(.copy(bytes: bytes))
    }

    package func run(_ kernel: FusedKernel, inputs: [Buffer], output: Buffer) { record(.fused(kernel)) }

    package func matmul(_ kernel: MatmulKernel, inputs: [Buffer], output: Buffer) { record(.matmul(kernel)) }

    package func hasKernel(for op: any KernelOp) -> Bool { kernels?.contains(op.name) ?? true }

    package func run(_ op: any KernelOp, inputs: [KernelArgument], output: KernelArgument) {
        record(.op(op, inputs: inputs.map(\.layout), output: output.layout))
    }

    package func synchronize() {}

    private func record(_ launch: Launch) { recorded.withLock { $0.append(launch) } }

    /// The address of every recording buffer: never dereferenced, since nothing runs.
    private static let noMemory: UInt = 0x1000

    /// Buffers that hold no memory give nothing back.
    private struct NoMemory: BufferAllocator {
        func release(_ address: UnsafeMutableRawPointer, capacity: Int) {}
    }
}
