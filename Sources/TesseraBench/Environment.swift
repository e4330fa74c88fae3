#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera

/// What machine and build a benchmark ran on; captured without spawning any process.
public struct BenchEnvironment: Codable, Sendable {
    public var cpuModel: String
    /// The vector extensions the kernels care about, e.g. `avx2 fma avx512f`.
    public var cpuSIMD: String
    public var cores: Int
    public var memoryBytes: Int
    public var os: String
    public var swiftVersion: String
    /// What matrix products run on: the BLAS file, or the built-in GEMM and the names tried.
    public var blas: String
    public var threads: Int
    /// The commit the binary was built from (nil when unknown).
    public var gitCommit: String?
    /// Whether the binary's sources had changes not yet committed.
    public var localChanges: Bool
    /// The peer's library version (`numpy 2.4.0 (OpenBLAS …)`), once a peer has run.
    public var peer: String?
    /// Each device this process can compute on, as its backend describes itself.
    public var devices: [String]
    /// Why no CUDA device can be used, or nil when one can.
    public var cudaUnavailable: String?

    enum CodingKeys: String, CodingKey {
        case cpuModel = "cpu_model", cpuSIMD = "cpu_simd", cores, memoryBytes = "memory_bytes", os, swiftVersion = "swift_version"
        case blas, threads, gitCommit = "git_commit", localChanges = "local_changes", peer, devices
        case cudaUnavailable = "cuda_unavailable"
    }

    /// Reads an environment written by any Tessera version: a field an older or newer writer did not
    /// record reads as unknown (`""` or 0) instead of failing the whole report.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cpuModel = try c.decodeIfPresent(String.self, forKey: .cpuModel) ?? ""
        cpuSIMD = try c.decodeIfPresent(String.self, forKey: .cpuSIMD) ?? ""
        cores = try c.decodeIfPresent(Int.self, forKey: .cores) ?? 0
        memoryBytes = try c.decodeIfPresent(Int.self, forKey: .memoryBytes) ?? 0
        os = try c.decodeIfPresent(String.self, forKey: .os) ?? ""
        swiftVersion = try c.decodeIfPresent(String.self, forKey: .swiftVersion) ?? ""
        blas = try c.decodeIfPresent(String.self, forKey: .blas) ?? ""
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? 0
        gitCommit = try c.decodeIfPresent(String.self, forKey: .gitCommit)
        localChanges = try c.decodeIfPresent(Bool.self, forKey: .localChanges) ?? false
        peer = try c.decodeIfPresent(String.self, forKey: .peer)
        devices = try c.decodeIfPresent([String].self, forKey: .devices) ?? []
        cudaUnavailable = try c.decodeIfPresent(String.self, forKey: .cudaUnavailable)
    }

    init(cpuModel: String, cpuSIMD: String, cores: Int, memoryBytes: Int, os: String, swiftVersion: String, blas: String,
         threads: Int, gitCommit: String?, localChanges: Bool = false, peer: String?, devices: [String] = [],
         cudaUnavailable: String? = nil) {
        (self.cpuModel, self.cpuSIMD, self.cores, self.memoryBytes, self.os) = (cpuModel, cpuSIMD, cores, memoryBytes, os)
        (self.swiftVersion, self.blas, self.threads, self.gitCommit, self.peer) = (swiftVersion, blas, threads, gitCommit, peer)
        self.localChanges = localChanges
        (self.devices, self.cudaUnavailable) = (devices, cudaUnavailable)
    }

    /// The environment of this process.
    public static func current() -> BenchEnvironment {
        var cudaUnavailable: String?
        do throws(TesseraError) {
            try Device.cuda(0).checkAvailable()
        } catch {
            cudaUnavailable = error.message
        }
        return BenchEnvironment(
            cpuModel: cpuModelName(), cpuSIMD: cpuSIMDFlags(), cores: onlineCores, memoryBytes: physicalMemory, os: osName(),
            swiftVersion: swiftCompilerVersion, blas: GEMM.backendDescription, threads: cpuThreadCount,
            gitCommit: BuildInfo.commit, localChanges: BuildInfo.hasLocalChanges, peer: nil, devices: Device.available.map { Backends.resolved($0).summary },
            cudaUnavailable: cudaUnavailable)
    }

    /// The BLAS candidates skipped before the one loaded (or all of them), with reasons.
    public static var blasSearched: [String] { BLAS.searched }
    /// The loaded BLAS file, if any.
    public static var blasPath: String? { BLAS.loaded.map { "\($0.name) (\($0.path))" } }

    /// Online CPU cores.
    public static var onlineCores: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Physical memory in bytes.
    public static var physicalMemory: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : 0
    }

    /// The `model name` line of /proc/cpuinfo, else the architecture.
    static func cpuModelName() -> String {
        if let text = readText("/proc/cpuinfo") {
            for line in text.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingSpaces()
                }
            }
        }
        #if arch(x86_64)
        return "x86_64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// The SIMD flags of /proc/cpuinfo that matter to the CPU kernels.
    static func cpuSIMDFlags() -> String {
        guard let text = readText("/proc/cpuinfo"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return "" }
        let flags = Set(line.split(separator: " ").map(String.init))
        return ["sse4_2", "avx", "avx2", "fma", "avx512f"].filter(flags.contains).joined(separator: " ")
    }

    /// `PRETTY_NAME` from /etc/os-release.
    static func osName() -> String {
        guard let text = readText("/etc/os-release") else {
            #if os(macOS)
            return "macOS"
            #else
            return "unknown"
            #endif
        }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimming("\"")
        }
        return "unknown"
    }

    /// The compiler this binary was built with.
    static var swiftCompilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    static func readText(_ path: String) -> String? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    func trimming(_ set: String) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}

/// Formats `x` with `digits` decimals (no Foundation `String(format:)`).
public func fixed(_ x: Double, _ digits: Int) -> String { NumberFormat.fixed(x, fractionDigits: digits) }

/// A byte count as GiB with one decimal, e.g. `23.4 GiB`.
public func gibibytes(_ bytes: Int) -> String { fixed(Double(bytes) / Double(1 << 30), 1) + " GiB" }
