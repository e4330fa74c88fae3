// The CPU face of every elementwise primitive: loops over contiguous register values, generated from
// the primitive's `apply` (floats) and `integer` (Int64) math. Each conforming type gets its own
// specialized loops through these default implementations. Tests (bool outputs) write Int64 0/1.

extension UnaryPrimitive {
    package static func cpuKernel(_ kind: ComputeKind) -> UnaryKernel? {
        switch (kind, isPredicate) {
        case (.f32, false): return { x, out, n in map(x, out, n) { (v: Float) -> Float in apply(v) } }
        case (.f32, true): return { x, out, n in map(x, out, n) { (v: Float) -> Int64 in apply(v) != 0 ? 1 : 0 } }
        case (.f64, false): return { x, out, n in map(x, out, n) { (v: Double) -> Double in apply(v) } }
        case (.f64, true): return { x, out, n in map(x, out, n) { (v: Double) -> Int64 in apply(v) != 0 ? 1 : 0 } }
        case (.i64, _):
            guard let body = integer else { return nil }
            return { x, out, n in map(x, out, n, body) }
        }
    }
}

extension BinaryPrimitive {
    package static func cpuKernel(_ kind: ComputeKind) -> BinaryKernel? {
        switch (kind, isPredicate) {
        case (.f32, false): return { a, b, out, n in zip(a, b, out, n) { (x: Float, y: Float) -> Float in apply(x, y) } }
        case (.f32, true): return { a, b, out, n in zip(a, b, out, n) { (x: Float, y: Float) -> Int64 in apply(x, y) != 0 ? 1 : 0 } }
        case (.f64, false): return { a, b, out, n in zip(a, b, out, n) { (x: Double, y: Double) -> Double in apply(x, y) } }
        case (.f64, true): return { a, b, out, n in zip(a, b, out, n) { (x: Double, y: Double) -> Int64 in apply(x, y) != 0 ? 1 : 0 } }
        case (.i64, _):
            guard let body = integer else { return nil }
            return { a, b, out, n in zip(a, b, out, n, body) }
        }
    }
}

@inline(__always)
private func map<A, B>(_ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ n: Int, _ f: (A) -> B) {
    let src = x.assumingMemoryBound(to: A.self), dst = out.assumingMemoryBound(to: B.self)
    for i in 0..<n { dst[i] = f(src[i]) }
}

@inline(__always)
private func zip<A, B>(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, _ n: Int,
                       _ f: (A, A) -> B) {
    let x = a.assumingMemoryBound(to: A.self), y = b.assumingMemoryBound(to: A.self)
    let dst = out.assumingMemoryBound(to: B.self)
    for i in 0..<n { dst[i] = f(x[i], y[i]) }
}
