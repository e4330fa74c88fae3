/// A scalar type the CPU matrix multiply supports: `Float` and `Double`.
package protocol GEMMScalar: BinaryFloatingPoint, Sendable {
    /// The built-in micro-kernel and blocking for this type on this CPU.
    static var gemmKernel: GEMMKernel<Self> { get }
    /// The plain-SIMD kernel used on x86-64 CPUs without AVX2 and FMA (tests run it everywhere).
    static var portableGEMMKernel: GEMMKernel<Self> { get }

    /// This type's GEMM in a loaded CBLAS.
    static func blasGEMM(_ blas: BLASLibrary) -> BLASGemm<Self>
}

extension Float: GEMMScalar {
    package static func blasGEMM(_ blas: BLASLibrary) -> BLASGemm<Float> { blas.sgemm }
}

extension Double: GEMMScalar {
    package static func blasGEMM(_ blas: BLASLibrary) -> BLASGemm<Double> { blas.dgemm }
}

extension CBLASConstant {
    static func transpose(_ yes: Bool) -> Int32 { yes ? trans : noTrans }
}

/// Dense matrix multiply on the CPU: a CBLAS when one is found at run time, else the built-in kernel.
package enum GEMM {
    /// Row-major `C[m×n] (+)= op(A)[m×k] · op(B)[k×n]`; routes to BLAS when loaded, else the built-in kernel.
    ///
    /// Matrices are given like BLAS: `op(A)` is A, or A transposed when `transA`, and A's rows are
    /// `lda` elements apart (so A is stored k×m when transposed). `k == 0` sets C to zero, or leaves
    /// it unchanged when accumulating.
    ///
    /// ```swift
    /// GEMM.multiply(m: 2, n: 3, k: 4, a: a, lda: 4, transA: false,
    ///               b: b, ldb: 3, transB: false, c: c, ldc: 3, accumulate: false)
    /// ```
    ///
    /// - Parameters:
    ///   - m: Rows of C and of op(A).
    ///   - n: Columns of C and of op(B).
    ///   - k: Columns of op(A) and rows of op(B).
    ///   - a: A's first element; `lda` ≥ its stored width (`k`, or `m` when `transA`).
    ///   - b: B's first element; `ldb` ≥ its stored width (`n`, or `k` when `transB`).
    ///   - c: C's first element; `ldc` ≥ `n`. Must not overlap A or B.
    ///   - accumulate: Add the product to C instead of overwriting it.
    package static func multiply<T: GEMMScalar>(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, transA: Bool,
        b: UnsafePointer<T>, ldb: Int, transB: Bool,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
    ) {
        guard prepare(m: m, n: n, k: k, lda: lda, transA: transA, ldb: ldb, transB: transB,
                      c: c, ldc: ldc, accumulate: accumulate) else { return }
        if let blas = BLAS.loaded, [m, n, k, lda, ldb, ldc].allSatisfy({ $0 <= blas.maxDimension }) {
            T.blasGEMM(blas)(transA, transB, m, n, k, a, lda, b, ldb, accumulate ? 1 : 0, c, ldc)
        } else {
            builtIn(m: m, n: n, k: k, a: StridedMatrix(a, ld: lda, transposed: transA),
                    b: StridedMatrix(b, ld: ldb, transposed: transB), c: c, ldc: ldc,
                    accumulate: accumulate, kernel: T.gemmKernel)
        }
    }

    /// The same as ``multiply(m:n:k:a:lda:transA:b:ldb:transB:c:ldc:accumulate:)``, always with the
    /// built-in kernel (for tests and benchmarks).
    package static func multiplyBuiltIn<T: GEMMScalar>(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, transA: Bool,
        b: UnsafePointer<T>, ldb: Int, transB: Bool,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
    ) {
        multiplyBuiltIn(m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb,
                        transB: transB, c: c, ldc: ldc, accumulate: accumulate, kernel: T.gemmKernel)
    }

    /// The built-in path with a chosen micro-kernel, so tests can cover the portable one on any CPU.
    static func multiplyBuiltIn<T: GEMMScalar>(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, transA: Bool,
        b: UnsafePointer<T>, ldb: Int, transB: Bool,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, kernel: GEMMKernel<T>
    ) {
        guard prepare(m: m, n: n, k: k, lda: lda, transA: transA, ldb: ldb, transB: transB,
                      c: c, ldc: ldc, accumulate: accumulate) else { return }
        builtIn(m: m, n: n, k: k, a: StridedMatrix(a, ld: lda, transposed: transA),
                b: StridedMatrix(b, ld: ldb, transposed: transB), c: c, ldc: ldc,
                accumulate: accumulate, kernel: kernel)
    }

    /// What `multiply` runs on, e.g. "OpenBLAS (/usr/lib/x86_64-linux-gnu/libopenblas.so.0)" or
    /// "built-in AVX2+FMA 6×16 (no BLAS found; tried …)".
    package static var backendDescription: String {
        if let blas = BLAS.loaded { return "\(blas.name) (\(blas.path))" }
        let why = BLAS.searchedNames == ["TESSERA_BLAS=none"]
            ? "TESSERA_BLAS=none"
            : "no BLAS found; tried \(BLAS.searchedNames.joined(separator: ", ")); set TESSERA_BLAS to a CBLAS path"
        return "built-in \(Float.gemmKernel.name) (\(why))"
    }

    /// Checks the arguments and handles empty products; returns whether a product remains to compute.
    private static func prepare<T: GEMMScalar>(
        m: Int, n: Int, k: Int, lda: Int, transA: Bool, ldb: Int, transB: Bool,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
    ) -> Bool {
        check(m >= 0 && n >= 0 && k >= 0, "[matmul] negative size m=\(m) n=\(n) k=\(k)")
        check(lda >= max(1, transA ? m : k), "[matmul] lda=\(lda) is less than A's row length")
        check(ldb >= max(1, transB ? k : n), "[matmul] ldb=\(ldb) is less than B's row length")
        check(ldc >= max(1, n), "[matmul] ldc=\(ldc) is less than n=\(n)")
        if m == 0 || n == 0 { return false }
        if k == 0 {
            if !accumulate {
                for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
            }
            return false
        }
        return true
    }

    /// Products smaller than this many multiply-adds skip packing for a plain loop.
    private static let naiveLimit = 4096

    private static func builtIn<T: GEMMScalar>(
        m: Int, n: Int, k: Int, a: StridedMatrix<T>, b: StridedMatrix<T>,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, kernel: GEMMKernel<T>
    ) {
        if m * n * k <= naiveLimit {
            naive(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
        } else {
            blocked(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate, kernel: kernel)
        }
    }

    private static func naive<T: GEMMScalar>(
        m: Int, n: Int, k: Int, a: StridedMatrix<T>, b: StridedMatrix<T>,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: T = 0
                for p in 0..<k { sum += a[i, p] * b[p, j] }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum
            }
        }
    }
}

/// A read-only matrix view: element `[i, j]` is `base[i * rowStride + j * colStride]`.
struct StridedMatrix<T> {
    let base: UnsafePointer<T>
    let rowStride: Int
    let colStride: Int

    /// op(X) for a row-major X with leading dimension `ld`, transposed or not.
    init(_ base: UnsafePointer<T>, ld: Int, transposed: Bool) {
        self.init(base: base, rowStride: transposed ? 1 : ld, colStride: transposed ? ld : 1)
    }

    init(base: UnsafePointer<T>, rowStride: Int, colStride: Int) {
        (self.base, self.rowStride, self.colStride) = (base, rowStride, colStride)
    }

    subscript(i: Int, j: Int) -> T { base[i * rowStride + j * colStride] }

    /// The view starting at row `i`, column `j`.
    func offset(row i: Int, column j: Int) -> StridedMatrix {
        StridedMatrix(base: base + i * rowStride + j * colStride, rowStride: rowStride, colStride: colStride)
    }
}
