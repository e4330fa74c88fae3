// The CPU kernel of random draws: RandomFill's samplers on all cores, float16/bfloat16 drawn in float32
// and rounded.

extension RandomDraw: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (p, n, dtype) = (output.base, output.count, output.dtype)
        switch distribution {
        case .integers(let low, let high):
            RandomFill.integers(seed: seed, offset: offset, low: low, high: high,
                                into: UnsafeMutableBufferPointer(start: output.pointer(Int64.self), count: n))
        case .uniform(let low, let high) where dtype == .float64:
            RandomFill.uniform(seed: seed, offset: offset, low: low, high: high,
                               into: UnsafeMutableBufferPointer(start: output.pointer(Double.self), count: n))
        case .uniform(let low, let high):
            fillNarrowed(p, count: n, dtype: dtype, upperBound: high) { buffer in
                RandomFill.uniform(seed: seed, offset: offset, low: Float(low), high: Float(high), into: buffer)
            }
        case .normal(let mean, let std) where dtype == .float64:
            RandomFill.normal(seed: seed, offset: offset, mean: mean, std: std,
                              into: UnsafeMutableBufferPointer(start: output.pointer(Double.self), count: n))
        case .normal(let mean, let std):
            fillNarrowed(p, count: n, dtype: dtype, upperBound: nil) { buffer in
                RandomFill.normal(seed: seed, offset: offset, mean: Float(mean), std: Float(std), into: buffer)
            }
        }
    }

    /// Draws float32 values with `fill` and stores them as `dtype` (float32, float16 or bfloat16) at `p`;
    /// with an `upperBound`, values that round up to it become the largest value of `dtype` below it.
    private func fillNarrowed(
        _ p: UnsafeMutableRawPointer, count: Int, dtype: DType, upperBound: Double?,
        fill: (UnsafeMutableBufferPointer<Float>) -> Void
    ) {
        if dtype == .float32 {
            fill(UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: count))
            return
        }
        let scratch = Buffer.host(bytes: count * 4)
        let floats = scratch.pointer.assumingMemoryBound(to: Float.self)
        fill(UnsafeMutableBufferPointer(start: floats, count: count))
        func store<E: StorageElement>(_: E.Type, below: (Float) -> E) {
            let out = SendablePointer(p.assumingMemoryBound(to: E.self))
            let source = SendablePointer(floats)
            let (limit, bound) = upperBound.map { (below(Float($0)), $0) } ?? (E(float: 0), Double.infinity)
            parallelRanges(count, grain: 1 << 16) { range in
                for i in range {
                    let v = E(float: source.base[i])
                    out.base[i] = v.double >= bound ? limit : v
                }
            }
        }
        switch dtype {
        case .float16:
            store(Float16.self) { high in
                let h = Float16(high)
                return Double(h) >= Double(high) ? h.nextDown : h
            }
        case .bfloat16:
            store(BFloat16.self) { high in
                let h = BFloat16(high)
                return Double(h.floatValue) >= Double(high) ? BFloat16(bitPattern: h.bitPatternBelow) : h
            }
        default:
            fatalError("[random] cannot narrow float32 to \(dtype)")
        }
    }
}

extension BFloat16 {
    /// The bits of the next bfloat16 toward negative infinity (finite, non-NaN values).
    fileprivate var bitPatternBelow: UInt16 {
        if bitPattern & 0x7FFF == 0 { return 0x8001 }           // ±0 → the negative smallest subnormal
        return bitPattern & 0x8000 == 0 ? bitPattern - 1 : bitPattern + 1
    }
}
