import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The number of worker threads CPU kernels split their work over.
///
/// Defaults to the number of online cores; `TESSERA_NUM_THREADS` overrides it.
package let cpuThreadCount: Int = {
    if let text = getenv("TESSERA_NUM_THREADS").map({ String(cString: $0) }), let n = Int(text), n > 0 {
        return n
    }
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}()

/// Runs `body(chunk)` for every chunk in `0..<chunks` on all cores and returns when all are done.
///
/// Runs inline when there is one chunk, so small tensors never pay for a thread hop.
package func parallelFor(_ chunks: Int, _ body: (Int) -> Void) {
    if chunks <= 1 {
        if chunks == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = SharedClosure(body)
        DispatchQueue.concurrentPerform(iterations: chunks) { shared.body($0) }
    }
}

/// A closure called from several threads at once.
///
/// Invariant: callers of `parallelFor` pass bodies whose chunks touch disjoint memory (or only read).
private struct SharedClosure: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

/// Splits `0..<count` into at most `cpuThreadCount` contiguous ranges of at least `grain` items and runs
/// `body` on each range in parallel.
package func parallelRanges(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(cpuThreadCount, count / max(grain, 1)))
    parallelFor(chunks) { c in
        let lo = count * c / chunks
        let hi = count * (c + 1) / chunks
        if lo < hi { body(lo..<hi) }
    }
}

/// A raw pointer handed to worker threads.
///
/// Invariant: the workers write disjoint elements, and the owner keeps the memory alive until
/// `parallelFor` returns.
package struct SendablePointer<T>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<T>
    package init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// `memcpy` on all cores, in chunks of at least 4 MiB (below that a thread hop costs more than it saves).
package func parallelCopy(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
    guard count > 0 else { return }
    let (src, dst) = (UInt(bitPattern: source), UInt(bitPattern: destination))
    parallelRanges(count, grain: 4 << 20) { range in
        memcpy(UnsafeMutableRawPointer(bitPattern: dst + UInt(range.lowerBound))!,
               UnsafeRawPointer(bitPattern: src + UInt(range.lowerBound))!, range.count)
    }
}
