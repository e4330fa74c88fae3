#if canImport(Glibc)
import Glibc
#endif

// Plain float64 math for the composites' references, written independently of Tessera.

func refGelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
func refSoftplus(_ x: Double) -> Double { Swift.max(x, 0) + log1p(exp(-Swift.abs(x))) }
func refMean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
func refVariance(_ v: [Double], _ correction: Int) -> Double {
    let m = refMean(v)
    return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - correction)
}
func refLogSumExp(_ v: [Double]) -> Double {
    let m = v.max()!
    return m + log(v.map { exp($0 - m) }.reduce(0, +))
}
func refSoftmax(_ v: [Double]) -> [Double] {
    let m = v.max()!
    let e = v.map { exp($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}
func refMedian(_ v: [Double]) -> Double {
    let s = v.sorted(), n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}
func refArgmax(_ v: [Double]) -> Double { Double(v.indices.first { v[$0] == v.max()! }!) }
func refArgmin(_ v: [Double]) -> Double { Double(v.indices.first { v[$0] == v.min()! }!) }
func refMaxNaN(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
func refMinNaN(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
func truthy(_ x: Double) -> Bool { x != 0 }
func b2d(_ b: Bool) -> Double { b ? 1 : 0 }
