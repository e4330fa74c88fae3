#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cblas_sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)`.
package typealias CBLASSgemm = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
    UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
) -> Void

/// `cblas_dgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)`.
package typealias CBLASDgemm = @convention(c) (
    Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
    UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32
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
    package let sgemm: CBLASSgemm
    package let dgemm: CBLASDgemm
}

/// CBLAS constants; the enums are C `int`.
package enum CBLASConstant {
    package static let rowMajor: Int32 = 101
    package static let noTrans: Int32 = 111
    package static let trans: Int32 = 112
}

/// The CBLAS found at run time, if any, and what was tried to find it.
///
/// Search order: `TESSERA_BLAS` (a path or soname; `none` disables BLAS), then OpenBLAS, MKL, BLIS
/// and the generic `libcblas`/`libblas`. Nothing is linked at build time.
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
        guard let s = dlsym(handle, "cblas_sgemm"), let d = dlsym(handle, "cblas_dgemm") else {
            dlclose(handle)
            return .failure(Failure(text: "no cblas_sgemm/cblas_dgemm"))
        }
        let path = realPath(of: s) ?? name
        let library = BLASLibrary(
            path: path, name: vendor(of: handle, path: path),
            sgemm: unsafeBitCast(s, to: CBLASSgemm.self), dgemm: unsafeBitCast(d, to: CBLASDgemm.self))
        return .success(library)
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
            ("openblas_get_config", "OpenBLAS"), ("MKL_Get_Version", "MKL"),
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
        return [
            "libopenblas.so.0", "libopenblas.so",
            "\(lib)/openblas-pthread/libopenblas.so.0", "\(lib)/openblas-openmp/libopenblas.so.0",
            "\(lib)/openblas-serial/libopenblas.so.0", "libopenblasp.so.0", "libopenblaso.so.0",
            "libmkl_rt.so", "libmkl_rt.so.2",
            "libblis.so.4", "libblis.so",
            "libcblas.so.3", "libblas.so.3",
        ]
        #endif
    }
}
