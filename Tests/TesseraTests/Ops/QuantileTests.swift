import Testing
import TesseraTestSupport

@testable import Tessera

/// `quantile` (selection per lane) and ``OrderStatistics`` against references built from sorted copies.
@Suite("Quantiles by selection")
struct QuantileTests {
    static let qs: [Double] = [0, 0.01, 0.25, 0.3, 0.5, 0.77, 0.999, 1]

    /// NumPy's linear quantile of one sorted lane, step for step, with the arithmetic in `F` (float64,
    /// or float32 for float32 tensors, whose interpolation runs in float32).
    static func reference<F: BinaryFloatingPoint>(sorted s: [Double], _ q: Double, in _: F.Type) -> Double {
        if s.contains(where: \.isNaN) { return .nan }
        let n = s.count
        let virtual = Double(n - 1) * q
        // At or past the last element NumPy indexes with -1 on both sides, so γ = virtual + 1.
        let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
        let lo = F(s[floorIndex < 0 ? n - 1 : floorIndex]), hi = F(s[floorIndex < 0 ? n - 1 : floorIndex + 1])
        let gamma = virtual - Double(floorIndex), t = F(gamma)
        let diff = hi - lo
        return Double(gamma >= 0.5 ? hi - diff * (1 - t) : lo + diff * t)
    }

    /// Every lane of `values` (row-major `shape`) along `axis`, as arrays.
    static func lanes(_ values: [Double], shape: [Int], axis: Int) -> [[Double]] {
        let n = shape[axis], inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        return (0..<outer).flatMap { o in (0..<inner).map { i in (0..<n).map { values[(o * n + $0) * inner + i] } } }
    }

    /// Checks `x.quantile(qs, axis:)` lane by lane; exact unless `tolerance` is given.
    func check(_ x: Tensor, axis: Int?, tolerance: Double = 0, _ what: String,
               sourceLocation: SourceLocation = #_sourceLocation) {
        let values = x.astype(.float64).toArray()
        let shape = axis == nil ? [x.count] : x.shape
        let a = axis.map { $0 < 0 ? $0 + x.rank : $0 } ?? 0
        let got = x.quantile(Self.qs, axis: axis)
        let float32 = got.dtype == .float32
        // Result [q, lanes...]: lanes in row-major order of the other axes, as `lanes` lists them.
        let gotValues = got.astype(.float64).toArray()
        let laneList = Self.lanes(values, shape: shape, axis: a).map { $0.sorted() }
        for (qi, q) in Self.qs.enumerated() {
            for (l, lane) in laneList.enumerated() {
                let want = float32 ? Self.reference(sorted: lane, q, in: Float.self) : Self.reference(sorted: lane, q, in: Double.self)
                let value = gotValues[qi * laneList.count + l]
                let ok = (value.isNaN && want.isNaN) || value == want || Swift.abs(value - want) <= tolerance * Swift.max(1, Swift.abs(want))
                #expect(ok, "\(what): q \(q), lane \(l) of \(laneList.count) (n = \(lane.count)): got \(value), want \(want)",
                        sourceLocation: sourceLocation)
                if !ok { return }
            }
        }
    }

    /// Values with many ties: a few distinct levels.
    static func tied(_ count: Int, levels: Int, seed: UInt64) -> [Double] {
        var rng = Mutator(seed: seed)
        return (0..<count).map { _ in Double(Int.random(in: 0..<levels, using: &rng)) * 0.25 - 1 }
    }

    @Test func lanesAlongEveryAxisOfA3DTensor() {
        let x = seededTensor([7, 6, 5], seed: 40)
        for axis in [0, 1, 2, -1] { check(x, axis: axis, "float64 axis \(axis)") }
        check(x, axis: nil, "float64 all")
        let f = x.astype(.float32)
        for axis in 0..<3 { check(f, axis: axis, "float32 axis \(axis)") }
        check(Tensor(shape: [8, 9, 4], scalars: Self.tied(288, levels: 4, seed: 41), dtype: .float64), axis: 1, "ties")
    }

    @Test(arguments: [1, 2, 3, 4, 5, 16, 17, 18, 33, 64, 101, 1000])
    func oddAndEvenLengths(_ n: Int) {
        check(seededTensor([3, n], seed: UInt64(n)), axis: 1, "n = \(n), float64")
        check(seededTensor([n, 3], seed: UInt64(n) + 1, dtype: .float32), axis: 0, "n = \(n), float32")
        check(Tensor(shape: [2, n], scalars: Self.tied(2 * n, levels: 3, seed: UInt64(n)), dtype: .float32), axis: 1,
              "n = \(n), ties")
    }

    @Test func allEqualLanesAndNaNLanes() {
        check(Tensor.full([4, 50], 3.5), axis: 1, "all equal")
        var values = seededTensor([5, 40], seed: 42).toArray()
        values[3] = .nan                     // lane 0: one NaN
        values[40 + 39] = .nan               // lane 1: NaN last
        for j in 0..<40 { values[120 + j] = .nan }   // lane 3: all NaN
        let x = Tensor(shape: [5, 40], scalars: values, dtype: .float64)
        check(x, axis: 1, "NaN lanes, float64")
        check(x.astype(.float32), axis: 1, "NaN lanes, float32")
        check(x.T.contiguous(), axis: 0, "NaN lanes along axis 0")
        let got = x.quantile(0.5, axis: 1).toArray()
        #expect(got[0].isNaN && got[1].isNaN && !got[2].isNaN && got[3].isNaN && !got[4].isNaN)
    }

    @Test func integerAndHalfDTypes() {
        let ties = Self.tied(6 * 35, levels: 9, seed: 43)
        for dtype in [DType.int32, .int64, .uint8] {
            let x = Tensor(shape: [6, 35], scalars: ties.map { ($0 + 1) * 8 }, dtype: dtype)
            #expect(x.quantile(0.5, axis: 1).dtype == .float32)
            check(x, axis: 1, "\(dtype)")
            check(x, axis: 0, "\(dtype) axis 0")
        }
        for dtype in [DType.float16, .bfloat16] {
            let x = seededTensor([9, 6, 11], seed: 44).astype(dtype)
            for axis in 0..<3 { check(x, axis: axis, tolerance: 1e-2, "\(dtype) axis \(axis)") }
            // Order statistics themselves (q = 0, 1, the median of an odd lane) are exact.
            let exact = x.quantile([0, 0.5, 1], axis: 2).astype(.float64).toArray()
            let lanes = Self.lanes(x.astype(.float64).toArray(), shape: x.shape, axis: 2)
            #expect(exact == [0, 5, 10].flatMap { r in lanes.map { $0.sorted()[r] } }, "\(dtype)")
        }
    }

    @Test func aMillionElementLaneMatchesASortedCopy() {
        var rng = Mutator(seed: 45)
        let values = (0..<1_000_000).map { _ in Double(Float.random(in: -1e3...1e3, using: &rng)) }
        check(Tensor(values, dtype: .float32), axis: 0, "1e6 float32")
        check(Tensor(values, dtype: .float64), axis: nil, "1e6 float64")
    }

    @Test func signedZerosComeInTheSortsOrder() {
        // A stable sort keeps -0 and +0 in index order. The median of these six is hi - diff·0.5 with lo
        // and hi the second and third zero, which is -0 only when both are -0.
        for (lane, sign) in [([0.0, -1, -0.0, 1, -0.0, 2], FloatingPointSign.minus), ([-0.0, -0.0, 0, -1, 1, 2], .plus),
                             ([-0.0, 0, -0.0, -1, 1, 2], .plus), ([2, -0.0, -0.0, 1, -0.0, -1], .minus)] {
            for dtype in [DType.float32, .float64] {
                let median = Tensor(lane, dtype: dtype).quantile(0.5).item(as: Double.self)
                #expect(median == 0 && median.sign == sign, "\(lane) \(dtype): \(median)")
            }
        }
    }

    @Test func gradientGoesToTheStableRankOnTies() {
        let x = Tensor([2.0, 1, 1, 1], dtype: .float64)
        x.requiresGrad = true
        x.quantile(0.5).backward()   // ranks 1 and 2 (γ = 0.5): the second and third 1
        #expect(x.grad!.toArray() == [0, 0, 0.5, 0.5])
        let y = Tensor([[1.0, .nan, 3, .nan], [4, 5, 6, 7]], dtype: .float64)
        y.requiresGrad = true
        y.quantile(0.25, axis: 1).sum().backward()   // a NaN lane: the gradient goes to its last NaN
        #expect(y.grad!.toArray() == [0, 0, 0, 1, 0.25, 0.75, 0, 0])
    }

    // MARK: OrderStatistics.select

    @Test func selectMatchesASortedCopy() {
        var rng = Mutator(seed: 46)
        for n in [1, 2, 5, 16, 17, 40, 1000, 100_000] {
            for levels in [2, 50, 1 << 30] {
                let values = (0..<n).map { _ in Int.random(in: 0..<levels, using: &rng) }
                let ranks = (0..<5).map { _ in Int.random(in: 0..<n, using: &rng) } + [0, n - 1, n / 2]
                var scratch = values
                let got = scratch.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: ranks) }
                let sorted = values.sorted()
                #expect(got == ranks.map { sorted[$0] }, "n \(n), levels \(levels), ranks \(ranks)")
                #expect(scratch.sorted() == sorted, "selection permutes the buffer")
            }
        }
    }

    @Test func selectHandlesAdversarialOrders() {
        let n = 50_000
        let patterns: [(String, [Double])] = [
            ("ascending", (0..<n).map(Double.init)), ("descending", (0..<n).map { Double(n - $0) }),
            ("organ pipe", (0..<n).map { Double(Swift.min($0, n - $0)) }), ("all equal", Array(repeating: 1, count: n)),
            ("sawtooth", (0..<n).map { Double($0 % 7) }),
        ]
        for (name, values) in patterns {
            let ranks = [0, 1, n / 3, n / 2, n - 2, n - 1]
            var scratch = values
            let got = scratch.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: ranks) }
            let sorted = values.sorted()
            #expect(got == ranks.map { sorted[$0] }, "\(name)")
        }
        var empty: [Double] = []
        #expect(empty.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: []) } == [])
    }
}
