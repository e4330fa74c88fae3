/// Gives a buffer's memory back when the buffer is freed: a backend's allocator.
package protocol BufferAllocator: Sendable {
    /// Returns memory that ``Backend/allocate(bytes:)`` handed out.
    func release(_ address: UnsafeMutableRawPointer, capacity: Int)
}

/// A block of memory on one device that holds the elements of one or more tensors (views share it).
///
/// On the CPU `address` is a host pointer; on another device it is that device's address (a CUDA
/// `CUdeviceptr`), which only its backend may dereference.
package final class Buffer: @unchecked Sendable {
    /// The device the memory is on.
    package let device: Device
    /// The start of the block; written only by the kernel that fills it, before any reader sees it.
    package let address: UnsafeMutableRawPointer
    /// Usable bytes.
    package let capacity: Int
    private let allocator: any BufferAllocator

    /// Wraps memory from `allocator`, which gets it back when the buffer is freed.
    package init(device: Device, address: UnsafeMutableRawPointer, capacity: Int, allocator: any BufferAllocator) {
        self.device = device
        self.address = address
        self.capacity = capacity
        self.allocator = allocator
    }

    deinit { allocator.release(address, capacity: capacity) }

    /// The host address of the block; traps when it is not host memory.
    package var pointer: UnsafeMutableRawPointer {
        check(device == .cpu, "[buffer] memory on \(device) has no host address")
        return address
    }

    /// A new uninitialized host buffer of at least `bytes` bytes, from the CPU's caching allocator.
    package static func host(bytes: Int) -> Buffer { CPUAllocator.shared.buffer(bytes: bytes) }
}
