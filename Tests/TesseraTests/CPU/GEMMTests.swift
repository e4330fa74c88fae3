import Testing
@testable import Tessera

/// One product to check: sizes, transposes, accumulate, and extra row padding of every matrix.
struct GEMMCase: CustomTestStringConvertible, Sendable {
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool, accumulate: Bool
    let pad: Int

    var testDescription: String {
        "\(m)×\(n)×\(k) \(transA ? "Aᵀ" : "A")·\(transB ? "Bᵀ" : "B")\(accumulate ? " +=" : "")\(pad > 0 ? " ld+\(pad)" : "")"
    }

    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (2, 3, 4), (37, 53, 29), (6, 16, 256), (7, 17, 257), (5, 15, 255), (64, 64, 64),
        (100, 1, 50), (1, 100, 50),
        (150, 8, 260),  // deeper than kc, taller than mc
        (120, 90, 100), (30, 200, 180),  // big enough for threads: split by rows, by columns
        (7, 4100, 3),  // wider than nc
        (0, 5, 3), (5, 0, 3), (4, 5, 0),  // empty products
    ]

    static let all: [GEMMCase] = shapes.flatMap { m, n, k in
        [(false, false), (true, false), (false, true), (true, true)].flatMap { transA, transB in
            [false, true].map { accumulate in
                GEMMCase(m: m, n: n, k: k, transA: transA, transB: transB, accumulate: accumulate,
                         pad: accumulate ? 3 : 0)
            }
        }
    }
}

/// The ways to run a product: the public router (BLAS when loaded), the built-in kernel, the
/// portable fallback kernel, and the built-in kernel with tiny cache blocks so that small shapes
/// cross every block boundary.
enum GEMMPath: CaseIterable {
    case multiply, builtIn, portable, smallBlocks
}

extension GEMMKernel {
    var withSmallBlocks: GEMMKernel {
        GEMMKernel(name: name, mr: mr, nr: nr, kc: 5, mc: 2 * mr, nc: 2 * nr, run: run)
    }
}

/// Fills row-major matrices with ld = width + pad; padding holds a sentinel the product must not touch.
private struct Matrix<T: GEMMScalar> {
    let rows: Int, cols: Int, ld: Int
    var storage: [T]

    init(rows: Int, cols: Int, pad: Int, seed: inout UInt64) {
        (self.rows, self.cols, self.ld) = (rows, cols, max(1, cols + pad))
        storage = [T](repeating: Matrix.sentinel, count: max(1, rows * ld))
        for i in 0..<rows {
            for j in 0..<cols {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                storage[i * ld + j] = T(Double(seed >> 11) / Double(1 << 53) * 2 - 1)
            }
        }
    }

    static var sentinel: T { 12345 }

    /// Element [i, j] of op(self).
    func op(_ transposed: Bool, _ i: Int, _ j: Int) -> Double {
        Double(transposed ? storage[j * ld + i] : storage[i * ld + j])
    }
}

/// Runs `c` on every path and compares each result, padding included, with one float64 reference.
private func check<T: GEMMScalar>(_: T.Type, _ c: GEMMCase) {
    var seed = UInt64(c.m * 1_000_003 + c.n * 1009 + c.k)
    let a = Matrix<T>(rows: c.transA ? c.k : c.m, cols: c.transA ? c.m : c.k, pad: c.pad, seed: &seed)
    let b = Matrix<T>(rows: c.transB ? c.n : c.k, cols: c.transB ? c.k : c.n, pad: c.pad, seed: &seed)
    let initial = Matrix<T>(rows: c.m, cols: c.n, pad: c.pad, seed: &seed)
    // expected and Σ|terms| for each element of C; padding must keep its sentinel.
    var expected = initial.storage.map { (value: Double($0), magnitude: 0.0) }
    for i in 0..<c.m {
        for j in 0..<c.n {
            var sum = c.accumulate ? expected[i * initial.ld + j].value : 0
            var magnitude = abs(sum)
            for p in 0..<c.k {
                let product = a.op(c.transA, i, p) * b.op(c.transB, p, j)
                sum += product
                magnitude += abs(product)
            }
            expected[i * initial.ld + j] = (sum, magnitude)
        }
    }
    // Float32 sums of k products drift by about k·ε relative to Σ|a||b| in the worst case.
    let tolerance = Double(T.ulpOfOne) * Double(c.k + 2)
    let paths = GEMMPath.allCases.filter { $0 != .multiply || BLAS.loaded != nil }
    for path in paths {
        var out = initial.storage
        run(c, path: path, a: a, b: b, c: &out, ldc: initial.ld)
        let wrong = out.indices.filter { abs(Double(out[$0]) - expected[$0].value) > tolerance * expected[$0].magnitude }
        if let first = wrong.first {
            let (i, j) = first.quotientAndRemainder(dividingBy: initial.ld)
            Issue.record("""
                \(c.testDescription) \(path) \(T.self): \(wrong.count) wrong elements; \
                C[\(i), \(j)]\(j >= c.n ? " (padding)" : "") expected \(expected[first].value), got \(out[first])
                """)
        }
    }
}

private func run<T: GEMMScalar>(
    _ c: GEMMCase, path: GEMMPath, a: Matrix<T>, b: Matrix<T>, c out: inout [T], ldc: Int
) {
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { pc in
                guard let pa = pa.baseAddress, let pb = pb.baseAddress, let pc = pc.baseAddress else { return }
                switch path {
                case .multiply:
                    GEMM.multiply(m: c.m, n: c.n, k: c.k, a: pa, lda: a.ld, transA: c.transA,
                                  b: pb, ldb: b.ld, transB: c.transB, c: pc, ldc: ldc, accumulate: c.accumulate)
                case .builtIn:
                    GEMM.multiplyBuiltIn(m: c.m, n: c.n, k: c.k, a: pa, lda: a.ld, transA: c.transA,
                                         b: pb, ldb: b.ld, transB: c.transB, c: pc, ldc: ldc,
                                         accumulate: c.accumulate)
                case .portable:
                    GEMM.multiplyBuiltIn(m: c.m, n: c.n, k: c.k, a: pa, lda: a.ld, transA: c.transA,
                                         b: pb, ldb: b.ld, transB: c.transB, c: pc, ldc: ldc,
                                         accumulate: c.accumulate, kernel: T.portableGEMMKernel)
                case .smallBlocks:
                    GEMM.multiplyBuiltIn(m: c.m, n: c.n, k: c.k, a: pa, lda: a.ld, transA: c.transA,
                                         b: pb, ldb: b.ld, transB: c.transB, c: pc, ldc: ldc,
                                         accumulate: c.accumulate, kernel: T.gemmKernel.withSmallBlocks)
                }
            }
        }
    }
}

@Suite struct GEMMTests {
    /// Built-in and portable kernels always; the BLAS path too when a BLAS is loaded.
    @Test(arguments: GEMMCase.all)
    func float(_ c: GEMMCase) { check(Float.self, c) }

    @Test(arguments: GEMMCase.all)
    func double(_ c: GEMMCase) { check(Double.self, c) }

    @Test func backendDescriptionNamesTheBackend() {
        let text = GEMM.backendDescription
        if let blas = BLAS.loaded {
            #expect(text.hasPrefix(blas.name) && text.contains(blas.path))
        } else {
            #expect(text.hasPrefix("built-in"))
            #expect(!BLAS.searched.isEmpty)
        }
    }
}
