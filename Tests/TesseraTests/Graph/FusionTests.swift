#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraSelfTest
@testable import Tessera

// Which kernels run: `KernelTrace.record` collects every kernel that runs meanwhile, on any thread,
// so other suites running in parallel can add records. Each test therefore uses shapes no other test
// uses and keeps only the records with those output shapes.

/// Seeded values in [lo, hi) from a small LCG.
private func seeded(_ n: Int, seed: UInt64, _ lo: Double = -1, _ hi: Double = 1) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in rng.uniform(lo, hi) }
}

private func kernels(outputShapes: Set<[Int]>, _ body: () -> Void) -> [KernelRecord] {
    KernelTrace.record(body).filter { outputShapes.contains($0.outputShape) }
}

@Suite("Fusion", .serialized)
struct FusionTests {
    /// The seed-000 distance: `((x - r) ** 2).sum(axis: 1).sqrt()` reads x once in one kernel.
    @Test func distanceIsOneKernel() {
        let (rows, cols) = (1000, 32)
        let xs = seeded(rows * cols, seed: 0)
        let rs = seeded(cols, seed: 1)
        let x = Tensor(shape: [rows, cols], scalars: xs, dtype: .float32)
        let r = Tensor(shape: [cols], scalars: rs, dtype: .float32)
        let xv = x.toArray(), rv = r.toArray()  // the values as float32 stores them
        var d = Tensor.zeros([1])
        let ks = kernels(outputShapes: [[rows], [rows, cols], [rows, 1]]) {
            d = ((x - r) ** 2).sum(axis: 1).sqrt()
            d.eval()
        }
        #expect(ks.count == 1, "kernels: \(ks)")
        #expect(ks.first?.name == "fused")
        let ops = ks.first?.ops ?? []
        #expect(ops.contains("sub") && ops.contains("sum") && ops.contains("sqrt"), "ops: \(ops)")
        #expect(ks.first?.outputShape == [rows])
        let expected = OpRef(shape: [rows, cols], data: xv).reduce(axes: [1], keepDims: false) { row in
            zip(row, rv).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        expectOpRefClose(d, expected, dtype: .float32, "distance")
    }

    @Test func affineIsOneKernel() {
        let shape = [1013, 7]
        let x = Tensor(shape: shape, scalars: seeded(1013 * 7, seed: 2), dtype: .float32)
        let xv = x.toArray()
        var y = Tensor.zeros([1])
        let ks = kernels(outputShapes: [shape]) {
            y = x * 2 + 1
            y.eval()
        }
        #expect(ks.count == 1, "kernels: \(ks)")
        #expect(ks.first?.ops.contains("mul") == true && ks.first?.ops.contains("add") == true, "\(ks)")
        #expect(ks.first?.inputs == 1, "the scalars are constants folded into the kernel: \(ks)")
        expectOpRefClose(y, OpRef(shape: shape, data: xv).map { $0 * 2 + 1 }, dtype: .float32, "x * 2 + 1")
    }

    @Test func longElementwiseChainIsOneKernel() {
        let shape = [211, 5]
        let x = Tensor(shape: shape, scalars: seeded(211 * 5, seed: 3), dtype: .float64)
        let xv = x.toArray()
        var y = Tensor.zeros([1])
        let ks = kernels(outputShapes: [shape]) {
            y = ((x * 3 - 1).exp() + x.sin()).sqrt() / (x.abs() + 1)
            y.eval()
        }
        #expect(ks.count == 1, "kernels: \(ks)")
        do {
            expectOpRefClose(y, OpRef(shape: shape, data: xv).map { (exp($0 * 3 - 1) + sin($0)).squareRoot() / (abs($0) + 1) },
                             dtype: .float64, "chain")
        }
    }

    @Test func softmaxRunsAtMostThreeKernels() {
        let (rows, cols) = (97, 31)
        let x = Tensor(shape: [rows, cols], scalars: seeded(rows * cols, seed: 4, -5, 5), dtype: .float32)
        let xv = x.toArray()
        var y = Tensor.zeros([1])
        let ks = kernels(outputShapes: [[rows, cols], [rows, 1], [rows]]) {
            y = x.softmax(axis: -1)
            y.eval()
        }
        #expect(ks.count >= 1 && ks.count <= 3, "kernels: \(ks)")
        let expected = OpRef(shape: [rows, cols], data: xv).alongAxis(1) { v in
            let m = v.max()!
            let e = v.map { exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        expectOpRefClose(y, expected, dtype: .float32, "softmax")
        // Rows sum to one.
        let sums = y.sum(axis: 1).toArray()
        #expect(sums.allSatisfy { abs($0 - 1) < 1e-5 }, "\(sums.prefix(4))")
    }

    /// A realized intermediate isn't recomputed: evaluating a consumer runs only the new kernel.
    @Test func realizedInputsAreNotRecomputed() {
        let shape = [53, 3]
        let x = Tensor(shape: shape, scalars: seeded(53 * 3, seed: 5), dtype: .float64)
        let xv = x.toArray()
        let a = (x + 1).exp()
        a.eval()
        var b = Tensor.zeros([1])
        let ks = kernels(outputShapes: [shape, [53]]) {
            b = (a * 2).sum(axis: 1)
            b.eval()
        }
        #expect(ks.count == 1, "kernels: \(ks)")
        #expect(ks.first?.ops.contains("exp") == false, "exp was recomputed: \(ks)")
        let expected = OpRef(shape: shape, data: xv).reduce(axes: [1], keepDims: false) { $0.map { 2 * exp($0 + 1) }.reduce(0, +) }
        expectOpRefClose(b, expected, dtype: .float64, "(exp(x + 1) * 2).sum(axis: 1)")
    }

    /// Reading a tensor twice runs its kernels once.
    @Test func readingTwiceDoesNotRerun() {
        let shape = [61, 2]
        let x = Tensor(shape: shape, scalars: seeded(61 * 2, seed: 6), dtype: .float32)
        let y = x.tanh() * 3
        let first = kernels(outputShapes: [shape]) { _ = y.toArray() }
        let second = kernels(outputShapes: [shape]) { _ = y.toArray() }
        #expect(first.count == 1, "\(first)")
        #expect(second.isEmpty, "\(second)")
        expectOpRefClose(y, OpRef(shape: shape, data: x.toArray()).map { tanh($0) * 3 }, dtype: .float32, "tanh * 3")
    }
}
