import TesseraCPUKernels

/// The two passes of a k-means (Lloyd) step as tensor ops: the nearest centre of every row, and the
/// sum of the rows of each cluster.
extension Tensor {
    /// For every row of a `[n, d]` matrix, the index of the nearest row of `points` (`[k, d]`) by
    /// squared Euclidean distance; the first (lowest index) on ties.
    ///
    /// One pass over `self`: distances are `‖c‖² − 2·x·c` (`‖x‖²` is the same for every point), eight rows
    /// against eight points at a time in registers, and never stored (scikit-learn's
    /// `pairwise_distances_argmin`, `torch.cdist(x, c).argmin(1)` without the `[n, k]` matrix).
    /// Integers compute in float32; no gradient flows through indices.
    ///
    /// ```swift
    /// let x = Tensor([[0.0, 0], [9, 9], [1, 0]])
    /// x.nearestRow(in: Tensor([[0.0, 0], [10, 10]]))   // [0, 1, 0]
    /// ```
    ///
    /// - Parameter points: `[k, d]`, `k ≥ 1`, with `self`'s `d`.
    /// - Returns: An int64 tensor of shape `[n]`.
    ///
    /// ### See Also
    /// - ``segmentSum(_:count:)``
    public func nearestRow(in points: Tensor) -> Tensor {
        check(rank == 2 && points.rank == 2 && shape[1] == points.shape[1] && points.shape[0] >= 1,
              "[nearestRow] needs [n, d] rows and [k, d] points with k ≥ 1, got shapes \(shape) and \(points.shape)")
        let compute: DType = DType.promote(dtype, points.dtype) == .float64 ? .float64 : .float32
        let (n, d, k) = (shape[0], shape[1], points.shape[0])
        let op = CustomOp("nearest_row", forward: { inputs, out in
            let index = SendablePointer(out.bindMemory(to: Int64.self, capacity: n))
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
            if compute == .float64 {
                run(Double.self, cpuHasAVX2FMA ? nearestRowsDoubleAVX2
                    : { nearestRows($0, rows: $1, length: $2, points: $3, norms: $4, padded: $5, fused: false, into: $6) })
            } else {
                run(Float.self, cpuHasAVX2FMA ? nearestRowsFloatAVX2
                    : { nearestRows($0, rows: $1, length: $2, points: $3, norms: $4, padded: $5, fused: false, into: $6) })
            }
        })
        return withoutGrad { Tensor.custom(op, [astype(compute), points.astype(compute)], shape: [n], dtype: .int64) }
    }

    /// The sums of the rows of `self` that share a segment id: row `s` of the result adds every row `i`
    /// with `segments[i] == s` (zeros where none does), as `torch.zeros(count, d).index_add_(0, segments, x)`.
    ///
    /// One parallel pass, each thread summing into its own float64 accumulators. Floats keep their
    /// dtype, integers and bools sum as int64 (through float64, exact below 2⁵³). The gradient of row
    /// `i` is the output gradient of its segment.
    ///
    /// ```swift
    /// let x = Tensor([[1.0, 2], [3, 4], [5, 6]])
    /// x.segmentSum(Tensor([1, 0, 1]), count: 2)   // [[3, 4], [6, 8]]
    /// ```
    ///
    /// - Parameters:
    ///   - segments: An integer tensor of shape `[n]` with ids in `0..<count`.
    ///   - count: The number of segments.
    /// - Returns: Shape `[count] + shape.dropFirst()`.
    ///
    /// ### See Also
    /// - ``nearestRow(in:)``
    /// - ``indexSelect(axis:indices:)``
    public func segmentSum(_ segments: Tensor, count: Int) -> Tensor {
        check(rank >= 1 && segments.dtype.isInteger && segments.shape == [shape[0]] && count >= 0,
              "[segmentSum] needs [n] integer segment ids for shape \(shape) and count ≥ 0, got shape \(segments.shape) (\(segments.dtype)), count \(count)")
        let dtype = self.dtype.isFloatingPoint ? self.dtype : .int64
        let n = shape[0], width = Shape.count(Array(shape.dropFirst()))
        let op = CustomOp("segment_sum", forward: { inputs, out in
            let ids = inputs[1].pointer(Int64.self)
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
                let result = out.bindMemory(to: S.self, capacity: count * width)
                for e in 0..<count * width {
                    result[e] = S(double: (0..<chunks).reduce(0) { $0 + partial[$1 * count * width + e] })
                }
            }
            switch dtype {
            case .float16: run(Float16.self)
            case .bfloat16: run(BFloat16.self)
            case .float32: run(Float.self)
            case .float64: run(Double.self)
            default: run(Int64.self)
            }
        }, vjp: { g, inputs, _ in
            [g.indexSelect(axis: 0, indices: inputs[1]), nil]
        })
        return Tensor.custom(op, [astype(dtype), segments.astype(.int64)], shape: [count] + shape.dropFirst(), dtype: dtype)
    }
}
