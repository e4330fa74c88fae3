// The CPU kernels of concat and of slice scattering (constant padding, the gradient of slicing).

extension Concat: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, total, inner) = axisSplit(output.shape, axis)
        let size = output.dtype.byteSize, rowBytes = total * inner * size
        let dst = SendablePointer(output.base.assumingMemoryBound(to: UInt8.self))
        parallelRanges(outer, grain: Swift.max(1, 65_536 / Swift.max(rowBytes, 1))) { range in
            for o in range {
                var at = dst.base + o * rowBytes
                for (input, n) in zip(inputs, sizes) where n > 0 {
                    let bytes = n * inner * size
                    at.update(from: input.base.assumingMemoryBound(to: UInt8.self) + o * bytes, count: bytes)
                    at += bytes
                }
            }
        }
    }
}

extension SliceScatter: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        CPUFill.fill(output.base, count: output.count, with: fill, dtype: output.dtype)
        let target = Layout(contiguous: output.shape).applying(.slice(slices))!
        StridedCopy.scatter(inputs[0].base, elementSize: output.dtype.byteSize, into: output.base, layout: target)
    }
}

/// Filling host memory with one value, on all cores.
enum CPUFill {
    /// Writes `value` (converted to `dtype`) to `count` elements at `pointer`.
    static func fill(_ pointer: UnsafeMutableRawPointer, count: Int, with value: Double, dtype: DType) {
        dtype.visit(Fill(pointer: pointer, count: count, value: value))
    }

    private struct Fill: StorageVisitor {
        let pointer: UnsafeMutableRawPointer, count: Int, value: Double

        func visit<S: StorageElement>(_: S.Type) {
            let p = SendablePointer(pointer.bindMemory(to: S.self, capacity: count))
            let v = S(double: value)
            parallelRanges(count, grain: 1 << 16) { range in
                for i in range { p.base[i] = v }
            }
        }
    }
}
