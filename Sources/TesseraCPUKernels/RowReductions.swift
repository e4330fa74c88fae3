// Sums, dot products and squared distances over contiguous rows: the inner loops of fused reductions.
// Each generic body is @inlinable, so Tessera inlines it as the portable fallback; the concrete entry
// points below are compiled here, with AVX2, for CPUs that have it.

/// Σ p[0..<n], with 16 lanes of partial sums reduced as a lowHalf + highHalf tree (`SIMD.sum()` is slow).
@inlinable @inline(__always)
public func simdSum<T: BinaryFloatingPoint & SIMDScalar>(_ p: UnsafePointer<T>, _ n: Int) -> T {
    var acc = SIMD16<T>()
    var i = 0
    while i + 16 <= n {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<T>.self)
        i += 16
    }
    var s = horizontalSum(acc)
    while i < n {
        s += p[i]
        i += 1
    }
    return s
}

/// Σ a[i]·b[i] with 16 lanes of partial sums.
@inlinable @inline(__always)
public func simdDot<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
    var acc = SIMD16<T>()
    var i = 0
    while i + 16 <= n {
        acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<T>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<T>.self)
        i += 16
    }
    var s = horizontalSum(acc)
    while i < n {
        s += a[i] * b[i]
        i += 1
    }
    return s
}

/// Σ (a[i] − b[i])² with 16 lanes of partial sums.
@inlinable @inline(__always)
public func simdSquaredDistance<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
    var acc = SIMD16<T>()
    var i = 0
    while i + 16 <= n {
        let d = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<T>.self) - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<T>.self)
        acc += d * d
        i += 16
    }
    var s = horizontalSum(acc)
    while i < n {
        let d = a[i] - b[i]
        s += d * d
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
        case .sum: simdSum(a, n)
        case .dot: simdDot(a, b, n)
        case .squaredDifference: simdSquaredDistance(a, b, n)
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
