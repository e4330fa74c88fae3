import Tessera

/// The byte-level CSV/TSV reader behind ``LabeledMatrix/read(_:delimiter:header:rowNames:orientation:missingValues:columns:dtype:)``.
///
/// One pass over the file's bytes: each record is split into field spans (RFC 4180 quoting, `""` inside
/// quotes, quoted line breaks; CRLF, LF or CR line ends; whole-line `#` comments and blank lines skipped),
/// then numeric fields are parsed in place by ``DecimalParser`` without building strings.
struct DelimitedParser {
    struct Options {
        var delimiter: UInt8
        var header: Bool
        var rowNames: LabeledMatrix.RowNames
        var missingValues: [String]
        var columns: [String]?
    }

    /// The parsed table, in file orientation.
    struct Table {
        var rowNames: [String]?
        var columnNames: [String]?
        var values: [Double]
        var rows: Int
        var columns: Int
        var missingCount: Int
        var missing: [LabeledMatrix.Position]
    }

    /// One field of the current record: a span of the file, or of `scratch` for quoted fields with `""`.
    private struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        var inScratch: Bool
    }

    private let file: String
    private let bytes: UnsafeBufferPointer<UInt8>
    private let options: Options
    private var position = 0
    private var line = 1
    private var recordLine = 1
    private var fields: [Field] = []
    private var scratch: [UInt8] = []
    private let missingTokens: [[UInt8]]
    /// Whether a missing-value token would also parse as a number (then tokens are checked first).
    private let numericMissingToken: Bool

    init(file: String, bytes: UnsafeBufferPointer<UInt8>, options: Options) {
        self.file = file
        self.bytes = bytes
        self.options = options
        missingTokens = options.missingValues.map { Array($0.utf8) }
        numericMissingToken = missingTokens.contains { token in
            !token.isEmpty && token.withUnsafeBufferPointer { DecimalParser.parseFast($0.baseAddress!, 0, $0.count) != nil }
        }
        // A UTF-8 byte order mark is not part of the first field.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The delimiter of a file whose first record (after comments) has more tabs than commas is a tab.
    static func sniffDelimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var i = 0, tabs = 0, commas = 0, inQuotes = false, atLineStart = true, inComment = false
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if atLineStart && b == UInt8(ascii: "#") { inComment = true }
            atLineStart = false
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                if inComment || (tabs == 0 && commas == 0 && !inQuotes) {
                    inComment = false
                    atLineStart = true
                    continue
                }
                if !inQuotes { break }
            }
            if inComment { continue }
            if b == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && b == UInt8(ascii: "\t") { tabs += 1 }
            if !inQuotes && b == UInt8(ascii: ",") { commas += 1 }
        }
        return tabs > 0 && tabs >= commas ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }

    mutating func parse() throws(TesseraError) -> Table {
        var headerNames: [String]?
        if options.header {
            guard try nextRecord() else {
                throw TesseraError(.badFile, "no header line: the file holds no records", location: file)
            }
            headerNames = fields.map { text($0) }
        }
        guard try nextRecord() else {
            // A header and no data: an empty matrix with the header's columns.
            let names = headerNames.map { options.rowNames == .present ? Array($0.dropFirst()) : $0 } ?? []
            let selected = try selection(names)
            return Table(rowNames: options.rowNames == .present ? [] : nil,
                         columnNames: headerNames == nil ? nil : selected.map { names[$0] },
                         values: [], rows: 0, columns: selected.count, missingCount: 0, missing: [])
        }
        // Row names: a header one field short of the data (R's write.table), or a first field that is not a number.
        let hasRowNames: Bool
        switch options.rowNames {
        case .present: hasRowNames = true
        case .absent: hasRowNames = false
        case .auto:
            if let headerNames, headerNames.count == fields.count - 1 {
                hasRowNames = true
            } else {
                let first = fields[0]
                hasRowNames = !isMissing(first) && number(first) == nil
            }
        }
        let width = fields.count
        let names: [String]
        if let headerNames {
            if hasRowNames && headerNames.count == width - 1 {
                names = headerNames
            } else if headerNames.count == width {
                names = hasRowNames ? Array(headerNames.dropFirst()) : headerNames
            } else {
                throw TesseraError(.badFile, "line \(recordLine): expected \(headerNames.count) fields as in the header, found \(width)",
                                   location: file)
            }
        } else {
            names = (0..<(width - (hasRowNames ? 1 : 0))).map { String($0 + 1) }
        }
        let selected = try selection(names)
        // Output column of each data field (-1: skipped).
        let dataOffset = hasRowNames ? 1 : 0
        var target = [Int](repeating: -1, count: width)
        for (out, column) in selected.enumerated() { target[column + dataOffset] = out }
        let outWidth = selected.count

        var values: [Double] = []
        values.reserveCapacity(max(outWidth, 1) * max(bytes.count / max(8 * width, 1), 16))
        var rowNames: [String] = []
        var missing: [LabeledMatrix.Position] = []
        var missingCount = 0
        var rows = 0
        var row = [Double](repeating: 0, count: outWidth)
        repeat {
            guard fields.count == width else {
                throw TesseraError(.badFile, "line \(recordLine): expected \(width) fields, found \(fields.count)", location: file)
            }
            if hasRowNames { rowNames.append(text(fields[0])) }
            for column in dataOffset..<width {
                let out = target[column]
                if out < 0 { continue }
                let field = fields[column]
                // Missing tokens are checked before the slow parser, which would read "NaN" as a number.
                if !numericMissingToken, let v = fastNumber(field) {
                    row[out] = v
                    continue
                }
                if isMissing(field) {
                    row[out] = .nan
                } else if let v = number(field) {
                    row[out] = v
                    continue
                } else {
                    throw TesseraError(.badFile,
                        "line \(recordLine), column \(column + 1): expected a number, found \"\(excerpt(field))\"",
                        location: file)
                }
                missingCount += 1
                if missing.count < LabeledMatrix.missingListLimit {
                    missing.append(LabeledMatrix.Position(row: rows, column: out))
                }
            }
            values.append(contentsOf: row)
            rows += 1
        } while try nextRecord()
        return Table(rowNames: hasRowNames ? rowNames : nil,
                     columnNames: headerNames == nil ? nil : selected.map { names[$0] },
                     values: values, rows: rows, columns: outWidth, missingCount: missingCount, missing: missing)
    }

    /// Indices into `names` of the requested columns, in the order requested (all when none are named).
    private func selection(_ names: [String]) throws(TesseraError) -> [Int] {
        guard let requested = options.columns else { return Array(names.indices) }
        guard options.header else {
            throw TesseraError(.invalidArgument, "columns can only be chosen by name in a file with a header", location: file)
        }
        var result: [Int] = []
        for name in requested {
            guard let index = names.firstIndex(of: name) else {
                let listed = names.prefix(20).map(oneLine).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
                throw TesseraError(.invalidArgument, "no column named \"\(oneLine(name))\"; the columns are \(listed)",
                                   location: file)
            }
            result.append(index)
        }
        return result
    }

    // MARK: - Fields

    private func withFieldBytes<R>(_ field: Field, _ body: (UnsafePointer<UInt8>, Int, Int) -> R) -> R {
        if field.inScratch {
            return scratch.withUnsafeBufferPointer { body($0.baseAddress!, field.start, field.end) }
        }
        return body(bytes.baseAddress!, field.start, field.end)
    }

    @inline(__always)
    private func fastNumber(_ field: Field) -> Double? {
        withFieldBytes(field) { p, s, e in DecimalParser.parseFast(p, s, e) }
    }

    private func number(_ field: Field) -> Double? {
        withFieldBytes(field) { p, s, e in DecimalParser.parse(p, s, e) }
    }

    private func isMissing(_ field: Field) -> Bool {
        withFieldBytes(field) { p, s, e in
            missingTokens.contains { token in
                token.count == e - s && token.withUnsafeBufferPointer { t in
                    (0..<t.count).allSatisfy { t[$0] == p[s + $0] }
                }
            }
        }
    }

    private func text(_ field: Field) -> String {
        withFieldBytes(field) { p, s, e in
            String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self)
        }
    }

    /// The field's text for an error message, cut short when long, on one line.
    private func excerpt(_ field: Field) -> String {
        let full = text(field)
        return oneLine(full.count > 40 ? String(full.prefix(40)) + "…" : full)
    }

    // MARK: - Records

    /// Splits the next record into `fields`; false at the end of the file.
    private mutating func nextRecord() throws(TesseraError) -> Bool {
        let p = bytes.baseAddress
        let n = bytes.count
        guard let p else { return false }
        let delimiter = options.delimiter
        let trimTab = delimiter != UInt8(ascii: "\t")
        scratch.removeAll(keepingCapacity: true)
        while position < n {
            // Skip blank lines and whole-line comments.
            let b = p[position]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                consumeLineEnd(p, n)
                continue
            }
            if b == UInt8(ascii: "#") {
                while position < n && p[position] != UInt8(ascii: "\n") && p[position] != UInt8(ascii: "\r") { position += 1 }
                continue
            }
            fields.removeAll(keepingCapacity: true)
            recordLine = line
            var i = position
            while true {
                // Leading spaces of a field.
                while i < n && (p[i] == 32 || (trimTab && p[i] == 9)) && p[i] != delimiter { i += 1 }
                if i < n && p[i] == UInt8(ascii: "\"") {
                    i = try quotedField(p, n, from: i + 1)
                    while i < n && (p[i] == 32 || (trimTab && p[i] == 9)) && p[i] != delimiter { i += 1 }
                    if i < n && p[i] != delimiter && p[i] != UInt8(ascii: "\n") && p[i] != UInt8(ascii: "\r") {
                        throw TesseraError(.badFile, "line \(line), column \(fields.count): expected a delimiter or a line end after a closing quote, found \"\(oneLine(String(Unicode.Scalar(p[i]))))\"",
                                           location: file)
                    }
                } else {
                    let start = i
                    while i < n, case let c = p[i], c != delimiter, c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") { i += 1 }
                    var end = i
                    while end > start && (p[end - 1] == 32 || (trimTab && p[end - 1] == 9)) { end -= 1 }
                    fields.append(Field(start: start, end: end, quoted: false, inScratch: false))
                }
                if i < n && p[i] == delimiter {
                    i += 1
                    continue
                }
                break
            }
            position = i
            consumeLineEnd(p, n)
            // A line of spaces only is blank.
            if fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end { continue }
            return true
        }
        return false
    }

    /// Reads a quoted field whose opening quote is just before `from`; returns the index after the closing quote.
    private mutating func quotedField(_ p: UnsafePointer<UInt8>, _ n: Int, from: Int) throws(TesseraError) -> Int {
        var i = from
        let openLine = line
        var scratchStart = -1
        var segmentStart = from
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: "\"") {
                if i + 1 < n && p[i + 1] == UInt8(ascii: "\"") {
                    // An escaped quote: copy what came before it, and one quote, to scratch.
                    if scratchStart < 0 { scratchStart = scratch.count }
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + segmentStart, count: i + 1 - segmentStart))
                    i += 2
                    segmentStart = i
                    continue
                }
                if scratchStart >= 0 {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + segmentStart, count: i - segmentStart))
                    fields.append(Field(start: scratchStart, end: scratch.count, quoted: true, inScratch: true))
                } else {
                    fields.append(Field(start: from, end: i, quoted: true, inScratch: false))
                }
                return i + 1
            }
            if b == UInt8(ascii: "\n") || (b == UInt8(ascii: "\r") && (i + 1 >= n || p[i + 1] != UInt8(ascii: "\n"))) {
                line += 1
            }
            i += 1
        }
        throw TesseraError(.badFile, "line \(openLine), column \(fields.count + 1): quoted field is not closed before the end of the file",
                           location: file)
    }

    /// Steps over one CRLF, LF or CR at `position`, if there is one.
    private mutating func consumeLineEnd(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard position < n else { return }
        if p[position] == UInt8(ascii: "\r") {
            position += 1
            if position < n && p[position] == UInt8(ascii: "\n") { position += 1 }
            line += 1
        } else if p[position] == UInt8(ascii: "\n") {
            position += 1
            line += 1
        }
    }
}

/// `s` with control characters and line or paragraph separators written as `\n`, `\t`, `\u{B}`…, so that a
/// field quoted in an error message cannot break the message's one line.
private func oneLine(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator:
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
