#if canImport(Glibc)
import Glibc
#endif
import Synchronization

extension Node {
    /// Computes this node's data (and whatever it needs first) unless it exists already.
    @discardableResult
    func realize() -> Storage {
        if let storage { return storage }
        let start = KernelTrace.isActive ? monotonicSeconds() : 0
        let storage: Storage
        var record: KernelRecord?
        switch op {
        case .data:
            fatalError("a data node has no storage")
        case .full(let value):
            storage = Node.filled(value, shape: shape, dtype: dtype)
            record = KernelRecord(name: "fill", ops: ["fill"], outputShape: shape, inputs: 0)
        case .view(let view):
            let input = inputs[0]
            let source = input.realize()
            if let layout = source.layout.applying(view) {
                storage = Storage(buffer: source.buffer, layout: layout)
            } else {
                let copy = Tensor(node: input).contiguousCopy().node.realize()
                storage = Storage(buffer: copy.buffer, layout: copy.layout.applying(view)!)
            }
        case .custom(let custom):
            // Custom kernels get dense inputs: one layout to handle, and a copy is cheap next to them.
            let arguments = inputs.map { KernelArgument(storage: Tensor(node: $0).contiguous().node.realize(), dtype: $0.dtype) }
            let buffer = Buffer(bytes: max(1, elementCount * dtype.byteSize))
            if elementCount > 0 { custom.forward(arguments, buffer.pointer) }
            storage = Storage(buffer: buffer, layout: Layout(contiguous: shape))
            record = KernelRecord(name: custom.name, ops: [custom.name], outputShape: shape, inputs: arguments.count)
        case .unary, .binary, .select, .cast, .reduce:
            let kernel = FusionPlanner.plan(self)
            storage = FusedKernelExecutor.run(kernel)
            record = KernelRecord(name: "fused", ops: kernel.opNames, outputShape: shape, inputs: kernel.inputs.count)
        }
        if var record, KernelTrace.isActive {
            record.seconds = monotonicSeconds() - start
            KernelTrace.log(record)
        }
        setStorage(storage)
        return storage
    }

    /// A buffer of `shape` with every element `value`.
    static func filled(_ value: Double, shape: [Int], dtype: DType) -> Storage {
        let count = Shape.count(shape)
        let buffer = Buffer(bytes: max(1, count * dtype.byteSize))
        dtype.visit(Fill(pointer: buffer.pointer, count: count, value: value))
        return Storage(buffer: buffer, layout: Layout(contiguous: shape))
    }

    private struct Fill: StorageVisitor {
        let pointer: UnsafeMutableRawPointer, count: Int, value: Double

        func visit<S: StorageElement>(_: S.Type) {
            let p = SendablePointer(pointer.bindMemory(to: S.self, capacity: count))
            let v = S(double: value)
            parallelRanges(count, grain: 1 << 16) { range in
                for i in range { p.base[i] = v }
            }
        }
    }
}

/// One kernel that ran: what it fused, its output shape, and (when traced) how long it took.
public struct KernelRecord: Sendable, CustomStringConvertible {
    /// `fused` for generated elementwise/reduction kernels, else the custom kernel's name (`matmul`, …).
    public let name: String
    /// The ops the kernel computed, in order.
    public let ops: [String]
    /// The shape of what it wrote.
    public let outputShape: [Int]
    /// How many tensors it read.
    public let inputs: Int
    /// Wall time in seconds.
    public var seconds: Double = 0

    public var description: String {
        let ms = (seconds * 1e5).rounded() / 100
        return "\(name)[\(ops.joined(separator: ", "))] inputs=\(inputs) out=\(outputShape) \(ms) ms"
    }
}

/// Records the kernels that run: `TESSERA_DEBUG=1` prints each one to stderr, and
/// ``KernelTrace/record(_:)`` collects them for tests and tools.
public enum KernelTrace {
    private static let printing: Bool = getenv("TESSERA_DEBUG").map { atoi($0) >= 1 } ?? false
    private static let recorders = Mutex<[Int: [KernelRecord]]>([:])
    private static let active = Atomic<Int>(0)
    private static let nextID = Atomic<Int>(0)

    static var isActive: Bool { printing || active.load(ordering: .relaxed) > 0 }

    static func log(_ record: KernelRecord) {
        if printing {
            var line = "tessera: kernel \(record)\n"
            line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        }
        recorders.withLock { all in
            for key in all.keys { all[key]!.append(record) }
        }
    }

    /// Runs `body` and returns every kernel that ran meanwhile (on any thread), in order.
    ///
    /// ```swift
    /// let kernels = KernelTrace.record { _ = ((x - r) ** 2).sum(axis: 1).sqrt().eval() }
    /// kernels.count   // 1
    /// ```
    public static func record(_ body: () throws -> Void) rethrows -> [KernelRecord] {
        let id = nextID.add(1, ordering: .relaxed).newValue
        recorders.withLock { $0[id] = [] }
        active.add(1, ordering: .relaxed)
        defer { active.subtract(1, ordering: .relaxed) }
        try body()
        return recorders.withLock { $0.removeValue(forKey: id) ?? [] }
    }
}

/// Seconds from a monotonic clock.
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
