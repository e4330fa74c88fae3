import Tessera

/// The HEADER of one data set: the version and the segment offsets, made absolute (file offsets).
struct FCSHeader {
    var version: String
    /// Where this data set's HEADER starts (0 for the first; later ones via `$NEXTDATA`).
    var base: Int
    var textStart: Int
    var textEnd: Int
    /// 0 when the HEADER leaves it to `$BEGINDATA` (relative values, not yet made absolute).
    var dataStartField: Int
    var dataEndField: Int

    static let size = 58
    static let versions: Set<String> = ["2.0", "3.0", "3.1", "3.2"]

    /// Reads the HEADER at `base`.
    static func read(_ b: [UInt8], at base: Int, path: String) throws(TesseraError) -> FCSHeader {
        let n = b.count
        let magicEnd = min(n, base + 6)
        let magic = base < n ? Array(b[base..<magicEnd]) : []
        guard magic.count >= 3, magic[0] == 0x46, magic[1] == 0x43, magic[2] == 0x53 else {
            throw FCSError.bad(path, base, "expected \"FCS\" version at offset \(base), found \(quoted(magic[...]))")
        }
        let version = String(decoding: magic.dropFirst(3), as: UTF8.self)
        guard magic.count == 6 else {
            throw FCSError.bad(path, base, "expected a \(size)-byte FCS HEADER, found \(n - base) bytes (truncated)")
        }
        guard versions.contains(version) else {
            throw TesseraError(.unsupported, "expected FCS version 2.0, 3.0 or 3.1, found \(quoted(magic[...]))",
                               location: path, offset: base)
        }
        guard base + size <= n else {
            throw FCSError.bad(path, base, "expected a \(size)-byte FCS HEADER, found \(n - base) bytes (truncated)")
        }
        let names = ["TEXT start", "TEXT end", "DATA start", "DATA end"]
        var fields: [Int] = []
        for (i, name) in names.enumerated() {
            let at = base + 10 + 8 * i
            let raw = b[at..<at + 8]
            let digits = raw.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
            if digits.isEmpty { fields.append(0); continue }
            guard digits.count <= 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw FCSError.bad(path, at, "expected a right-aligned number for HEADER \(name), found \(quoted(raw))")
            }
            fields.append(digits.reduce(0) { $0 * 10 + Int($1 - 0x30) })
        }
        guard fields[0] != 0, fields[1] != 0 else {
            throw FCSError.bad(path, base + 10, "expected TEXT offsets in the HEADER, found \(fields[0]) and \(fields[1])")
        }
        var textEnd = fields[1]
        // fcsparser's fix for writers that put TEXT end on the first DATA byte.
        if fields[2] != 0 && textEnd == fields[2] { textEnd -= 1 }
        let start = base + fields[0], end = base + textEnd
        guard fields[0] >= size else {
            throw FCSError.bad(path, base + 10, "expected TEXT to start after the \(size)-byte HEADER, found TEXT start \(fields[0])")
        }
        guard start < end else {
            throw FCSError.bad(path, base + 10, "expected TEXT start < TEXT end, found \(fields[0]) and \(textEnd)")
        }
        // A TEXT end one byte past the file is the same off-by-one as for DATA; anything further is not.
        guard end <= n else {
            throw FCSError.bad(path, base + 18, "TEXT end \(end) is past the end of the file (\(n) bytes)")
        }
        return FCSHeader(version: "FCS" + version, base: base, textStart: start, textEnd: min(end, n - 1),
                         dataStartField: fields[2], dataEndField: fields[3])
    }
}

/// Keyword-value pairs of a TEXT segment, in file order, with case-insensitive lookup.
struct FCSKeywords {
    var pairs: [(key: String, value: String)] = []
    private var index: [String: Int] = [:]

    subscript(key: String) -> String? { index[key.uppercased()].map { pairs[$0].value } }

    /// Adds a pair; a repeated keyword keeps its first value for lookup (primary TEXT wins over supplemental).
    mutating func append(_ key: String, _ value: String) {
        let upper = key.uppercased()
        if index[upper] == nil { index[upper] = pairs.count }
        pairs.append((key, value))
    }

    func contains(_ key: String) -> Bool { index[key.uppercased()] != nil }

    /// Parses `b[start...end]`: the first byte is the delimiter, a doubled delimiter is one literal delimiter
    /// character inside a key or value (the standard's escape), and trailing padding after the last delimiter
    /// is ignored. A last field without its closing delimiter is kept; a key without a value is dropped (both as
    /// fcsparser does).
    mutating func parse(_ b: [UInt8], _ start: Int, _ end: Int, fallback: TextFallback) {
        let delimiter = b[start]
        var last = end
        while last > start && b[last] != delimiter && (b[last] == 0x20 || b[last] == 0 || (b[last] >= 9 && b[last] <= 13)) {
            last -= 1
        }
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var i = start + 1
        while i <= last {
            let c = b[i]
            if c != delimiter {
                field.append(c)
                i += 1
            } else if i < last && b[i + 1] == delimiter {
                field.append(c)
                i += 2
            } else {
                fields.append(field)
                field.removeAll(keepingCapacity: true)
                i += 1
            }
        }
        if !field.isEmpty { fields.append(field) }
        var k = 0
        while k + 1 < fields.count {
            append(decodeText(fields[k][...], fallback), decodeText(fields[k + 1][...], fallback))
            k += 2
        }
    }
}

/// How TEXT bytes that are not valid UTF-8 are read.
enum TextFallback {
    /// FCS 2.0 came from Mac OS instruments (FACSCalibur/CellQuest): e.g. 0xAA is "™".
    case macRoman
    /// FCS 3.x writers that are not UTF-8 are mostly Windows/ISO Latin-1.
    case latin1
}

/// UTF-8 when valid, else one character per byte through `fallback`; never fails.
func decodeText(_ bytes: ArraySlice<UInt8>, _ fallback: TextFallback) -> String {
    if bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil {
        return String(decoding: bytes, as: UTF8.self)
    }
    var s = String.UnicodeScalarView()
    for byte in bytes {
        let code = byte < 0x80 || fallback == .latin1 ? UInt32(byte) : UInt32(macRomanHigh[Int(byte) - 0x80])
        s.append(Unicode.Scalar(code) ?? "?")
    }
    return String(s)
}

/// Bytes as a short quoted string for messages: printable ASCII as is, others as `\xNN`.
func quoted<C: Collection>(_ bytes: C, limit: Int = 16) -> String where C.Element == UInt8 {
    var s = "\""
    for byte in bytes.prefix(limit) {
        switch byte {
        case 0x22, 0x5C: s += "\\" + String(UnicodeScalar(byte))
        case 0x20...0x7E: s.append(Character(UnicodeScalar(byte)))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            s += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return s + (bytes.count > limit ? "…\"" : "\"")
}

enum FCSError {
    static func bad(_ path: String, _ offset: Int?, _ message: String) -> TesseraError {
        TesseraError(.badFile, message, location: path, offset: offset)
    }
}

/// Mac OS Roman, bytes 0x80–0xFF.
private let macRomanHigh: [UInt16] = [
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1, 0x00E0, 0x00E2, 0x00E4, 0x00E3,
    0x00E5, 0x00E7, 0x00E9, 0x00E8, 0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC, 0x2020, 0x00B0, 0x00A2, 0x00A3,
    0x00A7, 0x2022, 0x00B6, 0x00DF, 0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211, 0x220F, 0x03C0, 0x222B, 0x00AA,
    0x00BA, 0x03A9, 0x00E6, 0x00F8, 0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153, 0x2013, 0x2014, 0x201C, 0x201D,
    0x2018, 0x2019, 0x00F7, 0x25CA, 0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1, 0x00CB, 0x00C8, 0x00CD, 0x00CE,
    0x00CF, 0x00CC, 0x00D3, 0x00D4, 0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
]
