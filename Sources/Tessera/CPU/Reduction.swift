import TesseraCPUKernels

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

    /// Adds `count` values (element `j` belongs to column `(firstColumn + j) % columns`) into per-column
    /// accumulators; sums and products of floats accumulate in Double.
    static func accumulateColumns(_ op: ReduceOp, _ kind: ComputeKind, _ p: UnsafeRawPointer, count: Int,
                                  firstColumn: Int, columns: Int, into acc: UnsafeMutablePointer<Accumulator>) {
        @inline(__always)
        func walk<T>(_: T.Type, _ add: (inout Accumulator, T) -> Void) {
            let values = p.assumingMemoryBound(to: T.self)
            var column = firstColumn
            for j in 0..<count {
                add(&acc[column], values[j])
                column += 1
                if column == columns { column = 0 }
            }
        }
        func floats<T: BinaryFloatingPoint>(_ type: T.Type) {
            switch op {
            case .sum: sumColumns(p.assumingMemoryBound(to: T.self), count: count, firstColumn: firstColumn,
                                  columns: columns, into: acc)
            case .prod: walk(type) { $0.value *= Double($1) }
            case .max, .min:
                let wantMax = op == .max
                walk(type) { a, x in
                    let v = Double(x)
                    if a.index < 0 || (!a.value.isNaN && (v.isNaN || (wantMax ? v > a.value : v < a.value))) {
                        a.value = v
                        a.index = 0
                    }
                }
            case .argmax, .argmin: fatalError("arg reductions never take the column path")
            }
        }
        switch kind {
        case .f32: floats(Float.self)
        case .f64: floats(Double.self)
        case .i64:
            switch op {
            case .sum: walk(Int64.self) { $0.integer &+= $1 }
            case .prod: walk(Int64.self) { $0.integer &*= $1 }
            case .max: walk(Int64.self) { a, v in if a.index < 0 || v > a.integer { (a.integer, a.value, a.index) = (v, Double(v), 0) } }
            case .min: walk(Int64.self) { a, v in if a.index < 0 || v < a.integer { (a.integer, a.value, a.index) = (v, Double(v), 0) } }
            case .argmax, .argmin: fatalError("arg reductions never take the column path")
            }
        }
    }

    /// The sum case of ``accumulateColumns(_:_:_:count:firstColumn:columns:into:)``: whole rows are added
    /// with a plain loop over the columns, which vectorizes.
    private static func sumColumns<T: BinaryFloatingPoint>(_ values: UnsafePointer<T>, count: Int, firstColumn: Int,
                                                           columns: Int, into acc: UnsafeMutablePointer<Accumulator>) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: columns) { sums in
            sums.initialize(repeating: 0)
            var j = 0, column = firstColumn
            while j < count && column != 0 {  // the rest of a row begun in the previous tile
                sums[column] += Double(values[j])
                j += 1
                column = column + 1 == columns ? 0 : column + 1
            }
            while j + columns <= count {
                for c in 0..<columns { sums[c] += Double(values[j + c]) }
                j += columns
            }
            for c in 0..<(count - j) { sums[c] += Double(values[j + c]) }
            for c in 0..<columns { acc[c].value += sums[c] }
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
        case (.sum, .f32), (.sum, .f64):
            foldedRows(.sum, kind, p, p, RowLayout(rows: rows, length: length, aStride: length, bStride: length), into: out)
        default:
            let stride = length * kind.byteSize
            for r in 0..<rows { write(run(op, kind, p + r * stride, length, base: 0), op, kind, to: out, at: r) }
        }
    }

    /// `out[r] = fold(row r of a, row r of b)` for `rows` rows of `length` values: a sum, or a sum
    /// folded with the products or squared differences before it (see ``FoldedReduction``), using the
    /// AVX2 build of the loop when the CPU has it.
    static func foldedRows(_ fold: RowFold, _ kind: ComputeKind, _ a: UnsafeRawPointer, _ b: UnsafeRawPointer,
                           _ layout: RowLayout, into out: UnsafeMutableRawPointer) {
        switch kind {
        case .f32:
            let (x, y, o) = (a.assumingMemoryBound(to: Float.self), b.assumingMemoryBound(to: Float.self), out.assumingMemoryBound(to: Float.self))
            if cpuHasAVX2FMA { foldRowsFloatAVX2(fold, x, y, layout, into: o) } else { foldRows(fold, x, y, layout, into: o) }
        case .f64:
            let (x, y, o) = (a.assumingMemoryBound(to: Double.self), b.assumingMemoryBound(to: Double.self), out.assumingMemoryBound(to: Double.self))
            if cpuHasAVX2FMA { foldRowsDoubleAVX2(fold, x, y, layout, into: o) } else { foldRows(fold, x, y, layout, into: o) }
        case .i64:
            let x = a.assumingMemoryBound(to: Int64.self), y = b.assumingMemoryBound(to: Int64.self)
            let o = out.assumingMemoryBound(to: Int64.self)
            for r in 0..<layout.rows {
                let (u, v) = (x + r * layout.aStride, y + r * layout.bStride)
                var s: Int64 = 0
                for i in 0..<layout.length {
                    switch fold {
                    case .sum: s &+= u[i]
                    case .dot: s &+= u[i] &* v[i]
                    case .squaredDifference: s &+= (u[i] &- v[i]) &* (u[i] &- v[i])
                    }
                }
                o[r] = s
            }
        }
    }

    private static func floatRun<T: BinaryFloatingPoint & SIMDScalar>(
        _ op: ReduceOp, _ p: UnsafePointer<T>, _ n: Int, _ base: Int) -> Accumulator {
        var acc = Accumulator.identity(op)
        switch op {
        case .sum:
            var total: T = 0
            foldedRows(.sum, T.self == Float.self ? .f32 : .f64, p, p, RowLayout(rows: 1, length: n, aStride: n, bStride: n), into: &total)
            acc.value = Double(total)
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


}
