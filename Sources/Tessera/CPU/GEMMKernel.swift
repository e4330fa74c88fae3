import TesseraCPUKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A register-tiled micro-kernel and the cache blocking that feeds it.
package struct GEMMKernel<T: GEMMScalar>: Sendable {
    /// Shown by ``GEMM/backendDescription``, e.g. "AVX2+FMA 6×16".
    package let name: String
    /// Rows and columns of the C tile one call computes.
    let mr: Int, nr: Int
    /// Depth of the packed panels; rows of A and columns of B packed per block (L2 and L3 sized).
    let kc: Int, mc: Int, nc: Int
    /// `C[mr×nr] (+)= packedA · packedB`: arguments are kc, the A panel (kc columns of mr values),
    /// the B panel (kc rows of nr values), C, ldc and accumulate.
    let run: @Sendable (Int, UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Bool) -> Void
}

extension Float {
    package static let gemmKernel: GEMMKernel<Float> =
        cpuHasAVX2FMA
        ? GEMMKernel(name: "\(fastKernelName) 6×16", mr: microKernelRows, nr: 16, kc: 256, mc: 144, nc: 4080,
                     run: { microKernelFloat6x16(kc: $0, a: $1, b: $2, c: $3, ldc: $4, accumulate: $5) })
        : portableGEMMKernel
    package static let portableGEMMKernel = GEMMKernel<Float>(
        name: "portable SIMD 4×8", mr: 4, nr: 8, kc: 256, mc: 128, nc: 4096,
        run: { portableMicroKernel(SIMD8<Float>.self, kc: $0, a: $1, b: $2, c: $3, ldc: $4, accumulate: $5) })
}

extension Double {
    package static let gemmKernel: GEMMKernel<Double> =
        cpuHasAVX2FMA
        ? GEMMKernel(name: "\(fastKernelName) 6×8", mr: microKernelRows, nr: 8, kc: 256, mc: 72, nc: 2040,
                     run: { microKernelDouble6x8(kc: $0, a: $1, b: $2, c: $3, ldc: $4, accumulate: $5) })
        : portableGEMMKernel
    package static let portableGEMMKernel = GEMMKernel<Double>(
        name: "portable SIMD 4×4", mr: 4, nr: 4, kc: 256, mc: 128, nc: 2048,
        run: { portableMicroKernel(SIMD4<Double>.self, kc: $0, a: $1, b: $2, c: $3, ldc: $4, accumulate: $5) })
}

/// Separate multiply and add: without FMA hardware `addingProduct` becomes a libm call per lane.
@inline(__always)
private func portableMicroKernel<V: SIMD>(
    _: V.Type, kc: Int, a: UnsafePointer<V.Scalar>, b: UnsafePointer<V.Scalar>,
    c: UnsafeMutablePointer<V.Scalar>, ldc: Int, accumulate: Bool
) where V.Scalar: FloatingPoint {
    var c0 = V(), c1 = V(), c2 = V(), c3 = V()
    var a = a, b = UnsafeRawPointer(b)
    for _ in 0..<kc {
        let bv = b.loadUnaligned(as: V.self)
        c0 += V(repeating: a[0]) * bv
        c1 += V(repeating: a[1]) * bv
        c2 += V(repeating: a[2]) * bv
        c3 += V(repeating: a[3]) * bv
        a += 4
        b += MemoryLayout<V>.stride
    }
    @inline(__always) func store(_ sum: V, row: Int) {
        let p = UnsafeMutableRawPointer(c + row * ldc)
        p.storeBytes(of: accumulate ? sum + p.loadUnaligned(as: V.self) : sum, as: V.self)
    }
    store(c0, row: 0); store(c1, row: 1); store(c2, row: 2); store(c3, row: 3)
}

#if arch(x86_64)
private let fastKernelName = "AVX2+FMA"

/// Whether the CPU (and the OS, which hides features it does not save) has AVX2 and FMA, which the
/// `TesseraCPUKernels` module is compiled for on x86-64 (GEMM micro-kernels, reduction loops).
package let cpuHasAVX2FMA: Bool = {
    #if os(Linux)
    guard let file = fopen("/proc/cpuinfo", "r") else { return false }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0, let text = line.map({ String(cString: $0) }) {
        guard text.hasPrefix("flags") else { continue }
        let flags = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
        return flags.contains("avx2") && flags.contains("fma")
    }
    return false
    #elseif os(macOS)
    func sysctlFlag(_ name: String) -> Bool {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
    }
    return sysctlFlag("hw.optional.avx2_0") && sysctlFlag("hw.optional.fma")
    #else
    return false
    #endif
}()
#else
// Elsewhere the kernel module is built without extra flags, so its SIMD code runs on any CPU.
private let fastKernelName = "SIMD"
package let cpuHasAVX2FMA = true
#endif
