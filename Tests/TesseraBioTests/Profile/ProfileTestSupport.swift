import Testing
import TesseraTestSupport
import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `[rows, cols]` matrix of seeded values as plain Swift arrays (the float64 truth) and a tensor.
struct TestMatrix {
    var rows: Int
    var cols: Int
    var data: [Double]

    init(rows: Int, cols: Int, seed: UInt64, scale: Double = 10, offset: Double = 0) {
        var g = SplitMix64(seed: seed)
        self.rows = rows
        self.cols = cols
        data = (0..<rows * cols).map { _ in offset + scale * (Double(g.next() >> 11) / Double(1 << 53) - 0.5) }
    }

    subscript(r: Int, c: Int) -> Double { data[r * cols + c] }
    func row(_ r: Int) -> [Double] { Array(data[r * cols..<(r + 1) * cols]) }
    func column(_ c: Int) -> [Double] { (0..<rows).map { self[$0, c] } }
    var tensor: Tensor { Tensor(shape: [rows, cols], scalars: data, dtype: .float64) }
}

/// NumPy's default (linear) quantile of `values`.
func referenceQuantile(_ values: [Double], _ q: Double) -> Double {
    let s = values.sorted()
    let position = Double(s.count - 1) * q
    let lo = Int(position.rounded(.down))
    let hi = Swift.min(lo + 1, s.count - 1)
    return s[lo] + (s[hi] - s[lo]) * (position - Double(lo))
}

func referenceMean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

func referencePopulationStd(_ v: [Double]) -> Double {
    let m = referenceMean(v)
    return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
}

/// Expects `got` and `want` to agree within `tolerance · max(1, |want|)` each; NaN matches NaN.
func expectClose(_ got: [Double], _ want: [Double], _ tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(got.count == want.count, "\(what): \(got.count) values, want \(want.count)", sourceLocation: sourceLocation)
    for (i, (g, w)) in zip(got, want).enumerated() {
        if g.isNaN && w.isNaN { continue }
        if g == w { continue }
        if !(Swift.abs(g - w) <= tolerance * Swift.max(1, Swift.abs(w))) {
            Issue.record("\(what)[\(i)] is \(g), want \(w)", sourceLocation: sourceLocation)
            return
        }
    }
}

func expectClose(_ got: Double, _ want: Double, _ tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose([got], [want], tolerance, what, sourceLocation: sourceLocation)
}
