#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `cblas_?gemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)`, with Int32 sizes
// (LP64) or Int64 sizes (ILP64, as the OpenBLAS that NumPy bundles).
private typealias SgemmLP64 = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
    UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
private typealias DgemmLP64 = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
    UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void
private typealias SgemmILP64 = @convention(c) (
    Int32, Int32, Int32, Int64, Int64, Int64, Float, UnsafePointer<Float>?, Int64,
    UnsafePointer<Float>?, Int64, Float, UnsafeMutablePointer<Float>?, Int64) -> Void
private typealias DgemmILP64 = @convention(c) (
    Int32, Int32, Int32, Int64, Int64, Int64, Double, UnsafePointer<Double>?, Int64,
    UnsafePointer<Double>?, Int64, Double, UnsafeMutablePointer<Double>?, Int64) -> Void

/// Row-major `C = op(A)·op(B) + beta·C` through a loaded CBLAS:
/// `(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)`.
package typealias BLASGemm<T> = @Sendable (
    Bool, Bool, Int, Int, Int, UnsafePointer<T>, Int, UnsafePointer<T>, Int, T, UnsafeMutablePointer<T>, Int
) -> Void

/// A CBLAS opened at run time.
///
/// `@unchecked Sendable`: the function pointers point into a library that is never closed, and CBLAS
/// GEMM is safe to call from any thread.
package struct BLASLibrary: @unchecked Sendable {
    /// The file that was opened, with symlinks resolved where the loader reports it.
    package let path: String
    /// A short vendor name: "OpenBLAS", "MKL", "BLIS", "Accelerate" or "CBLAS".
    package let name: String
    /// The largest size its integer interface can pass.
    package let maxDimension: Int
    package let sgemm: BLASGemm<Float>
    package let dgemm: BLASGemm<Double>
}

/// CBLAS constants; the enums are C `int`.
package enum CBLASConstant {
    package static let rowMajor: Int32 = 101
    package static let noTrans: Int32 = 111
    package static let trans: Int32 = 112
}

/// The CBLAS found at run time, if any, and what was tried to find it.
///
/// Search order: `TESSERA_BLAS` (a path or soname; `none` disables BLAS), then the OpenBLAS that an
/// installed NumPy or SciPy wheel carries (recent, tuned, and the library a NumPy peer uses), the
/// system OpenBLAS, MKL, BLIS and the generic `libcblas`/`libblas`. Nothing is linked at build time.
package enum BLAS {
    /// The first library in the search order that exports `cblas_sgemm` and `cblas_dgemm`.
    package static var loaded: BLASLibrary? { search.library }
    /// Every candidate skipped before `loaded`, in order, each with the reason, for `tessera doctor`.
    package static var searched: [String] { search.tried.map { "\($0.name): \($0.reason)" } }
    /// The names in `searched`, without reasons, for one-line messages.
    package static var searchedNames: [String] { search.tried.map(\.name) }

    private typealias SearchResult = (library: BLASLibrary?, tried: [(name: String, reason: String)])

    // A static let runs once, lazily and thread-safely.
    private static let search: SearchResult = runSearch()

    private static func runSearch() -> SearchResult {
        var tried: [(name: String, reason: String)] = []
        var names = defaultCandidates
        if let value = getenv("TESSERA_BLAS").map({ String(cString: $0) }), !value.isEmpty {
            if value == "none" { return (nil, [("TESSERA_BLAS=none", "BLAS disabled")]) }
            names.insert(value, at: 0)
        }
        for name in names {
            switch open(name) {
            case .success(let library): return (library, tried)
            case .failure(let failure): tried.append((name, failure.text))
            }
        }
        return (nil, tried)
    }

    private struct Failure: Error { let text: String }

    private static func open(_ name: String) -> Result<BLASLibrary, Failure> {
        // RTLD_LOCAL so a second BLAS loaded later (e.g. by NumPy in the same process) cannot clash.
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            var text = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            if text.hasPrefix(name + ": ") { text.removeFirst(name.count + 2) }  // dlerror repeats the name
            return .failure(Failure(text: text))
        }
        // Plain CBLAS, then the prefixed names of the OpenBLAS that NumPy (ILP64) and SciPy wheels bundle.
        let lp64 = [("cblas_sgemm", "cblas_dgemm"), ("scipy_cblas_sgemm", "scipy_cblas_dgemm")]
        let ilp64 = [("scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_"), ("cblas_sgemm64_", "cblas_dgemm64_")]
        func symbols(_ names: [(String, String)]) -> (UnsafeMutableRawPointer, UnsafeMutableRawPointer)? {
            for (s, d) in names {
                if let sp = dlsym(handle, s), let dp = dlsym(handle, d) { return (sp, dp) }
            }
            return nil
        }
        let library: BLASLibrary
        if let (s, d) = symbols(lp64) {
            let path = realPath(of: s) ?? name
            library = BLASLibrary(path: path, name: vendor(of: handle, path: path), maxDimension: Int(Int32.max),
                                  sgemm: call(unsafeBitCast(s, to: SgemmLP64.self)),
                                  dgemm: call(unsafeBitCast(d, to: DgemmLP64.self)))
        } else if let (s, d) = symbols(ilp64) {
            let path = realPath(of: s) ?? name
            library = BLASLibrary(path: path, name: vendor(of: handle, path: path), maxDimension: Int(Int64.max),
                                  sgemm: call(unsafeBitCast(s, to: SgemmILP64.self)),
                                  dgemm: call(unsafeBitCast(d, to: DgemmILP64.self)))
        } else {
            dlclose(handle)
            return .failure(Failure(text: "no cblas_sgemm/cblas_dgemm"))
        }
        return .success(library)
    }

    /// Adapts a C `?gemm` with size type `I` to ``BLASGemm``.
    private static func call<T: BinaryFloatingPoint & Sendable, I: FixedWidthInteger & Sendable>(
        _ gemm: @escaping (Int32, Int32, Int32, I, I, I, T, UnsafePointer<T>?, I, UnsafePointer<T>?, I, T,
                           UnsafeMutablePointer<T>?, I) -> Void
    ) -> BLASGemm<T> {
        let function = UncheckedSendable(gemm)
        return { transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc in
            function.value(CBLASConstant.rowMajor, CBLASConstant.transpose(transA), CBLASConstant.transpose(transB),
                           I(m), I(n), I(k), 1, a, I(lda), b, I(ldb), beta, c, I(ldc))
        }
    }

    /// The resolved file that defines `symbol` (a soname like `libblas.so.3` is often an alternatives link).
    private static func realPath(of symbol: UnsafeMutableRawPointer) -> String? {
        // Glibc's Swift module hides dladdr (it needs _GNU_SOURCE), so look it up; `Dl_info` starts
        // with `const char *dli_fname` followed by three more pointers on glibc and Darwin alike.
        typealias Dladdr = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
        guard let dladdr = dlsym(dlopen(nil, RTLD_NOW), "dladdr") else { return nil }
        var info: (UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafePointer<CChar>?, UnsafeRawPointer?)
            = (nil, nil, nil, nil)
        let found = withUnsafeMutableBytes(of: &info) {
            unsafeBitCast(dladdr, to: Dladdr.self)(symbol, $0.baseAddress)
        }
        guard found != 0, let file = info.0 else { return nil }
        guard let resolved = realpath(file, nil) else { return String(cString: file) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names the vendor by a symbol only it exports, which also works through generic sonames.
    private static func vendor(of handle: UnsafeMutableRawPointer, path: String) -> String {
        let markers = [
            ("openblas_get_config", "OpenBLAS"), ("scipy_openblas_get_config64_", "OpenBLAS"),
            ("scipy_openblas_get_config", "OpenBLAS"), ("MKL_Get_Version", "MKL"),
            ("bli_info_get_version_str", "BLIS"),
        ]
        if let marker = markers.first(where: { dlsym(handle, $0.0) != nil }) { return marker.1 }
        return path.contains("Accelerate") ? "Accelerate" : "CBLAS"
    }

    private static var defaultCandidates: [String] {
        #if os(macOS)
        return [
            "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
            "/usr/local/opt/openblas/lib/libopenblas.dylib",
            "/System/Library/Frameworks/Accelerate.framework/Accelerate",
        ]
        #else
        #if arch(arm64)
        let lib = "/usr/lib/aarch64-linux-gnu"
        #else
        let lib = "/usr/lib/x86_64-linux-gnu"
        #endif
        return pythonWheelOpenBLAS() + [
            "libopenblas.so.0", "libopenblas.so",
            "\(lib)/openblas-pthread/libopenblas.so.0", "\(lib)/openblas-openmp/libopenblas.so.0",
            "\(lib)/openblas-serial/libopenblas.so.0", "libopenblasp.so.0", "libopenblaso.so.0",
            "libmkl_rt.so", "libmkl_rt.so.2",
            "libblis.so.4", "libblis.so",
            "libcblas.so.3", "libblas.so.3",
        ]
        #endif
    }

    /// The OpenBLAS builds that NumPy and SciPy wheels carry (`numpy.libs/libscipy_openblas64_*.so`,
    /// `scipy.libs/libscipy_openblas*.so`) in the usual site-packages folders: recent, tuned, and the
    /// very library a NumPy peer uses.
    private static func pythonWheelOpenBLAS() -> [String] {
        let home = getenv("HOME").map { String(cString: $0) } ?? "/root"
        var roots = ["\(home)/.pyenv/versions/*/lib/python3*/site-packages", "\(home)/.local/lib/python3*/site-packages",
                     "/usr/local/lib/python3*/site-packages", "/usr/local/lib/python3*/dist-packages",
                     "/usr/lib/python3/dist-packages", "/opt/*/lib/python3*/site-packages"]
        if let venv = getenv("VIRTUAL_ENV").map({ String(cString: $0) }) { roots.insert("\(venv)/lib/python3*/site-packages", at: 0) }
        return roots.flatMap { root in
            globPaths("\(root)/numpy.libs/libscipy_openblas*.so") + globPaths("\(root)/scipy.libs/libscipy_openblas*.so")
        }
    }

    private static func globPaths(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }
}

/// A C function pointer shared across threads (it points into a library that is never unloaded).
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
