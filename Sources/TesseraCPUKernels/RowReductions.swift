// Sums, dot products and squared distances over contiguous rows: the inner loops of fused reductions.
// Each generic body is @inlinable, so Tessera inlines it as the portable fallback; the concrete entry
// points below are compiled here, with AVX2, for CPUs that have it.

/// Σ f(a[i], b[i]) over `n` elements, with 16 lanes of partial sums reduced as a lowHalf + highHalf
/// tree at the end (`SIMD.sum()` is slow); `lanes` is `f` on 16 elements at once.
@inlinable @inline(__always)
public func simdAccumulate<T: BinaryFloatingPoint & SIMDScalar>(
    _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int,
    lanes: (SIMD16<T>, SIMD16<T>) -> SIMD16<T>, scalar: (T, T) -> T
) -> T {
    var acc = SIMD16<T>()
    var i = 0
    while i + 16 <= n {
        acc += lanes(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<T>.self),
                     UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<T>.self))
        i += 16
    }
    var s = horizontalSum(acc)
    while i < n {
        s += scalar(a[i], b[i])
        i += 1
    }
    return s
}

@inlinable @inline(__always)
public func horizontalSum<T: BinaryFloatingPoint & SIMDScalar>(_ v: SIMD16<T>) -> T {
    let h8 = v.lowHalf + v.highHalf
    let h4 = h8.lowHalf + h8.highHalf
    let h2 = h4.lowHalf + h4.highHalf
    return h2[0] + h2[1]
}

/// What a row reduction computes per row.
public enum RowFold: Sendable {
    /// Σ a
    case sum
    /// Σ a·b
    case dot
    /// Σ (a − b)²
    case squaredDifference

    @inlinable @inline(__always)
    func apply<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
        switch self {
        case .sum: simdAccumulate(a, a, n, lanes: { x, _ in x }, scalar: { x, _ in x })
        case .dot: simdAccumulate(a, b, n, lanes: { $0 * $1 }, scalar: { $0 * $1 })
        case .squaredDifference:
            simdAccumulate(a, b, n, lanes: { ($0 - $1) * ($0 - $1) }, scalar: { ($0 - $1) * ($0 - $1) })
        }
    }
}

/// How consecutive rows of a row reduction sit in memory: `a` and `b` advance by their own row strides,
/// so an operand that is the same for every row (a broadcast profile) is read from one place.
public struct RowLayout: Sendable {
    public var rows: Int
    public var length: Int
    public var aStride: Int
    public var bStride: Int

    public init(rows: Int, length: Int, aStride: Int, bStride: Int) {
        self.rows = rows
        self.length = length
        self.aStride = aStride
        self.bStride = bStride
    }
}

/// `out[r] = fold(a[r·aStride ..< r·aStride + length], b[r·bStride ..< …])` for every row (b is
/// ignored by `.sum`).
@inlinable @inline(__always)
public func foldRows<T: BinaryFloatingPoint & SIMDScalar>(
    _ fold: RowFold, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ layout: RowLayout, into out: UnsafeMutablePointer<T>
) {
    for r in 0..<layout.rows { out[r] = fold.apply(a + r * layout.aStride, b + r * layout.bStride, layout.length) }
}

/// ``foldRows(_:_:_:_:into:)`` for Float, compiled for AVX2 on x86-64.
public func foldRowsFloatAVX2(_ fold: RowFold, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              _ layout: RowLayout, into out: UnsafeMutablePointer<Float>) {
    foldRows(fold, a, b, layout, into: out)
}

/// ``foldRows(_:_:_:_:into:)`` for Double, compiled for AVX2 on x86-64.
public func foldRowsDoubleAVX2(_ fold: RowFold, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                               _ layout: RowLayout, into out: UnsafeMutablePointer<Double>) {
    foldRows(fold, a, b, layout, into: out)
}
