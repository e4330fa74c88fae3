// The nearest of k points for each row of a matrix: the inner loop of `Tensor.nearestRow(in:)`.
// The generic body is @inlinable, so Tessera inlines it as the portable fallback; the concrete entry
// points below are compiled here, with AVX2+FMA, for CPUs that have it.

/// For each of `rows` rows of `x` (`length` values each, contiguous), the index of the nearest point by
/// squared Euclidean distance, the first on ties.
///
/// The points come transposed and padded to a multiple of 8: `points[p * padded + j]` is coordinate `p`
/// of point `j`, and `norms[j]` is `‖point j‖²` (+∞ for the padding, so it never wins). `fused` uses
/// fused multiply-adds (only where the CPU has them).
@inlinable @inline(__always)
public func nearestRows<T: BinaryFloatingPoint & SIMDScalar>(
    _ x: UnsafePointer<T>, rows: Int, length d: Int, points: UnsafePointer<T>, norms: UnsafePointer<T>,
    padded: Int, fused: Bool, into out: UnsafeMutablePointer<Int64>
) {
    // Eight rows at a time against eight points at a time: eight independent accumulators hide the
    // multiply-add latency. Distances are ‖c‖² − 2·x·c (‖x‖² is the same for every point).
    let distances = UnsafeMutablePointer<T>.allocate(capacity: 64)
    defer { distances.deallocate() }
    var r = 0
    while r < rows {
        let block = min(8, rows - r)
        var best = SIMD8<T>(repeating: .infinity)
        for i in 0..<block { out[r + i] = 0 }
        // Rows past the end of a short block repeat its last row; their results are not stored.
        let x0 = x + r * d, last = block - 1
        let (x1, x2, x3) = (x0 + min(1, last) * d, x0 + min(2, last) * d, x0 + min(3, last) * d)
        let (x4, x5, x6, x7) = (x0 + min(4, last) * d, x0 + min(5, last) * d, x0 + min(6, last) * d, x0 + min(7, last) * d)
        for j in stride(from: 0, to: padded, by: 8) {
            var (a0, a1, a2, a3) = (SIMD8<T>(), SIMD8<T>(), SIMD8<T>(), SIMD8<T>())
            var (a4, a5, a6, a7) = (SIMD8<T>(), SIMD8<T>(), SIMD8<T>(), SIMD8<T>())
            @inline(__always) func multiplyAdd(_ acc: inout SIMD8<T>, _ a: T, _ c: SIMD8<T>) {
                // Without FMA hardware `addProduct` is a libm call per lane.
                if fused { acc.addProduct(SIMD8(repeating: a), c) } else { acc += SIMD8(repeating: a) * c }
            }
            for p in 0..<d {
                let c = UnsafeRawPointer(points + p * padded + j).loadUnaligned(as: SIMD8<T>.self)
                multiplyAdd(&a0, x0[p], c)
                multiplyAdd(&a1, x1[p], c)
                multiplyAdd(&a2, x2[p], c)
                multiplyAdd(&a3, x3[p], c)
                multiplyAdd(&a4, x4[p], c)
                multiplyAdd(&a5, x5[p], c)
                multiplyAdd(&a6, x6[p], c)
                multiplyAdd(&a7, x7[p], c)
            }
            // Distances to a small buffer, then a scalar scan per row: cheaper than SIMD's horizontal
            // `min()` and lane search. Strict `<` keeps the first point on ties, across groups too.
            let n = UnsafeRawPointer(norms + j).loadUnaligned(as: SIMD8<T>.self)
            let scratch = UnsafeMutableRawPointer(distances)
            @inline(__always) func store(_ sum: SIMD8<T>, _ i: Int) {
                scratch.storeBytes(of: n - 2 * sum, toByteOffset: i * MemoryLayout<SIMD8<T>>.stride, as: SIMD8<T>.self)
            }
            store(a0, 0); store(a1, 1); store(a2, 2); store(a3, 3)
            store(a4, 4); store(a5, 5); store(a6, 6); store(a7, 7)
            for i in 0..<block {
                var (value, index) = (best[i], out[r + i])
                for lane in 0..<8 where distances[i * 8 + lane] < value {
                    (value, index) = (distances[i * 8 + lane], Int64(j + lane))
                }
                (best[i], out[r + i]) = (value, index)
            }
        }
        r += block
    }
}

/// ``nearestRows(_:rows:length:points:norms:padded:fused:into:)`` for Float, compiled for AVX2+FMA on x86-64
/// (multiply-adds fused).
public func nearestRowsFloatAVX2(_ x: UnsafePointer<Float>, rows: Int, length: Int, points: UnsafePointer<Float>,
                                 norms: UnsafePointer<Float>, padded: Int, into out: UnsafeMutablePointer<Int64>) {
    nearestRows(x, rows: rows, length: length, points: points, norms: norms, padded: padded, fused: true, into: out)
}

/// ``nearestRows(_:rows:length:points:norms:padded:fused:into:)`` for Double, compiled for AVX2+FMA on x86-64
/// (multiply-adds fused).
public func nearestRowsDoubleAVX2(_ x: UnsafePointer<Double>, rows: Int, length: Int, points: UnsafePointer<Double>,
                                  norms: UnsafePointer<Double>, padded: Int, into out: UnsafeMutablePointer<Int64>) {
    nearestRows(x, rows: rows, length: length, points: points, norms: norms, padded: padded, fused: true, into: out)
}
