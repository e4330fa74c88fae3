/// A device's runtime: its memory, copies in and out, and the kernels the scheduler hands it.
///
/// Each backend is one folder with one entry type (`CPU/CPUBackend.swift`,
/// `Recording/RecordingBackend.swift`); a device plugs in by conforming and registering with
/// ``Backends``. The scheduler never runs anything itself: it turns a graph into ``Kernel``s and the
/// runtime passes each to the backend of the device it computes on, in order. A backend may run them
/// asynchronously; copies to the host and ``synchronize()`` wait for what came before.
package protocol Backend: AnyObject, Sendable {
    /// The device this backend computes on.
    var device: Device { get }

    /// One line for `tessera doctor`: what computes here and with which libraries.
    var summary: String { get }

    /// A new buffer of at least `bytes` bytes (at least one); its contents are undefined.
    func allocate(bytes: Int) -> Buffer

    /// Copies `bytes` bytes from host memory into `destination`, starting `offset` bytes in.
    func copy(fromHost source: UnsafeRawPointer, to destination: Buffer, offset: Int, bytes: Int)

    /// Copies `bytes` bytes, starting `offset` bytes into `source`, to host memory.
    func copy(_ source: Buffer, offset: Int, toHost destination: UnsafeMutableRawPointer, bytes: Int)

    /// Copies `bytes` bytes between two buffers of this device.
    func copy(_ source: Buffer, offset: Int, to destination: Buffer, destinationOffset: Int, bytes: Int)

    /// Runs a fused elementwise/reduction kernel: `inputs` are bound to its slots in order, and the
    /// dense output of `kernel.outputShape` is written to `output`.
    func run(_ kernel: FusedKernel, inputs: [Buffer], output: Buffer)

    /// Runs a matrix product and its epilogue into the dense `output`.
    func matmul(_ kernel: MatmulKernel, inputs: [Buffer], output: Buffer)

    /// Whether this backend has a kernel for `op` (the scheduler asks before anything runs).
    func hasKernel(for op: any KernelOp) -> Bool

    /// Runs a non-elementwise op on dense inputs into the dense `output`.
    func run(_ op: any KernelOp, inputs: [KernelArgument], output: KernelArgument)

    /// Waits until everything given to this backend so far has finished.
    func synchronize()
}
