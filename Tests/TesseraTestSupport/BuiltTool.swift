#if canImport(Glibc)
import Glibc
#endif

/// The executables the package builds, for tests that run them as a user would.
public enum BuiltTool {
    /// The `tessera` executable built beside the running test bundle (`<scratch>/debug/tessera`).
    public static let tessera: String = {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, 4096)
        let exe = count > 0 ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let folder = exe.lastIndex(of: "/").map { String(exe[..<$0]) } ?? "."
        return folder + "/tessera"
    }()
}
