import Testing

@testable import Tessera

/// The path of `relative` inside this test target's `Fixtures` folder.
///
/// Found from the calling test file's `#filePath` (walking up to the `TesseraTests` folder), so it
/// needs neither Foundation's `Bundle` nor the working directory.
func fixturePath(_ relative: String, file: StaticString = #filePath) -> String {
    let components = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
    let root = components.lastIndex(of: "TesseraTests").map { components[...$0] } ?? components.dropLast()
    return root.joined(separator: "/") + "/Fixtures/" + relative
}

/// The bytes of the fixture at `relative` inside `Fixtures`.
func fixtureBytes(_ relative: String, file: StaticString = #filePath) throws -> [UInt8] {
    try AtomicFile.read(fixturePath(relative, file: file))
}

/// The lines of a `key=value key=value` sidecar written by `Fixtures/npy/make_fixtures.py`, as dictionaries.
func fixtureSidecar(_ relative: String, file: StaticString = #filePath) throws -> [[String: String]] {
    let text = String(decoding: try fixtureBytes(relative, file: file), as: UTF8.self)
    return text.split(separator: "\n").map { line in
        var fields: [String: String] = [:]
        for field in line.split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return fields
    }
}

/// One array NumPy wrote (a `.npy` file or an `.npz` member) and NumPy's own view of its header and data.
struct NPYFixture: CustomTestStringConvertible, Sendable {
    var file: String
    var member: String?
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    var dataOffset: Int
    var data: [UInt8]

    var testDescription: String { member.map { "\(file)/\($0)" } ?? file }

    /// Every line of `Fixtures/npy/expected.txt`.
    static let all: [NPYFixture] = {
        guard let lines = try? fixtureSidecar("npy/expected.txt") else { return [] }
        return lines.map { fields in
            let value = { (key: String) in fields[key] ?? "" }
            return NPYFixture(
                file: value("file"), member: fields["member"], descr: value("descr"),
                fortranOrder: value("fortran") == "1",
                shape: value("shape").split(separator: ",").compactMap { Int($0) },
                dataOffset: Int(value("offset")) ?? -1,
                data: hexBytes(value("hex")))
        }
    }()

    /// The fixtures that are standalone `.npy` files.
    static var files: [NPYFixture] { all.filter { $0.member == nil } }
}

/// The bytes spelled by a string of hex digit pairs.
func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
        UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)
    }
}
