import Testing
@testable import Tessera

/// The caching allocator hands a freed block to the next request of the same rounded size.
@Suite struct AllocatorTests {
    @Test func releasedBlockIsReusedForTheSameSize() {
        let allocator = CPUAllocator(cacheLimit: 1 << 20)
        let (first, capacity) = allocator.allocate(1000)
        #expect(capacity >= 1000 && capacity % 64 == 0)
        #expect(Int(bitPattern: first) % 64 == 0, "blocks are 64-byte aligned")
        allocator.release(first, capacity: capacity)
        #expect(allocator.cachedBytes == capacity)
        let (second, _) = allocator.allocate(1000)
        #expect(second == first)
        #expect(allocator.cachedBytes == 0)
        allocator.release(second, capacity: capacity)
    }

    @Test func cacheStaysWithinItsLimit() {
        let allocator = CPUAllocator(cacheLimit: 4096)
        let blocks = (0..<4).map { _ in allocator.allocate(2048) }
        for (pointer, capacity) in blocks { allocator.release(pointer, capacity: capacity) }
        #expect(allocator.cachedBytes == 4096, "two 2 KiB blocks kept, two freed")
    }
}
