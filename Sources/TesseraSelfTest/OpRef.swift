/// A row-major float64 array with the handful of NumPy operations the op references need: the
/// independent float64 side of every op-table check.
package struct OpRef: Sendable {
    package var shape: [Int]
    package var data: [Double]

    package init(shape: [Int], data: [Double]) {
        precondition(shape.reduce(1, *) == data.count, "OpRef: shape \(shape) vs \(data.count) values")
        self.shape = shape
        self.data = data
    }

    package var count: Int { data.count }
    package var rank: Int { shape.count }

    package static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var running = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = running
            running *= shape[i]
        }
        return s
    }

    /// The multi-index of flat position `flat` in `shape`.
    package static func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
        var idx = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] > 0 {
            idx[i] = rest % shape[i]
            rest /= shape[i]
        }
        return idx
    }

    package func at(_ idx: [Int]) -> Double {
        let st = OpRef.strides(shape)
        var flat = 0
        for i in 0..<idx.count { flat += idx[i] * st[i] }
        return data[flat]
    }

    package func map(_ f: (Double) -> Double) -> OpRef { OpRef(shape: shape, data: data.map(f)) }

    package static func broadcastShape(_ shapes: [[Int]]) -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for s in shapes {
            for (i, d) in s.enumerated() {
                let j = rank - s.count + i
                if d != 1 {
                    precondition(out[j] == 1 || out[j] == d, "OpRef: shapes \(shapes) do not broadcast")
                    out[j] = d
                }
            }
        }
        return out
    }

    /// The element of `self` that broadcasting puts at `idx` of a larger shape.
    package func broadcastAt(_ idx: [Int]) -> Double {
        let lead = idx.count - rank
        return at((0..<rank).map { shape[$0] == 1 ? 0 : idx[lead + $0] })
    }

    /// f applied elementwise to the broadcast of `xs`.
    package static func zip(_ xs: [OpRef], _ f: ([Double]) -> Double) -> OpRef {
        let shape = broadcastShape(xs.map(\.shape))
        let n = shape.reduce(1, *)
        return OpRef(shape: shape, data: (0..<n).map { flat in
            let idx = unravel(flat, shape)
            return f(xs.map { $0.broadcastAt(idx) })
        })
    }

    package func broadcast(to newShape: [Int]) -> OpRef {
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { broadcastAt(OpRef.unravel($0, newShape)) })
    }

    /// For each position of the kept axes, `f` of the values along `axes` (row-major among them).
    package func reduce(axes: [Int]?, keepDims: Bool, _ f: ([Double]) -> Double) -> OpRef {
        let axes = Set((axes ?? Array(0..<rank)).map { $0 < 0 ? $0 + rank : $0 })
        let kept = (0..<rank).filter { !axes.contains($0) }
        let reduced = (0..<rank).filter { axes.contains($0) }
        let keptShape = kept.map { shape[$0] }
        let reducedShape = reduced.map { shape[$0] }
        let nk = keptShape.reduce(1, *), nr = reducedShape.reduce(1, *)
        var out: [Double] = []
        for k in 0..<nk {
            let ki = OpRef.unravel(k, keptShape)
            var values: [Double] = []
            for r in 0..<nr {
                let ri = OpRef.unravel(r, reducedShape)
                var idx = [Int](repeating: 0, count: rank)
                for (j, a) in kept.enumerated() { idx[a] = ki[j] }
                for (j, a) in reduced.enumerated() { idx[a] = ri[j] }
                values.append(at(idx))
            }
            out.append(f(values))
        }
        let outShape = (0..<rank).compactMap { axes.contains($0) ? (keepDims ? 1 : nil) : shape[$0] }
        return OpRef(shape: outShape, data: out)
    }

    /// `f` applied to every 1-d lane along `axis`, writing the lane back.
    package func alongAxis(_ axis: Int, _ f: ([Double]) -> [Double]) -> OpRef {
        let axis = axis < 0 ? axis + rank : axis
        var out = data
        let st = OpRef.strides(shape)
        for flat in 0..<count {
            let idx = OpRef.unravel(flat, shape)
            guard idx[axis] == 0 else { continue }
            let positions = (0..<shape[axis]).map { flat + $0 * st[axis] }
            let result = f(positions.map { data[$0] })
            for (p, v) in Swift.zip(positions, result) { out[p] = v }
        }
        return OpRef(shape: shape, data: out)
    }

    package func reshaped(_ newShape: [Int]) -> OpRef { OpRef(shape: newShape, data: data) }

    package func permuted(_ order: [Int]) -> OpRef {
        let newShape = order.map { shape[$0] }
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { flat in
            let o = OpRef.unravel(flat, newShape)
            var idx = [Int](repeating: 0, count: rank)
            for (i, a) in order.enumerated() { idx[a] = o[i] }
            return at(idx)
        })
    }

    /// The elements at the cartesian product of `indices` (one list per axis).
    package func selecting(_ indices: [[Int]]) -> OpRef {
        let newShape = indices.map(\.count)
        let n = newShape.reduce(1, *)
        return OpRef(shape: newShape, data: (0..<n).map { flat in
            let o = OpRef.unravel(flat, newShape)
            return at((0..<rank).map { indices[$0][o[$0]] })
        })
    }

    /// The positions Python's `range(*slice(start, stop, step).indices(n))` visits (CPython's rules).
    package static func pyRange(_ start: Int?, _ stop: Int?, _ step: Int, _ n: Int) -> [Int] {
        let lower = step < 0 ? -1 : 0
        let upper = step < 0 ? n - 1 : n
        func fix(_ v: Int?, _ dflt: Int) -> Int {
            guard var v else { return dflt }
            if v < 0 {
                v += n
                if v < lower { v = lower }
            } else if v > upper {
                v = upper
            }
            return v
        }
        let s = fix(start, step < 0 ? upper : lower)
        let e = fix(stop, step < 0 ? lower : upper)
        return Array(Swift.stride(from: s, to: e, by: step))
    }
}

extension OpRef {
    /// NumPy's `matmul` by the definition: 1-d operands become a row or column and lose it again;
    /// batch dimensions broadcast.
    package static func matmul(_ a: OpRef, _ b: OpRef) -> OpRef {
        let a2 = a.rank == 1 ? a.reshaped([1, a.count]) : a
        let b2 = b.rank == 1 ? b.reshaped([b.count, 1]) : b
        let (m, k) = (a2.shape[a2.rank - 2], a2.shape[a2.rank - 1])
        let (k2, n) = (b2.shape[b2.rank - 2], b2.shape[b2.rank - 1])
        precondition(k == k2, "OpRef.matmul: inner dimensions \(k) and \(k2)")
        let batch = broadcastShape([Array(a2.shape.dropLast(2)), Array(b2.shape.dropLast(2))])
        var out: [Double] = []
        for flat in 0..<batch.reduce(1, *) {
            let bi = unravel(flat, batch)
            for i in 0..<m {
                for j in 0..<n {
                    var s = 0.0
                    for p in 0..<k { s += a2.broadcastAt(bi + [i, p]) * b2.broadcastAt(bi + [p, j]) }
                    out.append(s)
                }
            }
        }
        var shape = batch + [m, n]
        if a.rank == 1 { shape.remove(at: shape.count - 2) }
        if b.rank == 1 { shape.removeLast() }
        return OpRef(shape: shape, data: out)
    }

    /// The stable ascending order of `values` (NaN after every number, `-0 == 0`), as positions.
    package static func stableOrder(_ values: [Double], descending: Bool = false) -> [Int] {
        func key(_ v: Double) -> Double { v.isNaN ? .infinity : v }
        return values.indices.sorted { i, j in
            let (a, b) = (values[i], values[j])
            if a.isNaN != b.isNaN { return descending ? a.isNaN : b.isNaN }
            if a.isNaN || a == b { return i < j }
            return descending ? a > b : a < b
        }
    }
}
