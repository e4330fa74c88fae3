import Testing
import Tessera
import TesseraBio

/// Hand-made FCS files for what the real files lack.
@Suite("FCS reader on hand-made files")
struct FCSSyntheticTests {
    @Test func doubledDelimitersAndCaseInsensitiveLookup() throws {
        var b = FCSBuilder()
        var data: [UInt8] = []
        for v: Float in [1.5, -2, 3.25, 4] { data.appendBytes(v.bitPattern, bigEndian: false) }
        b.keywords = FCSBuilder.keywords(datatype: "F", byteord: "1,2,3,4", tot: 2, bits: [32, 32])
            + [("$P1S", "CD4/FITC"), ("MY/KEY", "a//b"), ("$Comment", "ends with /")]
        b.data = data
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        #expect(f["$p1s"] == "CD4/FITC")
        #expect(f["my/key"] == "a//b")
        #expect(f["$COMMENT"] == "ends with /")
        #expect(f.parameters.map(\.label) == ["CD4/FITC", nil])
        #expect(f.data.scalars(as: Float.self) == [1.5, -2, 3.25, 4])
        #expect(f.keywords.first?.key == "$BYTEORD")
    }

    @Test func anyDelimiter() throws {
        for delimiter: UInt8 in [0x0C, UInt8(ascii: "|"), UInt8(ascii: "\\"), 0x1E] {
            var b = FCSBuilder()
            b.delimiter = delimiter
            b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 3, bits: [8])
            b.data = [7, 8, 9]
            let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
            #expect(f.data.scalars(as: Float.self) == [7, 8, 9], "delimiter \(delimiter)")
        }
    }

    /// HEADER DATA offsets of 0 send the reader to $BEGINDATA/$ENDDATA (written here with trailing spaces).
    @Test func headerZeroOffsets() throws {
        var b = FCSBuilder()
        b.version = "FCS3.1"
        b.headerDataZero = true
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "2,1", tot: 2, bits: [16, 16])
        b.data = [0x01, 0x02, 0x00, 0x05, 0xFF, 0xFF, 0x00, 0x00]
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        #expect(f.version == "FCS3.1")
        #expect(f.data.scalars(as: Float.self) == [258, 5, 65535, 0])
    }

    @Test func bigEndianDouble() throws {
        let values: [Double] = [1e300, -0.5, .pi, 42, 1e-300, -7]
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "D", byteord: "4,3,2,1", tot: 2, bits: [64, 64, 64])
        for v in values { b.data.appendBytes(v.bitPattern, bigEndian: true) }
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        #expect(f.data.dtype == .float64)
        #expect(f.data.shape == [2, 3])
        #expect(f.data.scalars(as: Double.self) == values)
    }

    @Test func bigEndianFloat() throws {
        let values: [Float] = [1, -2.5, 1e30, 0]
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "F", byteord: "4,3,2,1", tot: 4, bits: [32])
        for v in values { b.data.appendBytes(v.bitPattern, bigEndian: true) }
        #expect(try FCSFile.parse(b.bytes(), path: "t.fcs").data.scalars(as: Float.self) == values)
    }

    /// 24-bit integers, both byte orders, masked to the bits below the power of two ≥ $PnR.
    ///
    /// fcsparser 0.2.8 differs from the standard for little-endian 24-bit (it reads 1 as 256: it pads the low
    /// byte); we follow the standard there and fcsparser for everything else.
    @Test(arguments: [false, true])
    func integer24(bigEndian: Bool) throws {
        let raw: [UInt32] = [0x00_0001, 0xFF_FFFF, 0x12_3456, 0xAB_CDEF]
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: bigEndian ? "4,3,2,1" : "1,2,3,4", tot: 2,
                                         bits: [24, 24], ranges: [1 << 24, 1_000_000])
        for v in raw { b.data.appendBytes(v, bigEndian: bigEndian, width: 3) }
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        // Column 2: $PnR 1,000,000 → 2^20 → mask 0xFFFFF.
        #expect(f.data.scalars(as: Float.self) == [1, Float(0xF_FFFF), Float(0x12_3456), Float(0xB_CDEF)])
    }

    /// Mixed widths in one event (8 + 16 + 32 + 24 bits), as cyflow_cube_8.fcs has.
    @Test func mixedWidths() throws {
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2,3,4", tot: 2, bits: [8, 16, 32, 24],
                                         ranges: [256, 1024, 1 << 31 + 1, 16])
        for (a, c, d, e) in [(UInt8(200), UInt16(0xFFFF), UInt32(0xFFFF_FFFF), UInt32(0x12)), (1, 2, 3, 4)] {
            b.data.appendBytes(a, bigEndian: false)
            b.data.appendBytes(c, bigEndian: false)
            b.data.appendBytes(d, bigEndian: false)
            b.data.appendBytes(e, bigEndian: false, width: 3)
        }
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        #expect(f.data.scalars(as: Double.self) == [200, 1023, Double(Float(0xFFFF_FFFF)), 2, 1, 2, 3, 4])
    }

    @Test func twoDataSets() throws {
        var first = FCSBuilder()
        first.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 2, bits: [8])
        first.data = [1, 2]
        var second = FCSBuilder()
        second.keywords = FCSBuilder.keywords(datatype: "F", byteord: "1,2,3,4", tot: 1, bits: [32, 32])
        for v: Float in [5, 6] { second.data.appendBytes(v.bitPattern, bigEndian: false) }
        let head = first.bytes(nextData: first.bytes().count)
        let bytes = head + second.bytes()
        let a = try FCSFile.parse(bytes, path: "t.fcs", dataset: 0)
        let b = try FCSFile.parse(bytes, path: "t.fcs", dataset: 1)
        #expect(a.data.scalars(as: Float.self) == [1, 2] && a.dataset == 0)
        #expect(b.data.scalars(as: Float.self) == [5, 6] && b.dataset == 1 && b.data.shape == [1, 2])
        let path = "/tmp/tessera-fcs-two-\(bytes.count).fcs"
        try AtomicFile.write(bytes, to: path)
        #expect(try FCSFile.datasets(in: path) == 2)
        #expect(try FCSFile.read(path, dataset: 1).data.scalars(as: Float.self) == [5, 6])
        let error = fcsError(bytes, dataset: 2)
        #expect(error?.kind == .invalidArgument)
        #expect(error?.message == "expected data set 2, found only 2")
    }

    /// $ENDDATA = begin + size - 1 (standard), + size (writer off-by-one), one past the file end, or beyond DATA.
    @Test(arguments: [0, 1, 5])
    func endDataVariants(adjust: Int) throws {
        var b = FCSBuilder()
        b.headerDataZero = true
        b.endAdjust = adjust
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 3, bits: [8])
        b.data = [1, 2, 3]
        b.trailer = Array(repeating: 0, count: max(0, adjust - 1))   // adjust 1: ENDDATA is one past the file end
        #expect(try FCSFile.parse(b.bytes(), path: "t.fcs").data.scalars(as: Float.self) == [1, 2, 3])
    }

    @Test func textEncodings() throws {
        var b = FCSBuilder()
        b.version = "FCS2.0"
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 1, bits: [8]) + [("CYT", "Caf\u{E9}")]
        b.data = [9]
        var bytes = b.bytes()
        // Replace the UTF-8 "é" (C3 A9) by 0x8E + "!": not UTF-8; Mac Roman (FCS 2.0) reads "é", Latin-1 (3.x) U+008E.
        let at = bytes.indices.first { bytes[$0] == 0xC3 && bytes[$0 + 1] == 0xA9 }!
        bytes[at] = 0x8E
        bytes[at + 1] = UInt8(ascii: "!")
        #expect(try FCSFile.parse(bytes, path: "t.fcs")["CYT"] == "Caf\u{E9}!")
        bytes.replaceSubrange(0..<6, with: Array("FCS3.0".utf8))
        #expect(try FCSFile.parse(bytes, path: "t.fcs")["CYT"] == "Caf\u{8E}!")
        #expect(try FCSFile.parse(b.bytes(), path: "t.fcs")["CYT"] == "Caf\u{E9}")
    }

    @Test func noModeMeansListMode() throws {
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 1, bits: [8]).filter { $0.0 != "$MODE" }
        b.data = [3]
        #expect(try FCSFile.parse(b.bytes(), path: "t.fcs").data.scalars(as: Float.self) == [3])
    }

    @Test func zeroEvents() throws {
        var b = FCSBuilder()
        b.keywords = FCSBuilder.keywords(datatype: "F", byteord: "1,2,3,4", tot: 0, bits: [32, 32])
        let f = try FCSFile.parse(b.bytes(), path: "t.fcs")
        #expect(f.data.shape == [0, 2])
    }
}
