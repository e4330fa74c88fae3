import TesseraCPUKernels

// The CPU kernels of the k-means passes: nearest centre of every row, and per-segment row sums.

extension NearestRow: CPUKernel {
    /// Distances are `‖c‖² − 2·x·c`, eight rows against eight points at a time in registers
    /// (`TesseraCPUKernels/NearestRows.swift`), with the points transposed and padded to a multiple of 8.
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (n, d, k) = (inputs[0].shape[0], inputs[0].shape[1], inputs[1].shape[0])
        let index = SendablePointer(output.pointer(Int64.self))
        func run<T: BinaryFloatingPoint & SIMDScalar>(
            _: T.Type, _ kernel: (UnsafePointer<T>, Int, Int, UnsafePointer<T>, UnsafePointer<T>, Int, UnsafeMutablePointer<Int64>) -> Void
        ) {
            let x = inputs[0].pointer(T.self), c = inputs[1].pointer(T.self)
            let padded = (k + 7) / 8 * 8
            var transposed = [T](repeating: 0, count: d * padded), norms = [T](repeating: .infinity, count: padded)
            for j in 0..<k {
                norms[j] = 0
                for p in 0..<d {
                    transposed[p * padded + j] = c[j * d + p]
                    norms[j] += c[j * d + p] * c[j * d + p]
                }
            }
            parallelRanges(n, grain: Swift.max(64, 1 << 16 / Swift.max(d * padded / 8, 1))) { rows in
                kernel(x + rows.lowerBound * d, rows.count, d, transposed, norms, padded, index.base + rows.lowerBound)
            }
        }
        if inputs[0].dtype == .float64 {
            run(Double.self, cpuHasAVX2FMA ? nearestRowsDoubleAVX2
                : { nearestRows($0, rows: $1, length: $2, points: $3, norms: $4, padded: $5, fused: false, into: $6) })
        } else {
            run(Float.self, cpuHasAVX2FMA ? nearestRowsFloatAVX2
                : { nearestRows($0, rows: $1, length: $2, points: $3, norms: $4, padded: $5, fused: false, into: $6) })
        }
    }
}

extension SegmentSum: CPUKernel {
    /// One parallel pass, each thread summing into its own float64 accumulators, merged in order.
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let n = inputs[0].shape[0], width = Shape.count(Array(inputs[0].shape.dropFirst()))
        let ids = inputs[1].pointer(Int64.self), count = self.count
        func run<S: StorageElement>(_: S.Type) {
            let x = inputs[0].pointer(S.self)
            let chunks = Swift.max(1, Swift.min(cpuThreadCount, n * width / 32_768))
            let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks * count * width)
            partial.initialize(repeating: 0, count: chunks * count * width)
            defer { partial.deallocate() }
            parallelFor(chunks) { chunk in
                let sums = partial + chunk * count * width
                for i in n * chunk / chunks..<n * (chunk + 1) / chunks {
                    let s = Int(ids[i])
                    check(s >= 0 && s < count, "[segmentSum] segment id \(s) is out of range 0..<\(count)")
                    let row = x + i * width, target = sums + s * width
                    for p in 0..<width { target[p] += row[p].double }
                }
            }
            let result = output.pointer(S.self)
            for e in 0..<count * width {
                result[e] = S(double: (0..<chunks).reduce(0) { $0 + partial[$1 * count * width + e] })
            }
        }
        switch output.dtype {
        case .float16: run(Float16.self)
        case .bfloat16: run(BFloat16.self)
        case .float32: run(Float.self)
        case .float64: run(Double.self)
        default: run(Int64.self)
        }
    }
}
