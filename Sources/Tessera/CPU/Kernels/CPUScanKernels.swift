// The CPU kernels of cumsum and cumprod, and cumprod's gradient: one lane at a time along the axis,
// lanes split over the cores.

extension CumulativeSum: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, n, inner) = axisSplit(inputs[0].shape, axis)
        let reverse = self.reverse
        func run<S: StorageElement>(_: S.Type) {
            let src = inputs[0].pointer(S.self)
            let dst = SendablePointer(output.pointer(S.self))
            let isFloat = S.dtype.isFloatingPoint
            parallelRanges(outer, grain: Swift.max(1, 32_768 / Swift.max(n * inner, 1))) { range in
                for o in range {
                    let s = src + o * n * inner, d = dst.base + o * n * inner
                    for step in 0..<n {
                        let j = reverse ? n - 1 - step : step, prev = reverse ? j + 1 : j - 1
                        for i in 0..<inner {
                            let x = s[j * inner + i]
                            if step == 0 {
                                d[j * inner + i] = x
                            } else if isFloat {
                                d[j * inner + i] = S(double: d[prev * inner + i].double + x.double)
                            } else {
                                d[j * inner + i] = S(int64: d[prev * inner + i].int64 &+ x.int64)
                            }
                        }
                    }
                }
            }
        }
        run(output.dtype.storageType)
    }
}

extension CumulativeProduct: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, n, inner) = axisSplit(inputs[0].shape, axis)
        func run<S: StorageElement>(_: S.Type) {
            let src = inputs[0].pointer(S.self)
            let dst = SendablePointer(output.pointer(S.self))
            let isFloat = S.dtype.isFloatingPoint
            parallelRanges(outer, grain: Swift.max(1, 32_768 / Swift.max(n * inner, 1))) { range in
                for o in range {
                    let s = src + o * n * inner, d = dst.base + o * n * inner
                    for i in 0..<inner where n > 0 { d[i] = s[i] }
                    for j in 1..<Swift.max(n, 1) {
                        for i in 0..<inner {
                            let (prev, x) = (d[(j - 1) * inner + i], s[j * inner + i])
                            d[j * inner + i] = isFloat ? S(double: prev.double * x.double) : S(int64: prev.int64 &* x.int64)
                        }
                    }
                }
            }
        }
        run(output.dtype.storageType)
    }
}

extension CumulativeProductBackward: CPUKernel {
    /// Per lane: the exclusive prefix products forward, the sums Sₖ backward, in float64.
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, n, inner) = axisSplit(inputs[0].shape, axis)
        func run<S: StorageElement>(_: S.Type) {
            let x = inputs[0].pointer(S.self), g = inputs[1].pointer(S.self)
            let dst = SendablePointer(output.pointer(S.self))
            parallelRanges(outer * inner, grain: Swift.max(1, 16_384 / Swift.max(n, 1))) { lanes in
                var prefix = [Double](repeating: 0, count: n)
                for lane in lanes {
                    let (o, i) = lane.quotientAndRemainder(dividingBy: inner)
                    let base = o * n * inner + i
                    var running = 1.0
                    for j in 0..<n {
                        prefix[j] = running
                        running *= x[base + j * inner].double
                    }
                    var sum = 0.0
                    for j in stride(from: n - 1, through: 0, by: -1) {
                        sum = g[base + j * inner].double + (j + 1 < n ? x[base + (j + 1) * inner].double * sum : 0)
                        dst.base[base + j * inner] = S(double: prefix[j] * sum)
                    }
                }
            }
        }
        run(output.dtype.storageType)
    }
}
