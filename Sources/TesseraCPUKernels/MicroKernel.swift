// The GEMM micro-kernels. This module alone is compiled with AVX2+FMA on x86_64 (see Package.swift),
// so callers must check the CPU first; keeping it tiny keeps those flags away from strided loops,
// which LLVM turns into slow gathers when the whole library is built for a newer CPU.

/// Rows of C one micro-kernel call produces.
public let microKernelRows = 6

/// `C[6×16] (+)= A·B` in Float from packed panels: `a` holds `kc` columns of 6 values, `b` holds
/// `kc` rows of 16 values.
///
/// - Parameters:
///   - kc: Depth of the panels.
///   - a: Packed A panel, `6 * kc` values, k-major.
///   - b: Packed B panel, `16 * kc` values, k-major.
///   - c: Top-left element of the 6×16 tile of C.
///   - ldc: Row stride of C.
///   - accumulate: Add to C instead of overwriting it.
public func microKernelFloat6x16(
    kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    microKernel6x2(SIMD8<Float>.self, kc: kc, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
}

/// `C[6×8] (+)= A·B` in Double; the same contract as ``microKernelFloat6x16(kc:a:b:c:ldc:accumulate:)``
/// with B panels 8 values wide.
public func microKernelDouble6x8(
    kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
    c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool
) {
    microKernel6x2(SIMD4<Double>.self, kc: kc, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
}

/// A 6-row by two-vector register tile: 12 accumulators, 2 B loads and 6 broadcasts per step, which
/// fills the 16 YMM registers and keeps both FMA pipes busy (latency 4 × 2 pipes < 12 chains).
@inline(__always)
private func microKernel6x2<V: SIMD>(
    _: V.Type, kc: Int, a: UnsafePointer<V.Scalar>, b: UnsafePointer<V.Scalar>,
    c: UnsafeMutablePointer<V.Scalar>, ldc: Int, accumulate: Bool
) where V.Scalar: BinaryFloatingPoint {
    let w = V.scalarCount
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    var a = a, b = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let b0 = b.loadUnaligned(as: V.self)
        let b1 = b.loadUnaligned(fromByteOffset: MemoryLayout<V>.stride, as: V.self)
        var r = V(repeating: a[0])
        c00.addProduct(r, b0); c01.addProduct(r, b1)
        r = V(repeating: a[1])
        c10.addProduct(r, b0); c11.addProduct(r, b1)
        r = V(repeating: a[2])
        c20.addProduct(r, b0); c21.addProduct(r, b1)
        r = V(repeating: a[3])
        c30.addProduct(r, b0); c31.addProduct(r, b1)
        r = V(repeating: a[4])
        c40.addProduct(r, b0); c41.addProduct(r, b1)
        r = V(repeating: a[5])
        c50.addProduct(r, b0); c51.addProduct(r, b1)
        a += 6
        b += 2 * MemoryLayout<V>.stride
    }
    @inline(__always) func store(_ lo: V, _ hi: V, row: Int) {
        let p = UnsafeMutableRawPointer(c + row * ldc)
        let offset = w * MemoryLayout<V.Scalar>.stride
        var lo = lo, hi = hi
        if accumulate {
            lo += p.loadUnaligned(as: V.self)
            hi += p.loadUnaligned(fromByteOffset: offset, as: V.self)
        }
        p.storeBytes(of: lo, as: V.self)
        p.storeBytes(of: hi, toByteOffset: offset, as: V.self)
    }
    store(c00, c01, row: 0); store(c10, c11, row: 1); store(c20, c21, row: 2)
    store(c30, c31, row: 3); store(c40, c41, row: 4); store(c50, c51, row: 5)
}
