#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A caching allocator for host memory.
///
/// A fresh 400 MB `malloc` per op costs more than the op itself (page faults on first touch), so freed
/// blocks are kept, keyed by their rounded size, and handed to the next request of that size. Blocks are
/// 64-byte aligned; blocks of 2 MiB and more are advised to use transparent huge pages.
package final class CPUAllocator: BufferAllocator {
    /// The allocator every CPU buffer comes from.
    package static let shared = CPUAllocator(cacheLimit: defaultCacheLimit())

    private struct Cache {
        /// Block addresses by size (as integers: raw pointers are not Sendable).
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }

    private let cache = Mutex(Cache())
    private let cacheLimit: Int

    init(cacheLimit: Int) { self.cacheLimit = cacheLimit }

    private static func defaultCacheLimit() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && pageSize > 0 ? pages * pageSize / 4 : 1 << 30
    }

    /// Sizes are rounded so that similar requests share blocks: to 64 bytes below 1 MiB, to 64 KiB above.
    private static func rounded(_ bytes: Int) -> Int {
        let quantum = bytes < 1 << 20 ? 64 : 1 << 16
        return max(quantum, (bytes + quantum - 1) / quantum * quantum)
    }

    /// A block of at least `bytes` bytes; its contents are undefined.
    package func allocate(_ bytes: Int) -> (pointer: UnsafeMutableRawPointer, capacity: Int) {
        let size = Self.rounded(bytes)
        let reused: UInt? = cache.withLock { cache in
            guard let address = cache.free[size]?.popLast() else { return nil }
            cache.cachedBytes -= size
            return address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return (pointer, size) }
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, size) == 0, let raw else {
            fatalError("out of host memory: could not allocate \(size) bytes")
        }
        if size >= 2 << 20 { _ = madvise(raw, size, 14 /* MADV_HUGEPAGE */) }
        return (raw, size)
    }

    /// A host ``Buffer`` of at least `bytes` bytes that comes back to this allocator when freed.
    package func buffer(bytes: Int) -> Buffer {
        let (pointer, capacity) = allocate(bytes)
        return Buffer(device: .cpu, address: pointer, capacity: capacity, allocator: self)
    }

    /// Returns a block from ``allocate(_:)``; it is cached for reuse or freed when the cache is full.
    package func release(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        let address = UInt(bitPattern: pointer)
        let kept = cache.withLock { cache in
            guard cache.cachedBytes + capacity <= cacheLimit else { return false }
            cache.free[capacity, default: []].append(address)
            cache.cachedBytes += capacity
            return true
        }
        if !kept { free(pointer) }
    }

    /// Bytes held in the cache, not in use.
    package var cachedBytes: Int { cache.withLock { $0.cachedBytes } }
}
