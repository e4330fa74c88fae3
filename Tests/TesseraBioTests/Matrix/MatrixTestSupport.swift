import FoundationEssentials
import Testing
import Tessera
import TesseraTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The path of `relative` inside `Tests/TesseraBioTests/Fixtures`.
func bioFixturePath(_ relative: String, file: StaticString = #filePath) -> String {
    TestData.packageRoot(file: file) + "/Tests/TesseraBioTests/Fixtures/" + relative
}

/// Decodes the JSON fixture at `relative` (inside `Fixtures`).
func loadBioFixture<T: Decodable>(_ type: T.Type, _ relative: String, file: StaticString = #filePath) throws -> T {
    let path = bioFixturePath(relative, file: file)
    guard let handle = fopen(path, "rb") else { throw FixtureMissing(path: path) }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, handle)
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return try JSONDecoder().decode(type, from: Data(bytes))
}

struct FixtureMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "fixture \(path) is missing (run its make_*.py script)" }
}

/// Writes `text` to a fresh file under /tmp named `name` and returns its path.
func temporaryFile(_ name: String, _ text: String) -> String {
    temporaryFile(name, bytes: Array(text.utf8))
}

func temporaryFile(_ name: String, bytes: [UInt8]) -> String {
    var template = Array("/tmp/tessera-bio-XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    let path = directory + "/" + name
    let handle = fopen(path, "wb")!
    _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
    fclose(handle)
    return path
}

/// Removes a file made by ``temporaryFile(_:bytes:)`` and its directory.
func removeTemporaryFile(_ path: String) {
    unlink(path)
    if let slash = path.lastIndex(of: "/") { rmdir(String(path[..<slash])) }
}

/// The message of the `TesseraError` that `body` throws, or nil when it throws none.
func thrownDescription(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as TesseraError {
        return error.description
    } catch {
        return "not a TesseraError: \(error)"
    }
}
