/// Where a kernel's input comes from: data that exists, or the output of an earlier kernel of the
/// same schedule.
package enum BufferRef: Sendable {
    case realized(Buffer)
    /// The output of kernel `index` of the schedule.
    case output(Int)
}

/// One kernel of a schedule: what to run, where, with which buffers, and what it writes.
package struct ScheduledKernel: Sendable {
    package let kernel: Kernel
    /// The device it runs on and its output lives on.
    package let device: Device
    /// One buffer per input slot of `kernel`.
    package let inputs: [BufferRef]
    package let outputShape: [Int]
    package let outputDType: DType
    /// The node whose data the output is (nil for a copy the scheduler inserted to densify an input).
    let node: Node?
}

/// The kernels that compute some nodes, inputs before the kernels that read them.
package struct Schedule: Sendable {
    package var kernels: [ScheduledKernel] = []
    /// Nodes whose data is another node's buffer seen through a layout (views, detaches): they get
    /// their storage once that buffer exists, and run nothing.
    var aliases: [(node: Node, buffer: BufferRef, layout: Layout)] = []
}
