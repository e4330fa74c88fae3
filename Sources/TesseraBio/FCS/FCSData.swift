import Tessera

extension FCSFile {
    /// Checks the keywords that describe DATA, finds DATA and decodes it.
    static func assemble(_ b: [UInt8], header: FCSHeader, keywords k: FCSKeywords, path: String,
                         dataset: Int) throws(TesseraError) -> FCSFile {
        let at = header.textStart
        // $MODE is required before FCS 3.2 and absent after; a file without it is read as list mode.
        if let mode = k["$MODE"].map(trimmed), mode.uppercased() != "L" {
            throw TesseraError(.unsupported, "expected $MODE L (list mode), found \(quoted(Array(mode.utf8)))",
                               location: path, offset: at)
        }
        let dataType = try required(k, "$DATATYPE", path: path, header: header).uppercased()
        guard dataType == "F" || dataType == "D" || dataType == "I" else {
            throw TesseraError(.unsupported, "expected $DATATYPE F, D or I, found \(quoted(Array(dataType.utf8)))",
                               location: path, offset: at)
        }
        let byteOrder = try required(k, "$BYTEORD", path: path, header: header)
        let order = byteOrder.split(separator: ",", omittingEmptySubsequences: false).map { Int(trimmed(String($0))) }
        let ascending = (1...max(1, order.count)).map { Optional($0) }
        guard order.count >= 2, order == ascending || order == ascending.reversed() else {
            throw TesseraError(.unsupported, "expected $BYTEORD 1,2,3,4 or 4,3,2,1, found \(quoted(Array(byteOrder.utf8)))",
                               location: path, offset: at)
        }
        let bigEndian = order != ascending
        let count = try requiredInt(k, "$PAR", path: path, header: header)
        guard count >= 1 else { throw FCSError.bad(path, at, "expected $PAR ≥ 1, found \(count)") }
        let events = try requiredInt(k, "$TOT", path: path, header: header)
        guard events >= 0 else { throw FCSError.bad(path, at, "expected $TOT ≥ 0, found \(events)") }

        var parameters: [Parameter] = []
        var eventBytes = 0
        for n in 1...count {
            let bits = try requiredInt(k, "$P\(n)B", path: path, header: header)
            let allowed = dataType == "F" ? [32] : dataType == "D" ? [64] : [8, 16, 24, 32, 64]
            guard allowed.contains(bits) else {
                throw TesseraError(.unsupported, "expected $P\(n)B \(allowed.map(String.init).joined(separator: ", ")) "
                                   + "for $DATATYPE \(dataType), found \(bits)", location: path, offset: at)
            }
            eventBytes += bits / 8
            parameters.append(Parameter(name: k["$P\(n)N"] ?? "P\(n)", label: k["$P\(n)S"], bits: bits,
                                        range: k["$P\(n)R"].flatMap { Double(trimmed($0)) }))
        }
        let (size, overflow) = events.multipliedReportingOverflow(by: eventBytes)
        let n = b.count
        guard !overflow, size <= n else {
            throw FCSError.bad(path, at, "expected DATA of $TOT \(events) × \(eventBytes) bytes, which is more than the file (\(n) bytes)")
        }

        var begin = header.dataStartField, end = header.dataEndField
        var names = ("HEADER DATA start", "HEADER DATA end")
        var offsetOf = (header.base + 26, header.base + 34)
        // The HEADER holds 8 digits: past 99,999,999 writers put 0 there (or worse), and TEXT has the offsets.
        let textBegin = k["$BEGINDATA"].flatMap { Int(trimmed($0)) } ?? 0
        let textEnd = k["$ENDDATA"].flatMap { Int(trimmed($0)) } ?? 0
        if (begin == 0 && end == 0) || textBegin > 99_999_999 || textEnd > 99_999_999 {
            begin = try optionalInt(k, "$BEGINDATA", path: path, header: header) ?? 0
            end = try optionalInt(k, "$ENDDATA", path: path, header: header) ?? 0
            names = ("$BEGINDATA", "$ENDDATA")
            offsetOf = (at, at)
        }
        let start = size > 0 ? header.base + begin : 0
        if size > 0 {
            guard begin >= FCSHeader.size else {
                throw FCSError.bad(path, offsetOf.0, "expected DATA after the HEADER, found \(names.0) \(begin)")
            }
            guard start < n else {
                throw FCSError.bad(path, offsetOf.0, "\(names.0) \(begin) is past the end of the file (\(n) bytes)")
            }
            // One byte past the end is a known writer off-by-one; further is not.
            guard end == 0 || header.base + end <= n else {
                throw FCSError.bad(path, offsetOf.1, "\(names.1) \(end) is past the end of the file (\(n) bytes)")
            }
            guard size <= n - start else {
                throw FCSError.bad(path, start, "expected \(size) bytes of DATA ($TOT \(events) × \(eventBytes)) from offset "
                                   + "\(start), found \(n - start) before the end of the file")
            }
            // The standard has $ENDDATA = $BEGINDATA + size - 1; some writers use + size (FCS3.1 EY_… file).
            guard end == 0 || end - begin + 1 >= size else {
                throw FCSError.bad(path, offsetOf.1, "expected \(names.1) ≥ \(begin + size - 1) for $TOT \(events) × "
                                   + "\(eventBytes) bytes, found \(end)")
            }
        }

        let columns = makeColumns(parameters, integer: dataType == "I")
        let data = decodeData(b, from: start, events: events, columns: columns, eventBytes: eventBytes,
                              dataType: dataType, bigEndian: bigEndian)
        return FCSFile(path: path, version: header.version, dataset: dataset, parameters: parameters, events: events,
                       dataType: dataType, data: data, table: k)
    }

    /// Byte offset, width and value mask of each column.
    ///
    /// Integer values keep the bits below the smallest power of two ≥ `$PnR`, as fcsparser does (the standard
    /// says the same for FCS 3.1 but leaves non-power-of-two ranges open; FCS 2.0 writers used the high bits for
    /// flags). A range < 1 or missing keeps all bits.
    static func makeColumns(_ parameters: [Parameter], integer: Bool) -> [FCSColumn] {
        var offset = 0
        return parameters.map { p in
            let width = p.bits / 8
            let full: UInt64 = width >= 8 ? ~0 : (1 << UInt64(width * 8)) - 1
            var mask = full
            if integer, let range = p.range, range >= 1 {
                var bits = 0
                while bits < 64 && Double(sign: .plus, exponent: bits, significand: 1) < range { bits += 1 }
                mask = bits >= 64 ? full : ((1 << UInt64(bits)) - 1) & full
            }
            defer { offset += width }
            return FCSColumn(offset: offset, width: width, mask: mask)
        }
    }
}

/// Where one parameter sits in an event, and which bits of it count.
struct FCSColumn {
    var offset: Int
    var width: Int
    var mask: UInt64
}

/// Decodes `events` events at `b[start...]` into a `[events, columns.count]` tensor, on all cores for big files.
func decodeData(_ b: [UInt8], from start: Int, events: Int, columns: [FCSColumn], eventBytes: Int,
                dataType: String, bigEndian: Bool) -> Tensor {
    let width = columns.count
    let total = events * width
    let swap = bigEndian != (1.bigEndian == 1)
    let grain = max(1, (1 << 18) / max(1, eventBytes))
    return b.withUnsafeBytes { raw -> Tensor in
        let src = UnsafeRawPointer(raw.baseAddress! + start)
        switch dataType {
        case "D":
            return makeTensor([events, width], Double.self) { out in
                parallelRanges(total, grain: 1 << 16) { r in
                    for i in r {
                        let v = src.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)
                        out[i] = Double(bitPattern: swap ? v.byteSwapped : v)
                    }
                }
            }
        case "F":
            return makeTensor([events, width], Float.self) { out in
                parallelRanges(total, grain: 1 << 16) { r in
                    if !swap {
                        UnsafeMutableRawPointer(out + r.lowerBound).copyMemory(
                            from: src + r.lowerBound * 4, byteCount: r.count * 4)
                        return
                    }
                    for i in r {
                        out[i] = Float(bitPattern: src.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self).byteSwapped)
                    }
                }
            }
        default:
            return makeTensor([events, width], Float.self) { out in
                let w = columns[0].width
                if columns.allSatisfy({ $0.width == w }) {
                    let masks = columns.map(\.mask)
                    switch w {
                    case 1: return decodeUniform(UInt8.self, src, out, events: events, masks: masks, swap: swap, grain: grain)
                    case 2: return decodeUniform(UInt16.self, src, out, events: events, masks: masks, swap: swap, grain: grain)
                    case 4: return decodeUniform(UInt32.self, src, out, events: events, masks: masks, swap: swap, grain: grain)
                    default: break
                    }
                }
                parallelRanges(events, grain: grain) { rows in
                    // Blocks of rows, then one tight strided loop per column, keep the block in cache.
                    var lo = rows.lowerBound
                    while lo < rows.upperBound {
                        let hi = min(rows.upperBound, lo + 4096)
                        for (j, c) in columns.enumerated() {
                            decodeIntegerColumn(src + c.offset, out + j, rows: lo..<hi, stride: eventBytes,
                                                outStride: width, width: c.width, mask: c.mask, swap: swap)
                        }
                        lo = hi
                    }
                }
            }
        }
    }
}

/// Integers of one width: a flat loop over the values with the column masks tiled along it, which vectorizes.
private func decodeUniform<T: FixedWidthInteger & UnsignedInteger>(
    _: T.Type, _ src: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, events: Int, masks: [UInt64],
    swap: Bool, grain: Int) {
    let width = masks.count
    let rowsPerTile = max(1, 1024 / width)
    let tile: [T] = (0..<rowsPerTile * width).map { T(truncatingIfNeeded: masks[$0 % width]) }
    tile.withUnsafeBufferPointer { tp in
        let m = tp.baseAddress!
        parallelRanges(events, grain: grain) { rows in
            var r = rows.lowerBound
            while r < rows.upperBound {
                let n = min(rowsPerTile, rows.upperBound - r) &* width
                let s = src + r &* width &* MemoryLayout<T>.size
                let o = out + r &* width
                if swap {
                    for t in 0..<n { o[t] = Float(s.loadUnaligned(fromByteOffset: t &* MemoryLayout<T>.size, as: T.self).byteSwapped & m[t]) }
                } else {
                    for t in 0..<n { o[t] = Float(s.loadUnaligned(fromByteOffset: t &* MemoryLayout<T>.size, as: T.self) & m[t]) }
                }
                r += rowsPerTile
            }
        }
    }
}

/// One integer column for `rows`: `out[r * outStride] = Float(value(r) & mask)`.
@inline(__always)
private func decodeIntegerColumn(_ src: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, rows: Range<Int>,
                                 stride: Int, outStride: Int, width: Int, mask: UInt64, swap: Bool) {
    func run<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) {
        let m = T(truncatingIfNeeded: mask)
        if swap {
            for r in rows { out[r &* outStride] = Float(src.loadUnaligned(fromByteOffset: r &* stride, as: T.self).byteSwapped & m) }
        } else {
            for r in rows { out[r &* outStride] = Float(src.loadUnaligned(fromByteOffset: r &* stride, as: T.self) & m) }
        }
    }
    switch width {
    case 1: run(UInt8.self)
    case 2: run(UInt16.self)
    case 4: run(UInt32.self)
    case 8: run(UInt64.self)
    default:
        // 24-bit: three bytes, most significant first when big-endian. fcsparser 0.2.8 pads the field with a
        // zero byte at its lowest address in both orders, so it reads little-endian 24-bit values × 256; we
        // follow the standard there (checked: it reads 1 as 256, big-endian correctly).
        let m = UInt32(truncatingIfNeeded: mask)
        for r in rows {
            let p = src + r &* stride
            let (b0, b1, b2) = (UInt32(p.load(as: UInt8.self)), UInt32(p.load(fromByteOffset: 1, as: UInt8.self)),
                                UInt32(p.load(fromByteOffset: 2, as: UInt8.self)))
            let v = swap ? (b0 << 16 | b1 << 8 | b2) : (b2 << 16 | b1 << 8 | b0)
            out[r &* outStride] = Float(v & m)
        }
    }
}

/// A new contiguous tensor whose elements `fill` writes.
///
/// Goes through an array because `Storage` has no `package` initializer for code outside `Tessera` (reported);
/// with one, this would wrap a `Buffer` directly and save a copy.
private func makeTensor<T: TensorScalar>(_ shape: [Int], _: T.Type,
                                         _ fill: (UnsafeMutablePointer<T>) -> Void) -> Tensor {
    let count = shape.reduce(1, *)
    let dtype: DType = T.self == Double.self ? .float64 : .float32
    // Decoded straight into the tensor's own buffer: no intermediate array, no copy.
    let buffer = Buffer.host(bytes: max(1, count * dtype.byteSize))
    if count > 0 { fill(buffer.pointer.bindMemory(to: T.self, capacity: count)) }
    return Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: shape)), dtype: dtype)
}
