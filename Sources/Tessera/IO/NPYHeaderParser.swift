/// Parses the Python dict literal in a `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, into an ``NPYHeader``.
///
/// Accepts what `ast.literal_eval` would for the three keys NumPy writes, in any order, including
/// Python 2's `3L` integers; anything else is a `.badFile` error with the offset of the offending token.
struct NPYHeaderParser {
    /// A parsed Python literal; `sequence` is a tuple or, when `isList`, a list.
    private indirect enum Literal {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case none
        case sequence([Literal], isList: Bool)
    }

    /// Nesting deeper than this is not a header NumPy wrote; the limit keeps recursion bounded.
    private static let maxDepth = 8
    private let text: UnsafeRawBufferPointer
    private let utf8: Bool
    private let file: String
    private let baseOffset: Int
    private var position = 0

    /// A parser for `text`, the header bytes found at `baseOffset` in `file`; version 3.0 headers are
    /// UTF-8, older ones Latin-1.
    init(text: UnsafeRawBufferPointer, utf8: Bool, file: String, baseOffset: Int) {
        self.text = text
        self.utf8 = utf8
        self.file = file
        self.baseOffset = baseOffset
    }

    /// Parses the whole header text; only whitespace may follow the closing brace.
    mutating func parseHeader() throws(TesseraError) -> NPYHeader {
        skipSpace()
        try expect("{")
        var values: [String: (literal: Literal, range: Range<Int>)] = [:]
        skipSpace()
        while peek != UInt8(ascii: "}") {
            let keyStart = position
            guard case .string(let key) = try parseValue(depth: 1) else {
                throw bad("expected a string key, found \(source(keyStart..<position))", at: keyStart)
            }
            guard ["descr", "fortran_order", "shape"].contains(key), values[key] == nil else {
                let problem = values[key] == nil ? "unexpected" : "duplicate"
                throw bad("\(problem) key '\(key)', expected 'descr', 'fortran_order' and 'shape'", at: keyStart)
            }
            skipSpace()
            try expect(":")
            skipSpace()
            let valueStart = position
            values[key] = (try parseValue(depth: 1), valueStart..<position)
            skipSpace()
            if peek == UInt8(ascii: ",") {
                position += 1
                skipSpace()
            } else if peek != UInt8(ascii: "}") {
                throw bad("expected ',' or '}' in header dict, found \(found())", at: position)
            }
        }
        position += 1
        skipSpace()
        guard position == text.count else {
            throw bad("expected end of header after '}', found \(found())", at: position)
        }
        func required(_ key: String) throws(TesseraError) -> (literal: Literal, range: Range<Int>) {
            guard let value = values[key] else {
                throw bad("header has no '\(key)' key, expected 'descr', 'fortran_order' and 'shape'", at: 0)
            }
            return value
        }
        let (descr, descrRange) = try required("descr")
        let (fortran, fortranRange) = try required("fortran_order")
        let (shape, shapeRange) = try required("shape")

        guard case .boolean(let fortranOrder) = fortran else {
            throw bad(
                "expected 'fortran_order' True or False, found \(source(fortranRange))", at: fortranRange.lowerBound)
        }
        guard case .sequence(let dims, isList: false) = shape else {
            throw bad("expected 'shape' to be a tuple, found \(source(shapeRange))", at: shapeRange.lowerBound)
        }
        var sizes: [Int] = []
        for dim in dims {
            guard case .integer(let n) = dim, n >= 0 else {
                throw bad(
                    "expected 'shape' of non-negative integers, found \(source(shapeRange))", at: shapeRange.lowerBound)
            }
            sizes.append(n)
        }
        return try header(descr: descr, at: descrRange, fortranOrder: fortranOrder, shape: sizes)
    }

    /// Interprets the descr value: a type string like `'<f4'`, or a list of fields (a structured dtype).
    private func header(
        descr: Literal, at range: Range<Int>, fortranOrder: Bool, shape: [Int]
    ) throws(TesseraError) -> NPYHeader {
        guard case .string(let string) = descr else {
            if case .sequence(_, isList: true) = descr {
                throw TesseraError(
                    .unsupported, "structured dtype \(source(range)) is not supported",
                    location: file, offset: baseOffset + range.lowerBound)
            }
            throw bad("expected 'descr' to be a string like '<f4', found \(source(range))", at: range.lowerBound)
        }
        var code = Substring(string)
        let order = code.first.flatMap { "<>|=".contains($0) ? $0 : nil }
        if order != nil { code = code.dropFirst() }
        guard let type = NPYElementType(typeCode: code) else {
            throw bad("expected a dtype descr like '<f4', found \(source(range))", at: range.lowerBound)
        }
        guard type.isNumeric else {
            throw TesseraError(
                .unsupported,
                "dtype \(type.name) (\(source(range))) is not supported, expected bool, int8…int64, "
                    + "uint8…uint64, float16, float32 or float64", location: file, offset: baseOffset + range.lowerBound
            )
        }
        // `|` and `=` (and no order character) mean native order; one-byte types have none.
        let littleEndian = !type.hasByteOrder || (order == ">" ? false : order == "<" || 1.littleEndian == 1)
        return NPYHeader(
            type: type, littleEndian: littleEndian, fortranOrder: fortranOrder, shape: shape, descr: string)
    }

    private mutating func parseValue(depth: Int) throws(TesseraError) -> Literal {
        guard depth <= Self.maxDepth else {
            throw bad("expected a header value, found nesting deeper than \(Self.maxDepth)", at: position)
        }
        let start = position
        guard let byte = peek else { throw bad("expected a value, found end of header", at: position) }
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            position += 1
            while let c = peek, c != byte {
                position += c == UInt8(ascii: "\\") ? 2 : 1
            }
            guard position < text.count else { throw bad("expected a closing quote, found end of header", at: start) }
            position += 1
            let contents = UnsafeRawBufferPointer(rebasing: text[(start + 1)..<(position - 1)])
            return .string(
                utf8
                    ? String(decoding: contents, as: UTF8.self)
                    : String(String.UnicodeScalarView(contents.map { Unicode.Scalar($0) })))
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            position += 1
            while let c = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 }
            let digits = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<position]), as: UTF8.self)
            if peek == UInt8(ascii: "L") || peek == UInt8(ascii: "l") { position += 1 }  // Python 2 long
            guard let value = Int(digits) else {
                throw bad("expected an integer that fits in 64 bits, found \(source(start..<position))", at: start)
            }
            return .integer(value)
        case UInt8(ascii: "("), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            position += 1
            var items: [Literal] = []
            var sawComma = false
            skipSpace()
            while peek != close {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    sawComma = true
                    position += 1
                    skipSpace()
                } else if peek != close {
                    throw bad("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(found())", at: position)
                }
            }
            position += 1
            // `(5)` is just 5 in Python; a one-element tuple needs its comma.
            if byte == UInt8(ascii: "("), items.count == 1, !sawComma { return items[0] }
            return .sequence(items, isList: byte == UInt8(ascii: "["))
        default:
            while let c = peek, c.isASCIILetter { position += 1 }
            switch source(start..<position) {
            case "True": return .boolean(true)
            case "False": return .boolean(false)
            case "None": return .none
            default: throw bad("expected a value, found \(found(from: start))", at: start)
            }
        }
    }

    private var peek: UInt8? { position < text.count ? text[position] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || (0x09...0x0D).contains(c) { position += 1 }
    }

    private mutating func expect(_ character: Character) throws(TesseraError) {
        guard peek == character.asciiValue else { throw bad("expected '\(character)', found \(found())", at: position) }
        position += 1
    }

    /// The header text in `range`, for messages.
    private func source(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: text[range.clamped(to: 0..<text.count)]), as: UTF8.self)
    }

    /// Up to a dozen bytes from `start`, quoted, or "end of header".
    private func found(from start: Int? = nil) -> String {
        let start = start ?? position
        guard start < text.count else { return "end of header" }
        return quotedFileBytes(text[start..<min(text.count, start + 12)])
    }

    private func bad(_ message: String, at position: Int) -> TesseraError {
        TesseraError(.badFile, message, location: file, offset: baseOffset + position)
    }
}

extension UInt8 {
    fileprivate var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
}
