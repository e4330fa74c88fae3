// The CPU kernels of gather, indexSelect and maskedSelect and of their gradients.

extension Gather: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        GatherPlan(input: inputs[0].shape, index: inputs[1].shape, axis: axis, op: "gather")
            .gather(inputs[0], index: inputs[1].pointer(Int64.self), into: output.base, dtype: output.dtype)
    }
}

extension GatherBackward: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        GatherPlan(input: output.shape, index: inputs[1].shape, axis: axis, op: "gather")
            .scatterAdd(inputs[0], index: inputs[1].pointer(Int64.self), into: output.base, dtype: output.dtype)
    }
}

extension IndexSelect: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, n, inner) = axisSplit(inputs[0].shape, axis)
        let m = inputs[1].shape[0]
        let index = inputs[1].pointer(Int64.self)
        let positions = (0..<m).map { resolveIndex(index[$0], size: n, axis: axis, op: "indexSelect") }
        let bytes = inner * output.dtype.byteSize, src = inputs[0].base
        let dst = SendablePointer(output.base.assumingMemoryBound(to: UInt8.self))
        parallelRanges(outer * m, grain: Swift.max(1, 32_768 / Swift.max(bytes, 1))) { rows in
            for row in rows {
                let (o, j) = row.quotientAndRemainder(dividingBy: m)
                (dst.base + row * bytes).update(from: src.assumingMemoryBound(to: UInt8.self) + (o * n + positions[j]) * bytes,
                                                count: bytes)
            }
        }
    }
}

extension IndexAdd: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let (outer, n, inner) = axisSplit(output.shape, axis)
        let m = inputs[1].shape[0]
        let index = inputs[1].pointer(Int64.self)
        let positions = (0..<m).map { resolveIndex(index[$0], size: n, axis: axis, op: "indexSelect") }
        func run<S: StorageElement>(_: S.Type) {
            let src = inputs[0].pointer(S.self)
            let dst = SendablePointer(output.pointer(S.self))
            parallelRanges(outer, grain: Swift.max(1, 16_384 / Swift.max(m * inner, 1))) { range in
                for o in range {
                    let d = dst.base + o * n * inner
                    for i in 0..<(n * inner) { d[i] = S(double: 0) }
                    for j in 0..<m {
                        let s = src + (o * m + j) * inner, t = d + positions[j] * inner
                        for i in 0..<inner { t[i] = S(double: t[i].double + s[i].double) }
                    }
                }
            }
        }
        run(output.dtype.storageType)
    }
}

extension MaskedSelect: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let flags = inputs[1].pointer(UInt8.self), total = inputs[1].count
        let size = output.dtype.byteSize
        let src = inputs[0].base.assumingMemoryBound(to: UInt8.self)
        let dst = output.base.assumingMemoryBound(to: UInt8.self)
        var k = 0
        for i in 0..<total where flags[i] != 0 {
            (dst + k * size).update(from: src + i * size, count: size)
            k += 1
        }
    }
}

extension MaskedScatter: CPUKernel {
    func runCPU(_ inputs: [KernelArgument], output: KernelArgument) {
        let flags = inputs[1].pointer(UInt8.self), total = inputs[1].count
        func run<S: StorageElement>(_: S.Type) {
            let src = inputs[0].pointer(S.self), dst = output.pointer(S.self)
            var k = 0
            for i in 0..<total {
                if flags[i] != 0 {
                    dst[i] = src[k]
                    k += 1
                } else {
                    dst[i] = S(double: 0)
                }
            }
        }
        run(output.dtype.storageType)
    }
}

/// A dense shape seen as `[outer, size, inner]` around `axis`.
func axisSplit(_ shape: [Int], _ axis: Int) -> (outer: Int, size: Int, inner: Int) {
    (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
}

/// A possibly negative index into an axis of `size`, trapping with the op's name when out of range.
@inline(__always)
func resolveIndex(_ i: Int64, size: Int, axis: Int, op: String) -> Int {
    let j = i < 0 ? Int(i) + size : Int(i)
    check(j >= 0 && j < size, "[\(op)] index \(i) is out of range for axis \(axis) of size \(size)")
    return j
}

/// Where `gather` reads: the index tensor's shape split around the axis, and for each outer and inner
/// position of the index, the matching offset into the (dense, possibly larger) input.
struct GatherPlan {
    let outer: Int, m: Int, inner: Int
    let size: Int, stride: Int, axis: Int, op: String, inputCount: Int
    let outerOffsets: [Int], innerOffsets: [Int]

    init(input: [Int], index: [Int], axis: Int, op: String) {
        let strides = Shape.contiguousStrides(input)
        (outer, m, inner) = axisSplit(index, axis)
        size = input[axis]
        stride = strides[axis]
        self.axis = axis
        self.op = op
        inputCount = Shape.count(input)
        outerOffsets = GatherPlan.offsets(Array(index[..<axis]), Array(strides[..<axis]))
        innerOffsets = GatherPlan.offsets(Array(index[(axis + 1)...]), Array(strides[(axis + 1)...]))
    }

    /// Σ coordinate · stride for every position of `shape` in row-major order.
    static func offsets(_ shape: [Int], _ strides: [Int]) -> [Int] {
        var result = [0]
        for (n, s) in zip(shape, strides) {
            result = result.flatMap { base in (0..<n).map { base + $0 * s } }
        }
        return result
    }

    func gather(_ x: KernelArgument, index: UnsafeMutablePointer<Int64>, into out: UnsafeMutableRawPointer, dtype: DType) {
        func run<S: StorageElement>(_: S.Type) {
            let src = x.pointer(S.self)
            let dst = SendablePointer(out.bindMemory(to: S.self, capacity: outer * m * inner))
            let idx = SendablePointer(index)
            parallelRanges(outer * m, grain: Swift.max(1, 16_384 / Swift.max(inner, 1))) { rows in
                for row in rows {
                    let base = outerOffsets[row / m]
                    for i in 0..<inner {
                        let k = resolveIndex(idx.base[row * inner + i], size: size, axis: axis, op: op)
                        dst.base[row * inner + i] = src[base + k * stride + innerOffsets[i]]
                    }
                }
            }
        }
        run(dtype.storageType)
    }

    /// Adds `g` (the index's shape) into zeros of the input's shape; outer slices are disjoint, so they
    /// run in parallel.
    func scatterAdd(_ g: KernelArgument, index: UnsafeMutablePointer<Int64>, into out: UnsafeMutableRawPointer,
                    dtype: DType) {
        func run<S: StorageElement>(_: S.Type) {
            let src = g.pointer(S.self)
            let dst = SendablePointer(out.bindMemory(to: S.self, capacity: inputCount))
            for i in 0..<inputCount { dst.base[i] = S(double: 0) }
            let idx = SendablePointer(index)
            parallelRanges(outer, grain: Swift.max(1, 16_384 / Swift.max(m * inner, 1))) { range in
                for o in range {
                    let base = outerOffsets[o]
                    for j in 0..<m {
                        let row = o * m + j
                        for i in 0..<inner {
                            let k = resolveIndex(idx.base[row * inner + i], size: size, axis: axis, op: op)
                            let p = dst.base + base + k * stride + innerOffsets[i]
                            p.pointee = S(double: p.pointee.double + src[row * inner + i].double)
                        }
                    }
                }
            }
        }
        run(dtype.storageType)
    }
}
