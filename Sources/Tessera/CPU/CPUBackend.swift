#if canImport(Glibc)
import Glibc
#endif

/// The CPU backend: host memory from the caching allocator, fused kernels run tile by tile on all
/// cores, matrix products through BLAS (found at run time) or the built-in GEMM, and the non-elementwise
/// kernels of `CPU/Kernels/`. Everything runs synchronously on the calling thread and the worker pool.
package final class CPUBackend: Backend {
    /// The one CPU backend.
    package static let shared = CPUBackend()

    package var device: Device { .cpu }

    package var summary: String {
        "cpu: \(cpuThreadCount) threads" + (cpuHasAVX2FMA ? ", AVX2+FMA" : "") + "; matmul: \(GEMM.backendDescription)"
    }

    package func allocate(bytes: Int) -> Buffer { CPUAllocator.shared.buffer(bytes: bytes) }

    package func copy(fromHost source: UnsafeRawPointer, to destination: Buffer, offset: Int, bytes: Int) {
        parallelCopy(from: source, to: destination.pointer + offset, count: bytes)
    }

    package func copy(_ source: Buffer, offset: Int, toHost destination: UnsafeMutableRawPointer, bytes: Int) {
        parallelCopy(from: source.pointer + offset, to: destination, count: bytes)
    }

    package func copy(_ source: Buffer, offset: Int, to destination: Buffer, destinationOffset: Int, bytes: Int) {
        parallelCopy(from: source.pointer + offset, to: destination.pointer + destinationOffset, count: bytes)
    }

    package func run(_ kernel: FusedKernel, inputs: [Buffer], output: Buffer) {
        FusedKernelExecutor.run(CPUFusedKernel(kernel, buffers: inputs), output: output.pointer)
    }

    package func matmul(_ kernel: MatmulKernel, inputs: [Buffer], output: Buffer) {
        CPUMatmul.run(kernel, inputs: inputs, output: output)
    }

    package func hasKernel(for op: any KernelOp) -> Bool { op is any CPUKernel }

    package func run(_ op: any KernelOp, inputs: [KernelArgument], output: KernelArgument) {
        guard let kernel = op as? any CPUKernel else { fatalError("[\(op.name)] has no kernel on cpu") }
        kernel.runCPU(inputs, output: output)
    }

    package func synchronize() {}
}

/// A non-elementwise op with a CPU kernel: conforming registers it with the CPU backend.
protocol CPUKernel: KernelOp {
    /// Fills the dense `output` from the dense `inputs` (host memory).
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument)
}
