#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One kernel that ran: what it fused, its output shape, where it ran and (when traced) how long it took.
public struct KernelRecord: Sendable, CustomStringConvertible {
    /// `fused` for generated elementwise/reduction kernels, `matmul`, `copy`, or the op's name (`argsort`, …).
    public let name: String
    /// The ops the kernel computed, in order.
    public let ops: [String]
    /// The shape of what it wrote.
    public let outputShape: [Int]
    /// How many tensors it read.
    public let inputs: Int
    /// The device it ran on.
    public let device: Device
    /// Wall time in seconds, until the device had finished it.
    public var seconds: Double = 0

    public var description: String {
        let ms = (seconds * 1e5).rounded() / 100
        return "\(name)[\(ops.joined(separator: ", "))] inputs=\(inputs) out=\(outputShape) on \(device) \(ms) ms"
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
