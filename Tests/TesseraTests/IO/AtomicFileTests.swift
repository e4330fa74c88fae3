import Testing

@testable import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh empty directory under /tmp, removed with its files and empty subdirectories when `body` returns.
private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    var template = Array("/tmp/tessera-atomic-XXXXXX".utf8CString)
    let directory = try #require(
        template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp) }.map { String(cString: $0) })
    defer {
        for name in directoryEntries(directory) where unlink("\(directory)/\(name)") != 0 {
            rmdir("\(directory)/\(name)")
        }
        rmdir(directory)
    }
    try body(directory)
}

/// The names in `directory`, without `.` and `..`.
private func directoryEntries(_ directory: String) -> [String] {
    guard let handle = opendir(directory) else { return [] }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) {
            String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test func writeThenReadAndReplace() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/a.npz"
            let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try AtomicFile.write(big, to: path)
            #expect(try AtomicFile.read(path) == big)
            try AtomicFile.write([1, 2, 3], to: path)
            #expect(try AtomicFile.read(path) == [1, 2, 3])
            try AtomicFile.write([], to: path)
            #expect(try AtomicFile.read(path) == [])
            #expect(directoryEntries(directory) == ["a.npz"])  // no temporary file left behind
        }
    }

    @Test func failuresNameThePathAndReason() throws {
        try withTemporaryDirectory { directory in
            let missing = #expect(throws: TesseraError.self) { try AtomicFile.read("\(directory)/none.npy") }
            #expect(missing?.kind == .io)
            #expect(missing?.description == "\(directory)/none.npy: cannot open for reading: No such file or directory")

            let noDirectory = #expect(throws: TesseraError.self) {
                try AtomicFile.write([1], to: "\(directory)/no/x.npy")
            }
            #expect(noDirectory?.location == "\(directory)/no/x.npy")
            #expect(noDirectory?.message.hasSuffix("No such file or directory") == true)

            // Renaming over a non-empty directory fails after the data was written: the temporary file must go.
            let blocker = "\(directory)/dir"
            mkdir(blocker, 0o755)
            try AtomicFile.write([1], to: "\(blocker)/keep")
            let error = #expect(throws: TesseraError.self) { try AtomicFile.write([1, 2], to: blocker) }
            #expect(error?.message.hasPrefix("cannot rename") == true)
            #expect(directoryEntries(directory) == ["dir"])
            #expect(throws: TesseraError.self) { try AtomicFile.read(blocker) }
            unlink("\(blocker)/keep")
        }
    }
}
