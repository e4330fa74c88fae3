#if canImport(Glibc)
import Glibc
#endif

/// Matrix products on the CPU: one GEMM per batch element (BLAS when loaded, else the built-in kernel; an
/// exact int64 loop for integers), then the epilogue tile by tile over the product, in place when the
/// output has the product's dtype.
enum CPUMatmul {
    static func run(_ kernel: MatmulKernel, inputs: [Buffer], output: Buffer) {
        let dtype = kernel.productDType
        let a = KernelArgument(buffer: inputs[0], dtype: dtype, layout: kernel.inputs[0].layout)
        let b = KernelArgument(buffer: inputs[1], dtype: dtype, layout: kernel.inputs[1].layout)
        guard let epilogue = kernel.epilogue else {
            gemmBatches(a, b, kernel.shape, out: output.pointer, dtype: dtype)
            return
        }
        let count = Shape.count(kernel.outputShape)
        let product = kernel.outputDType == dtype ? output : Buffer.host(bytes: count * dtype.byteSize)
        gemmBatches(a, b, kernel.shape, out: product.pointer, dtype: dtype)
        let bound = zip(kernel.inputs, inputs).map { input, buffer in
            CPUInput(base: buffer.pointer + input.layout.offset * input.dtype.byteSize, dtype: input.dtype,
                     strides: input.layout.strides)
        }
        FusedKernelExecutor.runEpilogue(CPURegion(epilogue, order: Array(epilogue.shape.indices)), inputs: bound,
                                        produced: product.pointer, producedKind: dtype.computeKind, count: count,
                                        output: output.pointer, outputDType: kernel.outputDType)
    }

    /// Runs one GEMM per batch element of dense operands; operands broadcast along batch axes of size 1.
    private static func gemmBatches(_ a: KernelArgument, _ b: KernelArgument, _ shape: MatmulShape,
                                    out: UnsafeMutableRawPointer, dtype: DType) {
        let (batch, m, n, k) = (shape.batch, shape.m, shape.n, shape.k)
        func offsets(_ operand: [Int]) -> [Int] {
            let own = Array(operand.dropLast(2))
            let strides = Shape.contiguousStrides(own)
            let lead = batch.count - own.count
            return (0..<Shape.count(batch)).map { flat in
                var rest = flat, offset = 0
                for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                    let i = rest % batch[axis]
                    rest /= batch[axis]
                    if axis >= lead && own[axis - lead] != 1 { offset += i * strides[axis - lead] }
                }
                return offset
            }
        }
        guard k > 0 else {
            memset(out, 0, Shape.count(batch) * m * n * dtype.byteSize)  // an empty sum is zero
            return
        }
        let offsetsA = offsets(a.shape), offsetsB = offsets(b.shape)
        func run<T: GEMMScalar>(_: T.Type) {
            let pa = a.pointer(T.self), pb = b.pointer(T.self), pc = out.assumingMemoryBound(to: T.self)
            for (i, (oa, ob)) in zip(offsetsA, offsetsB).enumerated() {
                GEMM.multiply(m: m, n: n, k: k,
                              a: pa + oa * m * k, lda: shape.transposeA ? m : k, transA: shape.transposeA,
                              b: pb + ob * k * n, ldb: shape.transposeB ? k : n, transB: shape.transposeB,
                              c: pc + i * m * n, ldc: n, accumulate: false)
            }
        }
        switch dtype {
        case .float64: run(Double.self)
        case .int64:
            let (pa, pb, pc) = (a.pointer(Int64.self), b.pointer(Int64.self), out.assumingMemoryBound(to: Int64.self))
            for (i, (oa, ob)) in zip(offsetsA, offsetsB).enumerated() {
                integerGEMM(pa + oa * m * k, pb + ob * k * n, pc + i * m * n, m: m, n: n, k: k,
                            transA: shape.transposeA, transB: shape.transposeB)
            }
        default: run(Float.self)
        }
    }

    /// Exact int64 `C = op(A) · op(B)`, wrapping on overflow like NumPy's integer matmul: rows of C
    /// over the cores, each built from rows of B.
    private static func integerGEMM(_ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>, _ c: UnsafeMutablePointer<Int64>,
                                    m: Int, n: Int, k: Int, transA: Bool, transB: Bool) {
        let (pa, pb, pc) = (SendablePointer(UnsafeMutablePointer(mutating: a)), SendablePointer(UnsafeMutablePointer(mutating: b)),
                            SendablePointer(c))
        parallelRanges(m, grain: Swift.max(1, 1 << 16 / Swift.max(n * k, 1))) { rows in
            for i in rows {
                let row = pc.base + i * n
                row.update(repeating: 0, count: n)
                for p in 0..<k {
                    let x = transA ? pa.base[p * m + i] : pa.base[i * k + p]
                    if x == 0 { continue }
                    if transB {
                        for j in 0..<n { row[j] &+= x &* pb.base[j * k + p] }
                    } else {
                        let other = pb.base + p * n
                        for j in 0..<n { row[j] &+= x &* other[j] }
                    }
                }
            }
        }
    }
}
