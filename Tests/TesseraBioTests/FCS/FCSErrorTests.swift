import Testing
import Tessera
import TesseraBio

/// Every bad input is one `TesseraError` naming the file, the offset and what was expected and found.
@Suite("FCS reader errors")
struct FCSErrorTests {
    static func valid(_ edit: (inout [(String, String)]) -> Void = { _ in }) -> [UInt8] {
        var b = FCSBuilder()
        b.headerDataZero = true
        b.keywords = FCSBuilder.keywords(datatype: "I", byteord: "1,2", tot: 4, bits: [8, 16])
        edit(&b.keywords)
        b.data = Array(repeating: 1, count: 12)
        return b.bytes()
    }

    static func setting(_ key: String, _ value: String?) -> [UInt8] {
        valid { k in
            k.removeAll { $0.0 == key }
            if let value { k.append((key, value)) }
        }
    }

    @Test func notAnFCSFile() {
        let e = fcsError([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00] + Array(repeating: 0, count: 100))
        #expect(e?.kind == .badFile && e?.offset == 0)
        #expect(e?.message == #"expected "FCS" version at offset 0, found "PK\x03\x04\x14\x00""#)
        #expect(e?.description == #"t.fcs: offset 0: expected "FCS" version at offset 0, found "PK\x03\x04\x14\x00""#)
        #expect(fcsError([])?.message == #"expected "FCS" version at offset 0, found """#)
    }

    @Test func unsupportedVersion() {
        var bytes = Self.valid()
        bytes.replaceSubrange(0..<6, with: Array("FCS1.0".utf8))
        let e = fcsError(bytes)
        #expect(e?.kind == .unsupported)
        #expect(e?.message == #"expected FCS version 2.0, 3.0 or 3.1, found "FCS1.0""#)
    }

    @Test func truncatedHeader() {
        let e = fcsError(Array(Self.valid().prefix(30)))
        #expect(e?.message == "expected a 58-byte FCS HEADER, found 30 bytes (truncated)")
    }

    @Test func headerOnly() {
        let e = fcsError(Array(Self.valid().prefix(58)))
        #expect(e?.offset == 18)
        #expect(e?.message.hasPrefix("TEXT end ") == true && e?.message.hasSuffix(" is past the end of the file (58 bytes)") == true)
    }

    @Test func badHeaderNumber() {
        var bytes = Self.valid()
        bytes.replaceSubrange(10..<18, with: Array("   5x8  ".utf8))
        let e = fcsError(bytes)
        #expect(e?.offset == 10)
        #expect(e?.message == #"expected a right-aligned number for HEADER TEXT start, found "   5x8  ""#)
    }

    @Test func truncatedData() {
        let bytes = Self.setting("$ENDDATA", "0")   // no $ENDDATA to catch it first
        let e = fcsError(Array(bytes.dropLast(5)))
        #expect(e?.message == "expected 12 bytes of DATA ($TOT 4 × 3) from offset \(bytes.count - 12), found 7 before the end of the file")
        #expect(e?.offset == bytes.count - 12)
        #expect(fcsError(Array(Self.valid().dropLast(5)))?.message.contains("is past the end of the file") == true)
    }

    @Test func endDataPastTheEnd() {
        let e = fcsError(Self.setting("$ENDDATA", "900000"))
        #expect(e?.message == "$ENDDATA 900000 is past the end of the file (\(Self.setting("$ENDDATA", "900000").count) bytes)")
    }

    /// The real file's HEADER DATA end moved past the end: the message names the HEADER field and the file size.
    @Test func realFileWithHeaderOffsetPastTheEnd() throws {
        guard let folder = fcsDataFolder() else { return }
        let path = folder + "/Sample_Well_A02.fcs"
        var bytes = try AtomicFile.read(path)
        bytes.replaceSubrange(34..<42, with: Array("  900000".utf8))
        do {
            _ = try FCSFile.parse(bytes, path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location == path && error.offset == 34)
            #expect(error.message == "HEADER DATA end 900000 is past the end of the file (601136 bytes)")
        }
    }

    @Test func endDataTooShort() {
        let begin = Self.setting("$ENDDATA", "000").count - 12   // same TEXT length as below
        let e = fcsError(Self.setting("$ENDDATA", "\(begin + 5)"))
        #expect(e?.message == "expected $ENDDATA ≥ \(begin + 11) for $TOT 4 × 3 bytes, found \(begin + 5)")
    }

    @Test func beginDataPastTheEnd() {
        let e = fcsError(Self.setting("$BEGINDATA", "700000"))
        #expect(e?.message.hasPrefix("$BEGINDATA 700000 is past the end of the file (") == true)
    }

    @Test(arguments: ["$PAR", "$TOT", "$DATATYPE", "$BYTEORD", "$P2B"])
    func missingRequiredKeyword(_ key: String) {
        let e = fcsError(Self.setting(key, nil))
        #expect(e?.kind == .badFile && e?.offset == 58)
        #expect(e?.message == "expected keyword \(key) in TEXT, found none")
    }

    @Test func noDataOffsetsAnywhere() {
        let e = fcsError(Self.setting("$BEGINDATA", "0"))
        #expect(e?.message == "expected DATA after the HEADER, found $BEGINDATA 0")
    }

    @Test func unsupportedValues() {
        #expect(fcsError(Self.setting("$MODE", "C"))?.message == #"expected $MODE L (list mode), found "C""#)
        #expect(fcsError(Self.setting("$MODE", "C"))?.kind == .unsupported)
        #expect(fcsError(Self.setting("$DATATYPE", "A"))?.message == #"expected $DATATYPE F, D or I, found "A""#)
        #expect(fcsError(Self.setting("$BYTEORD", "3,4,1,2"))?.message
                == #"expected $BYTEORD 1,2,3,4 or 4,3,2,1, found "3,4,1,2""#)
        #expect(fcsError(Self.setting("$P1B", "10"))?.message == "expected $P1B 8, 16, 24, 32, 64 for $DATATYPE I, found 10")
        #expect(fcsError(Self.setting("$DATATYPE", "F"))?.message == "expected $P1B 32 for $DATATYPE F, found 8")
    }

    @Test func badNumbers() {
        #expect(fcsError(Self.setting("$TOT", "12x"))?.message == #"expected a non-negative integer for $TOT, found "12x""#)
        #expect(fcsError(Self.setting("$PAR", "-1"))?.message == #"expected a non-negative integer for $PAR, found "-1""#)
        #expect(fcsError(Self.setting("$PAR", "0"))?.message == "expected $PAR ≥ 1, found 0")
        let huge = Self.setting("$TOT", "99999999999")
        #expect(fcsError(huge)?.message == "expected DATA of $TOT 99999999999 × 3 bytes, which is more than the file (\(huge.count) bytes)")
    }

    @Test func nextDataOutsideTheFile() {
        let e = fcsError(Self.setting("$NEXTDATA", "5000"), dataset: 1)
        #expect(e?.message.hasPrefix("$NEXTDATA 5000 from offset 0 is not a later offset inside the file") == true)
    }

    /// A chain of tiny steps over one TEXT segment would re-parse it at every step: refused.
    @Test func nextDataInsideThisTEXT() {
        let e = fcsError(Self.setting("$NEXTDATA", "60"), dataset: 1)
        #expect(e?.message.hasPrefix("$NEXTDATA 60 from offset 0 points inside this data set's TEXT (which ends at ") == true,
                "\(e?.message ?? "no error")")
    }

    @Test func missingFile() {
        do {
            _ = try FCSFile.read("/nonexistent/x.fcs")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .io && error.location == "/nonexistent/x.fcs")
        }
    }
}
