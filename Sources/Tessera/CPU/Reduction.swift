/// A partial reduction result: sums and products of floats accumulate in Double, integers in Int64;
/// `index` is the position of the extreme value for arg reductions.
struct Accumulator {
    var value: Double
    var integer: Int64
    var index: Int

    static func identity(_ op: ReduceOp) -> Accumulator {
        switch op {
        case .sum: Accumulator(value: 0, integer: 0, index: 0)
        case .prod: Accumulator(value: 1, integer: 1, index: 0)
        case .max, .argmax: Accumulator(value: -.infinity, integer: .min, index: -1)
        case .min, .argmin: Accumulator(value: .infinity, integer: .max, index: -1)
        }
    }
}

/// Reductions over contiguous runs of register values.
enum Reduction {
    /// Reduces `n` values at `p`; `base` is the index of the first (for arg reductions).
    static func run(_ op: ReduceOp, _ kind: ComputeKind, _ p: UnsafeRawPointer, _ n: Int, base: Int) -> Accumulator {
        switch kind {
        case .f32: floatRun(op, p.assumingMemoryBound(to: Float.self), n, base)
        case .f64: floatRun(op, p.assumingMemoryBound(to: Double.self), n, base)
        case .i64: intRun(op, p.assumingMemoryBound(to: Int64.self), n, base)
        }
    }

    /// Merges two partial results; `a` covers earlier elements than `b` (ties keep the first index).
    static func combine(_ op: ReduceOp, _ a: Accumulator, _ b: Accumulator) -> Accumulator {
        var r = a
        switch op {
        case .sum:
            r.value += b.value
            r.integer &+= b.integer
        case .prod:
            r.value *= b.value
            r.integer &*= b.integer
        case .max, .argmax:
            if b.index >= 0 && (a.index < 0 || isGreater(b, a)) { r = b }
        case .min, .argmin:
            if b.index >= 0 && (a.index < 0 || isGreater(a, b)) { r = b }
        }
        return r
    }

    /// NaN counts as larger than everything, so max and argmax propagate it (as PyTorch does).
    private static func isGreater(_ x: Accumulator, _ y: Accumulator) -> Bool {
        if x.value.isNaN || y.value.isNaN { return x.value.isNaN && !y.value.isNaN }
        return x.value > y.value || (x.value == y.value && x.integer > y.integer)
    }

    /// Writes a finished result as element `i` of a register buffer of the reduction's output kind.
    static func write(_ acc: Accumulator, _ op: ReduceOp, _ kind: ComputeKind, to out: UnsafeMutableRawPointer, at i: Int) {
        if op.isArg {
            out.assumingMemoryBound(to: Int64.self)[i] = Int64(max(acc.index, 0))
            return
        }
        switch kind {
        case .f32: out.assumingMemoryBound(to: Float.self)[i] = Float(acc.value)
        case .f64: out.assumingMemoryBound(to: Double.self)[i] = acc.value
        case .i64: out.assumingMemoryBound(to: Int64.self)[i] = acc.integer
        }
    }

    /// Reduces `rows` consecutive runs of `length` values each into `out[0..<rows]`.
    static func rows(_ op: ReduceOp, _ kind: ComputeKind, _ p: UnsafeRawPointer, rows: Int, length: Int,
                     into out: UnsafeMutableRawPointer) {
        switch (op, kind) {
        case (.sum, .f32): sumRows(p.assumingMemoryBound(to: Float.self), rows, length, out.assumingMemoryBound(to: Float.self))
        case (.sum, .f64): sumRows(p.assumingMemoryBound(to: Double.self), rows, length, out.assumingMemoryBound(to: Double.self))
        default:
            let stride = length * kind.byteSize
            for r in 0..<rows { write(run(op, kind, p + r * stride, length, base: 0), op, kind, to: out, at: r) }
        }
    }

    /// Like ``rows(_:_:_:rows:length:into:)`` for a ``FoldedReduction``: `sum(a * b)` or
    /// `sum((a - b)²)` per row, without materializing the elementwise values.
    static func foldedRows(_ fold: FoldedReduction.Kind, _ kind: ComputeKind, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer,
                           rows: Int, length: Int, into out: UnsafeMutableRawPointer) {
        func floats<T: BinaryFloatingPoint & SIMDScalar>(_: T.Type) {
            let x = a.assumingMemoryBound(to: T.self), y = b.assumingMemoryBound(to: T.self)
            let o = out.assumingMemoryBound(to: T.self)
            switch fold {
            case .dot: for r in 0..<rows { o[r] = simdDot(x + r * length, y + r * length, length) }
            case .squaredDifference: for r in 0..<rows { o[r] = simdSquaredDistance(x + r * length, y + r * length, length) }
            }
        }
        switch kind {
        case .f32: floats(Float.self)
        case .f64: floats(Double.self)
        case .i64:
            let x = a.assumingMemoryBound(to: Int64.self), y = b.assumingMemoryBound(to: Int64.self)
            let o = out.assumingMemoryBound(to: Int64.self)
            for r in 0..<rows {
                var s: Int64 = 0
                for i in r * length..<(r + 1) * length {
                    let (u, v) = fold == .dot ? (x[i], y[i]) : (x[i] &- y[i], x[i] &- y[i])
                    s &+= u &* v
                }
                o[r] = s
            }
        }
    }

    private static func floatRun<T: BinaryFloatingPoint & SIMDScalar>(
        _ op: ReduceOp, _ p: UnsafePointer<T>, _ n: Int, _ base: Int) -> Accumulator {
        var acc = Accumulator.identity(op)
        switch op {
        case .sum: acc.value = Double(simdSum(p, n))
        case .prod:
            for i in 0..<n { acc.value *= Double(p[i]) }
        case .max, .min, .argmax, .argmin:
            let wantMax = op == .max || op == .argmax
            var best = 0
            for i in 0..<n {
                let v = p[i]
                if v.isNaN {
                    best = i
                    break
                }
                if wantMax ? v > p[best] : v < p[best] { best = i }
            }
            if n > 0 {
                acc.value = Double(p[best])
                acc.index = base + best
            }
        }
        return acc
    }

    private static func intRun(_ op: ReduceOp, _ p: UnsafePointer<Int64>, _ n: Int, _ base: Int) -> Accumulator {
        var acc = Accumulator.identity(op)
        switch op {
        case .sum: for i in 0..<n { acc.integer &+= p[i] }
        case .prod: for i in 0..<n { acc.integer &*= p[i] }
        case .max, .min, .argmax, .argmin:
            let wantMax = op == .max || op == .argmax
            var best = 0
            for i in 1..<max(n, 1) where wantMax ? p[i] > p[best] : p[i] < p[best] { best = i }
            if n > 0 {
                acc.integer = p[best]
                acc.value = Double(p[best])
                acc.index = base + best
            }
        }
        return acc
    }

    private static func sumRows<T: BinaryFloatingPoint & SIMDScalar>(
        _ p: UnsafePointer<T>, _ rows: Int, _ length: Int, _ out: UnsafeMutablePointer<T>) {
        for r in 0..<rows { out[r] = simdSum(p + r * length, length) }
    }

}

/// Sum with 16 lanes of partial sums, reduced as a lowHalf + highHalf tree (`SIMD.sum()` is slow).
@inline(__always)
func simdSum<T: BinaryFloatingPoint & SIMDScalar>(_ p: UnsafePointer<T>, _ n: Int) -> T {
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

/// Dot product with 16 lanes of partial sums.
@inline(__always)
func simdDot<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
    var acc = SIMD16<T>()
    var i = 0
    while i + 16 <= n {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<T>.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<T>.self)
        acc += x * y
        i += 16
    }
    var s = horizontalSum(acc)
    while i < n {
        s += a[i] * b[i]
        i += 1
    }
    return s
}

/// Σ (a − b)² with 16 lanes of partial sums.
@inline(__always)
func simdSquaredDistance<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
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

@inline(__always)
func horizontalSum<T: BinaryFloatingPoint & SIMDScalar>(_ v: SIMD16<T>) -> T {
    let h8 = v.lowHalf + v.highHalf
    let h4 = h8.lowHalf + h8.highHalf
    let h2 = h4.lowHalf + h4.highHalf
    return h2[0] + h2[1]
}
