/// The element type named by a `.npy` header's `descr`, e.g. `'<f4'` → ``float32``.
///
/// Covers every NumPy kind so that an error can name a type Tessera does not read; ``isNumeric`` says
/// which ones ``NPYFormat/parseHeader(_:file:)`` accepts.
///
/// bfloat16 has no descr in stock NumPy (ml_dtypes saves it as an opaque `'<V2'`), so Tessera saves a
/// bfloat16 tensor as ``uint16`` (`'<u2'`) holding the raw bits: exact, and loadable anywhere; in
/// NumPy, `np.load(path).view(ml_dtypes.bfloat16)` recovers the values. Such a file loads back as uint16.
package enum NPYElementType: Equatable, Sendable {
    case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64
    /// `f12` or `f16`: the platform's C `long double`, padded to `bytes`.
    case longDouble(bytes: Int)
    case complex64, complex128
    /// `c24` or `c32`: a pair of C `long double`s.
    case complexLongDouble(bytes: Int)
    /// `S<n>`: fixed-length byte strings.
    case bytes(count: Int)
    /// `U<n>`: fixed-length UTF-32 strings.
    case unicode(count: Int)
    /// `V<n>`: opaque fixed-size records.
    case void(bytes: Int)
    /// `O`: pickled Python objects.
    case object
    /// `M8[unit]`; `unit` is empty for a generic datetime.
    case datetime64(unit: String)
    /// `m8[unit]`; `unit` is empty for a generic timedelta.
    case timedelta64(unit: String)

    /// Whether this is a bool, integer or real floating-point type, the kinds Tessera reads.
    package var isNumeric: Bool {
        switch self {
        case .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64:
            true
        default:
            false
        }
    }

    /// Bytes per element (for ``object``, the size of a pointer).
    package var itemSize: Int {
        switch self {
        case .bool, .int8, .uint8: 1
        case .int16, .uint16, .float16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64, .complex64, .object, .datetime64, .timedelta64: 8
        case .complex128: 16
        case .longDouble(let n), .complexLongDouble(let n), .void(let n): n
        case .bytes(let n): n
        case .unicode(let n): 4 * n
        }
    }

    /// The NumPy name, e.g. `float32`, `complex64`, `datetime64[ns]`; the type code for strings (`S10`, `U5`, `V2`).
    package var name: String {
        switch self {
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float16: "float16"
        case .float32: "float32"
        case .float64: "float64"
        case .longDouble(let n): "float\(8 * n)"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .complexLongDouble(let n): "complex\(8 * n)"
        case .bytes, .unicode, .void: typeCode
        case .object: "object"
        case .datetime64(let unit): unit.isEmpty ? "datetime64" : "datetime64[\(unit)]"
        case .timedelta64(let unit): unit.isEmpty ? "timedelta64" : "timedelta64[\(unit)]"
        }
    }

    /// The descr without its byte-order character, e.g. `f4`, `S10`, `M8[ns]`.
    package var typeCode: String {
        switch self {
        case .bool: "b1"
        case .int8, .int16, .int32, .int64: "i\(itemSize)"
        case .uint8, .uint16, .uint32, .uint64: "u\(itemSize)"
        case .float16, .float32, .float64, .longDouble: "f\(itemSize)"
        case .complex64, .complex128, .complexLongDouble: "c\(itemSize)"
        case .bytes(let n): "S\(n)"
        case .unicode(let n): "U\(n)"
        case .void(let n): "V\(n)"
        case .object: "O"
        case .datetime64(let unit): unit.isEmpty ? "M8" : "M8[\(unit)]"
        case .timedelta64(let unit): unit.isEmpty ? "m8" : "m8[\(unit)]"
        }
    }

    /// Whether the byte order matters; NumPy writes `|` for the rest.
    package var hasByteOrder: Bool {
        switch self {
        case .bool, .int8, .uint8, .bytes, .void, .object: false
        default: true
        }
    }

    /// Parses a descr's type code (`f4`, `S10`, `M8[ns]`), or returns nil if NumPy would not write it.
    package init?(typeCode code: Substring) {
        guard let kind = code.first else { return nil }
        let rest = code.dropFirst()
        // NumPy item sizes are C ints; the bound also keeps `itemSize` arithmetic from overflowing.
        let isSize = !rest.isEmpty && rest.count <= 10 && rest.allSatisfy { ("0"..."9").contains($0) }
        let size = isSize ? Int(rest).flatMap { $0 <= Int(Int32.max) ? $0 : nil } : nil
        switch (kind, size) {
        case ("b", 1): self = .bool
        case ("i", 1): self = .int8
        case ("i", 2): self = .int16
        case ("i", 4): self = .int32
        case ("i", 8): self = .int64
        case ("u", 1): self = .uint8
        case ("u", 2): self = .uint16
        case ("u", 4): self = .uint32
        case ("u", 8): self = .uint64
        case ("f", 2): self = .float16
        case ("f", 4): self = .float32
        case ("f", 8): self = .float64
        case ("f", 12), ("f", 16): self = .longDouble(bytes: size ?? 0)
        case ("c", 8): self = .complex64
        case ("c", 16): self = .complex128
        case ("c", 24), ("c", 32): self = .complexLongDouble(bytes: size ?? 0)
        case ("S", let n?), ("a", let n?): self = .bytes(count: n)
        case ("U", let n?): self = .unicode(count: n)
        case ("V", let n?): self = .void(bytes: n)
        case ("O", nil) where rest.isEmpty, ("O", 4), ("O", 8): self = .object
        case ("M", _), ("m", _):
            guard rest.hasPrefix("8") else { return nil }
            let unit = rest.dropFirst()
            guard unit.isEmpty || (unit.first == "[" && unit.last == "]" && unit.count > 2) else { return nil }
            let name = String(unit.dropFirst().dropLast())
            self = kind == "M" ? .datetime64(unit: name) : .timedelta64(unit: name)
        default: return nil
        }
    }
}

/// The fields of a `.npy` header: what the data after it holds and in which layout.
package struct NPYHeader: Equatable, Sendable {
    /// The element type.
    package var type: NPYElementType
    /// Whether multi-byte elements are stored least significant byte first (always true for 1-byte types).
    package var littleEndian: Bool
    /// Whether the data is in column-major (Fortran) order rather than row-major (C) order.
    package var fortranOrder: Bool
    /// The array's dimensions; empty for a 0-d array.
    package var shape: [Int]
    /// The dtype string exactly as written in the header, e.g. `<f4`.
    package var descr: String

    /// A header for `type`; the descr is derived the way NumPy writes it (`<f4`, `>i8`, `|u1`).
    package init(type: NPYElementType, littleEndian: Bool = true, fortranOrder: Bool = false, shape: [Int]) {
        self.type = type
        self.littleEndian = littleEndian || !type.hasByteOrder
        self.fortranOrder = fortranOrder
        self.shape = shape
        self.descr = (type.hasByteOrder ? (littleEndian ? "<" : ">") : "|") + type.typeCode
    }

    /// A header whose descr is stored as given (it came from a file).
    init(type: NPYElementType, littleEndian: Bool, fortranOrder: Bool, shape: [Int], descr: String) {
        self.type = type
        self.littleEndian = littleEndian
        self.fortranOrder = fortranOrder
        self.shape = shape
        self.descr = descr
    }

    /// The number of elements, or nil if it overflows `Int`.
    package var elementCount: Int? {
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The number of data bytes after the header, or nil if it overflows `Int`.
    package var byteCount: Int? {
        guard let count = elementCount else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: type.itemSize)
        return overflow ? nil : bytes
    }
}

/// Reads and writes the header of NumPy's `.npy` format (numpy.lib.format, versions 1.0, 2.0 and 3.0).
///
/// A file is the magic `\x93NUMPY`, a version, a little-endian header length (2 bytes in 1.0, 4 in
/// 2.0/3.0), a Python dict literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
/// padded with spaces and `\n`, then the raw array data.
///
/// ```swift
/// let bytes = NPYFormat.encodeHeader(NPYHeader(type: .float32, shape: [3, 4])) + data
/// let (header, offset) = try bytes.withUnsafeBytes { try NPYFormat.parseHeader($0, file: "x.npy") }
/// ```
package enum NPYFormat {
    /// The magic string every `.npy` file starts with.
    package static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Parses magic, version (1.0, 2.0, 3.0), header length and the header dict; returns the header and
    /// the data offset. Checks the data length against the file size.
    ///
    /// - Parameters:
    ///   - bytes: the whole file (or the whole `.npz` member).
    ///   - file: the name errors report as their location.
    ///   - fileSize: the size of the whole file when `bytes` holds only its beginning (at least the
    ///     header); nil when `bytes` is the whole file.
    /// - Returns: the header and the offset of the first data byte.
    /// - Throws: ``TesseraError`` of kind `.badFile` for malformed input, with the offset of the problem
    ///   and what was expected and found; `.unsupported` for a valid header whose dtype is not
    ///   ``NPYElementType/isNumeric`` (complex, object, strings, structured, …) or a newer format version.
    package static func parseHeader(
        _ bytes: UnsafeRawBufferPointer, file: String, fileSize: Int? = nil
    ) throws(TesseraError) -> (NPYHeader, dataOffset: Int) {
        let size = fileSize ?? bytes.count
        func bad(_ message: String, at offset: Int) -> TesseraError {
            TesseraError(.badFile, message, location: file, offset: offset)
        }
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            let shown = bytes.prefix(magic.count)
            let note = shown.count < magic.count ? " (file is \(size) bytes)" : ""
            throw bad("expected magic \\x93NUMPY, found \(quotedFileBytes(shown))\(note)", at: 0)
        }
        guard bytes.count >= 8 else { throw bad("expected a 2-byte format version, found end of file", at: 6) }
        let (major, minor) = (bytes[6], bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw TesseraError(
                .unsupported, "npy format version \(major).\(minor) is not supported, expected 1.0, 2.0 or 3.0",
                location: file, offset: 6)
        }
        let lengthSize = major == 1 ? 2 : 4
        let headerStart = 8 + lengthSize
        guard bytes.count >= headerStart else {
            throw bad("expected a \(lengthSize)-byte header length, found end of file", at: 8)
        }
        let headerLength = (0..<lengthSize).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataOffset = headerStart + headerLength
        guard dataOffset <= bytes.count else {
            throw bad("header length \(headerLength) runs past the end of the file (\(size) bytes)", at: 8)
        }
        var parser = NPYHeaderParser(
            text: UnsafeRawBufferPointer(rebasing: bytes[headerStart..<dataOffset]), utf8: major == 3,
            file: file, baseOffset: headerStart)
        let header = try parser.parseHeader()
        guard let byteCount = header.byteCount else {
            throw bad("shape \(header.shape) has more elements than fit in memory", at: headerStart)
        }
        guard byteCount <= size - dataOffset else {
            throw bad("header says \(byteCount) bytes of data, file has \(size - dataOffset)", at: dataOffset)
        }
        return (header, dataOffset)
    }

    /// A version-1.0 header (2.0 when it does not fit), padded so data starts on a 64-byte boundary, as
    /// NumPy writes it.
    ///
    /// The bytes match `numpy.lib.format.write_array` exactly, including the spare spaces NumPy leaves
    /// so the growing axis can be rewritten in place.
    package static func encodeHeader(_ header: NPYHeader) -> [UInt8] {
        let dims = header.shape.map(String.init)
        let shape = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        var text = "{'descr': '\(header.descr)', 'fortran_order': \(header.fortranOrder ? "True" : "False"), "
        text += "'shape': \(shape), }"
        if let growing = header.fortranOrder ? dims.last : dims.first {
            text += String(repeating: " ", count: max(0, 21 - growing.count))
        }
        let body = Array(text.utf8)
        func paddedLength(_ lengthSize: Int) -> Int {
            let unpadded = magic.count + 2 + lengthSize + body.count + 1  // + version, + final newline
            return body.count + 1 + (64 - unpadded % 64)  // NumPy pads a full 64 when already aligned
        }
        let lengthSize = paddedLength(2) <= Int(UInt16.max) ? 2 : 4
        let length = paddedLength(lengthSize)
        let version: [UInt8] = lengthSize == 2 ? [1, 0] : [2, 0]
        let lengthBytes = (0..<lengthSize).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        return magic + version + lengthBytes + body + Array(repeating: 0x20, count: length - body.count - 1) + [0x0A]
    }
}

/// `bytes` as a double-quoted string with non-printable bytes escaped, e.g. `"PK\x03\x04"`.
func quotedFileBytes<C: Collection<UInt8>>(_ bytes: C) -> String {
    let hex = Array("0123456789abcdef")
    var text = "\""
    for byte in bytes {
        if (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
            text.append(Character(Unicode.Scalar(byte)))
        } else {
            text += "\\x" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
        }
    }
    return text + "\""
}
