/// Reads and writes ZIP archives, the container of NumPy's `.npz` files.
///
/// Reads what `np.savez` and `np.savez_compressed` write: stored and deflated entries, ZIP64 records,
/// data descriptors; every entry's CRC-32 is checked. Writes stored (uncompressed) entries with UTF-8
/// names and a fixed 1980-01-01 timestamp, so the same entries always give the same bytes.
///
/// ```swift
/// let archive = ZIPArchive.write([(name: "a.npy", data: npyBytes)])
/// let entries = try ZIPArchive.read(archive, file: "weights.npz")
/// ```
package enum ZIPArchive {
    /// The entries of the archive `bytes`, in central-directory order.
    ///
    /// - Parameters:
    ///   - bytes: the whole archive.
    ///   - file: the name errors report as their location.
    /// - Throws: ``TesseraError`` of kind `.badFile` for a malformed, truncated or corrupted archive (with
    ///   the offset and what was expected and found); `.unsupported` for encrypted entries, compression
    ///   other than stored and deflate, or archives split over several disks.
    package static func read(_ bytes: [UInt8], file: String) throws(TesseraError) -> [(name: String, data: [UInt8])] {
        // withUnsafeBytes only rethrows untyped errors, so carry the typed one out in a Result.
        try bytes.withUnsafeBytes { raw in
            Result { () throws(TesseraError) in
                let reader = ZIPReader(bytes: raw, file: file)
                return try reader.centralDirectory().map { (entry) throws(TesseraError) in
                    (name: entry.name, data: try reader.data(of: entry))
                }
            }
        }.get()
    }

    /// A ZIP archive holding `entries`, stored uncompressed, using ZIP64 records when an entry or offset
    /// reaches 4 GiB.
    package static func write(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        write(entries, zip64Threshold: 0xFFFF_FFFF)
    }

    /// ``write(_:)`` with sizes and offsets of `zip64Threshold` or more written as ZIP64; tests lower it.
    static func write(_ entries: [(name: String, data: [UInt8])], zip64Threshold: Int) -> [UInt8] {
        var archive: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in entries {
            let offset = archive.count
            let nameBytes = Array(name.utf8)
            let crc = CRC32.checksum(data)
            let sizeIs64 = data.count >= zip64Threshold
            let offsetIs64 = offset >= zip64Threshold
            // Fields that do not fit hold 0xFFFFFFFF and their value moves to the ZIP64 extra field.
            let size32 = sizeIs64 ? 0xFFFF_FFFF : UInt32(data.count)
            let localExtra: [UInt8] = sizeIs64 ? zip64Extra([data.count, data.count]) : []
            let centralExtra = zip64Extra((sizeIs64 ? [data.count, data.count] : []) + (offsetIs64 ? [offset] : []))
            let version: UInt16 = sizeIs64 || offsetIs64 ? 45 : 20
            let flags: UInt16 = 0x0800  // names are UTF-8
            let dosTime: UInt16 = 0
            let dosDate: UInt16 = 0x21  // 1980-01-01 00:00

            archive.appendLE(UInt32(0x0403_4B50))
            for field in [version, flags, 0, dosTime, dosDate] { archive.appendLE(field) }
            for field in [crc, size32, size32] { archive.appendLE(field) }
            archive.appendLE(UInt16(nameBytes.count))
            archive.appendLE(UInt16(localExtra.count))
            archive += nameBytes + localExtra + data

            central.appendLE(UInt32(0x0201_4B50))
            for field in [0x0300 | version, version, flags, 0, dosTime, dosDate] { central.appendLE(field) }  // made on Unix
            for field in [crc, size32, size32] { central.appendLE(field) }
            for field in [UInt16(nameBytes.count), UInt16(centralExtra.count), 0, 0, 0] { central.appendLE(field) }
            central.appendLE(UInt32(0o100644) << 16)  // a regular file, rw-r--r--
            central.appendLE(offsetIs64 ? 0xFFFF_FFFF : UInt32(offset))
            central += nameBytes + centralExtra
        }
        let centralOffset = archive.count
        archive += central
        let countIs64 = entries.count >= 0xFFFF
        let centralIs64 = central.count >= zip64Threshold || centralOffset >= zip64Threshold
        if countIs64 || centralIs64 {
            let recordOffset = archive.count
            archive.appendLE(UInt32(0x0606_4B50))
            archive.appendLE(UInt64(44))  // the record's size after this field
            for field: UInt16 in [0x032D, 45] { archive.appendLE(field) }
            for field: UInt32 in [0, 0] { archive.appendLE(field) }
            for field in [entries.count, entries.count, central.count, centralOffset] {
                archive.appendLE(UInt64(field))
            }
            archive.appendLE(UInt32(0x0706_4B50))
            archive.appendLE(UInt32(0))
            archive.appendLE(UInt64(recordOffset))
            archive.appendLE(UInt32(1))
        }
        let count16 = countIs64 ? 0xFFFF : UInt16(entries.count)
        archive.appendLE(UInt32(0x0605_4B50))
        for field in [0, 0, count16, count16] { archive.appendLE(field) }
        archive.appendLE(centralIs64 ? 0xFFFF_FFFF : UInt32(central.count))
        archive.appendLE(centralIs64 ? 0xFFFF_FFFF : UInt32(centralOffset))
        archive.appendLE(UInt16(0))
        return archive
    }

    /// A ZIP64 extended-information extra field holding `values`, or nothing when there are none.
    private static func zip64Extra(_ values: [Int]) -> [UInt8] {
        guard !values.isEmpty else { return [] }
        var field: [UInt8] = []
        field.appendLE(UInt16(1))
        field.appendLE(UInt16(8 * values.count))
        for value in values { field.appendLE(UInt64(value)) }
        return field
    }
}

/// One central-directory record: where an entry's local header is and what its data must match.
private struct ZIPEntry {
    var name: String
    var method: Int
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var localHeaderOffset: Int
    var recordOffset: Int
}

/// Bounds-checked little-endian reads over an archive's bytes, and the walk of its central directory.
private struct ZIPReader {
    let bytes: UnsafeRawBufferPointer
    let file: String

    func centralDirectory() throws(TesseraError) -> [ZIPEntry] {
        // The end record is 22 bytes plus a comment of up to 65535, so search that far back from the end.
        let lastStart = bytes.count - 22
        guard
            let end = stride(from: lastStart, through: max(0, lastStart - 0xFFFF), by: -1).first(where: {
                (try? u32(at: $0)) == 0x0605_4B50
            })
        else {
            throw bad(
                "expected a ZIP end-of-central-directory record (PK\\x05\\x06), found none; the file starts "
                    + "with \(quotedFileBytes(bytes.prefix(8)))", at: max(0, lastStart))
        }
        guard try u16(at: end + 4) == 0, try u16(at: end + 6) == 0 else {
            throw TesseraError(
                .unsupported, "archives split over several disks are not supported", location: file, offset: end)
        }
        var count = try u16(at: end + 10)
        var size = try u32(at: end + 12)
        var start = try u32(at: end + 16)
        if end >= 20, try u32(at: end - 20) == 0x0706_4B50 {
            let record = try u64(at: end - 12)
            guard try u32(at: record) == 0x0606_4B50 else {
                throw bad(
                    "expected a ZIP64 end-of-central-directory record (PK\\x06\\x06), found "
                        + quotedFileBytes(bytes[record...].prefix(4)), at: record)
            }
            (count, size, start) = (try u64(at: record + 32), try u64(at: record + 40), try u64(at: record + 48))
        }
        guard start <= bytes.count, size <= bytes.count - start else {
            throw bad(
                "central directory at offset \(start) with \(size) bytes runs past the end of the file "
                    + "(\(bytes.count) bytes)", at: end + 12)
        }
        guard count <= size / 46 else {  // each record is at least 46 bytes
            throw bad("\(count) entries cannot fit in a \(size)-byte central directory", at: end + 10)
        }
        var entries: [ZIPEntry] = []
        var position = start
        for _ in 0..<count {
            let entry = try centralRecord(at: position)
            entries.append(entry)
            position += try 46 + u16(at: position + 28) + u16(at: position + 30) + u16(at: position + 32)
        }
        return entries
    }

    private func centralRecord(at position: Int) throws(TesseraError) -> ZIPEntry {
        guard try u32(at: position) == 0x0201_4B50 else {
            throw bad(
                "expected a central directory record (PK\\x01\\x02), found "
                    + quotedFileBytes(bytes[position...].prefix(4)), at: position)
        }
        let nameLength = try u16(at: position + 28)
        let extraLength = try u16(at: position + 30)
        let name = String(decoding: try slice(position + 46, nameLength), as: UTF8.self)
        guard try u16(at: position + 8) & 1 == 0 else {
            throw TesseraError(.unsupported, "entry '\(name)' is encrypted", location: file, offset: position)
        }
        var entry = ZIPEntry(
            name: name, method: try u16(at: position + 10), crc: UInt32(try u32(at: position + 16)),
            compressedSize: try u32(at: position + 20), size: try u32(at: position + 24),
            localHeaderOffset: try u32(at: position + 42), recordOffset: position)
        // In ZIP64 the fields holding 0xFFFFFFFF continue in extra field 1, in this order.
        var extra = position + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try u16(at: extra)
            let length = try u16(at: extra + 2)
            if id == 1 {
                var next = extra + 4
                for path in [\ZIPEntry.size, \.compressedSize, \.localHeaderOffset]
                where entry[keyPath: path] == 0xFFFF_FFFF {
                    guard next + 8 <= extra + 4 + length else {
                        throw bad(
                            "expected a 64-bit size in the ZIP64 field of '\(name)', found end of field", at: next)
                    }
                    entry[keyPath: path] = try u64(at: next)
                    next += 8
                }
            }
            extra += 4 + length
        }
        return entry
    }

    func data(of entry: ZIPEntry) throws(TesseraError) -> [UInt8] {
        let local = entry.localHeaderOffset
        guard try u32(at: local) == 0x0403_4B50 else {
            throw bad(
                "expected the local header (PK\\x03\\x04) of '\(entry.name)', found "
                    + quotedFileBytes(bytes[local...].prefix(4)), at: local)
        }
        let dataStart = try local + 30 + u16(at: local + 26) + u16(at: local + 28)
        let stored = try slice(dataStart, entry.compressedSize)
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else {
                throw bad(
                    "expected stored entry '\(entry.name)' to have equal sizes, found \(entry.compressedSize) "
                        + "compressed and \(entry.size) uncompressed", at: entry.recordOffset)
            }
            data = Array(stored)
        case 8:
            data = try Inflate.decompress(stored, limit: entry.size, file: file, offset: dataStart)
            guard data.count == entry.size else {
                throw bad(
                    "expected '\(entry.name)' to inflate to \(entry.size) bytes, found \(data.count)", at: dataStart)
            }
        default:
            throw TesseraError(
                .unsupported,
                "entry '\(entry.name)' uses compression method \(entry.method), expected 0 (stored) or "
                    + "8 (deflate)", location: file, offset: entry.recordOffset)
        }
        let crc = CRC32.checksum(data)
        guard crc == entry.crc else {
            throw bad(
                "expected CRC-32 \(hex(entry.crc)) for '\(entry.name)', found \(hex(crc)); the entry is corrupted",
                at: dataStart)
        }
        return data
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    private func slice(_ start: Int, _ count: Int) throws(TesseraError) -> UnsafeRawBufferPointer {
        guard start >= 0, start <= bytes.count, count <= bytes.count - start else {
            throw bad("expected \(count) bytes at offset \(start), found end of file (\(bytes.count) bytes)", at: start)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
    }

    private func u16(at offset: Int) throws(TesseraError) -> Int { try littleEndian(at: offset, size: 2) }
    private func u32(at offset: Int) throws(TesseraError) -> Int { try littleEndian(at: offset, size: 4) }

    /// A 64-bit size or offset; values past `Int.max` cannot be in any file we hold in memory.
    private func u64(at offset: Int) throws(TesseraError) -> Int {
        let high = try littleEndian(at: offset + 4, size: 4)
        guard high < 0x8000_0000 else {
            throw bad("expected a 64-bit size or offset below 2^63, found more", at: offset)
        }
        return high << 32 | (try littleEndian(at: offset, size: 4))
    }

    private func littleEndian(at offset: Int, size: Int) throws(TesseraError) -> Int {
        let field = try slice(offset, size)
        return field.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private func bad(_ message: String, at offset: Int) -> TesseraError {
        TesseraError(.badFile, message, location: file, offset: offset)
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` least significant byte first.
    fileprivate mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
