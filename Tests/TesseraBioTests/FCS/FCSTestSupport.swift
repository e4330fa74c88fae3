import Testing
import Tessera
import TesseraBio
import TesseraTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder of the five real FCS files (`Tests/Data/fcs`), or nil after recording a failure.
func fcsDataFolder(file: StaticString = #filePath, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    TestData.require("fcs", file: file, sourceLocation: sourceLocation)
}

/// The path of `name` inside `Tests/TesseraBioTests/Fixtures/fcs`.
func fcsFixturePath(_ name: String, file: StaticString = #filePath) -> String {
    let components = "\(file)".split(separator: "/", omittingEmptySubsequences: false)
    let root = components.lastIndex(of: "TesseraBioTests").map { components[...$0] } ?? components.dropLast()
    return root.joined(separator: "/") + "/Fixtures/fcs/" + name
}

/// The five real files' names, as in Tests/Data/MANIFEST.md.
let fcsRealFiles = [
    "EY_2013-07-19_PBS_FCS_3.1_Well_A1.001.fcs", "FCS3.0_Custom_Compatible.fcs",
    "FCS_3.0_Fortessa_PBS_Specimen_001_A1_A01.fcs", "Sample_Well_A02.fcs", "cyflow_cube_8.fcs",
]

/// FNV-1a 64 over bytes (the hash `make_fcs_fixtures.py` writes).
func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
}

/// Builds small FCS files byte by byte, for cases the real files do not have.
struct FCSBuilder {
    var version = "FCS3.0"
    var delimiter: UInt8 = UInt8(ascii: "/")
    /// Keywords other than $BEGINDATA/$ENDDATA/$NEXTDATA, which `bytes` adds.
    var keywords: [(String, String)] = []
    var data: [UInt8] = []
    /// Write 0 for the DATA offsets in the HEADER, leaving them to $BEGINDATA/$ENDDATA.
    var headerDataZero = false
    /// Added to the standard $ENDDATA (begin + size - 1).
    var endAdjust = 0
    /// Bytes appended after DATA.
    var trailer: [UInt8] = []

    /// Standard list-mode keywords for `par` parameters of `bits` bits.
    static func keywords(datatype: String, byteord: String, tot: Int, bits: [Int], ranges: [Int]? = nil) -> [(String, String)] {
        var k: [(String, String)] = [("$BYTEORD", byteord), ("$DATATYPE", datatype), ("$MODE", "L"),
                                     ("$PAR", "\(bits.count)"), ("$TOT", "\(tot)")]
        for (i, b) in bits.enumerated() {
            k += [("$P\(i + 1)B", "\(b)"), ("$P\(i + 1)N", "CH\(i + 1)"), ("$P\(i + 1)R", "\(ranges?[i] ?? (1 << min(b, 30)))")]
        }
        return k
    }

    func bytes(nextData: Int = 0) -> [UInt8] {
        let d = delimiter
        func escaped(_ s: String) -> [UInt8] { Array(s.utf8).flatMap { $0 == d ? [d, d] : [$0] } }
        // Numbers are padded to a fixed width with trailing spaces, so the TEXT length does not depend on them.
        func padded(_ n: Int) -> String { let s = "\(n)"; return s + String(repeating: " ", count: 12 - s.count) }
        func text(begin: Int, end: Int) -> [UInt8] {
            var t: [UInt8] = [d]
            let all = keywords + [("$BEGINDATA", padded(begin)), ("$ENDDATA", padded(end)), ("$NEXTDATA", padded(nextData))]
            for (k, v) in all { t += escaped(k) + [d] + escaped(v) + [d] }
            return t
        }
        let textStart = 58
        let textLength = text(begin: 0, end: 0).count
        let begin = textStart + textLength
        let end = begin + data.count - 1 + endAdjust
        // Offsets that do not fit in 8 digits are written as 0, as the standard says (the reader then uses TEXT).
        func field(_ n: Int) -> [UInt8] {
            let s = n > 99_999_999 ? "0" : "\(n)"
            return Array((String(repeating: " ", count: 8 - s.count) + s).utf8)
        }
        var out = Array(version.utf8) + Array("    ".utf8)
        out += field(textStart) + field(begin - 1)
        out += headerDataZero ? field(0) + field(0) : field(begin) + field(end)
        out += field(0) + field(0)
        out += text(begin: begin, end: end) + data + trailer
        return out
    }
}

extension Array where Element == UInt8 {
    mutating func appendBytes<T: FixedWidthInteger>(_ value: T, bigEndian: Bool, width: Int = MemoryLayout<T>.size) {
        for i in 0..<width {
            let shift = bigEndian ? (width - 1 - i) * 8 : i * 8
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}

/// Parses `bytes`, expecting a `TesseraError`; returns it (nil, with a recorded issue, when it parses).
func fcsError(_ bytes: [UInt8], dataset: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) -> TesseraError? {
    do {
        let f = try FCSFile.parse(bytes, path: "t.fcs", dataset: dataset)
        Issue.record("expected an error, parsed \(f.events) × \(f.parameters.count)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.location == "t.fcs", sourceLocation: sourceLocation)
        return error
    }
}
