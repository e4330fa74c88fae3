import Testing
import TesseraTestSupport

@testable import Tessera

/// Parses `bytes` as a whole `.npy` file.
private func parse(_ bytes: [UInt8], file: String = "t.npy") throws(TesseraError) -> (NPYHeader, dataOffset: Int) {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(TesseraError) in try NPYFormat.parseHeader(raw, file: file) }
    }.get()
}

/// A `.npy` file whose header dict is `text`, unpadded, followed by `dataBytes` zero bytes.
private func npyFile(_ text: String, major: UInt8 = 1, dataBytes: Int = 0) -> [UInt8] {
    let body = Array(text.utf8)
    let length = (0..<(major == 1 ? 2 : 4)).map { UInt8(truncatingIfNeeded: body.count >> (8 * $0)) }
    return NPYFormat.magic + [major, 0] + length + body + [UInt8](repeating: 0, count: dataBytes)
}

/// The error parsing `bytes` throws, recorded as a test failure if it parses.
private func parseError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> TesseraError? {
    #expect(throws: TesseraError.self, sourceLocation: sourceLocation) { try parse(bytes) }
}

@Suite("NPYFormat")
struct NPYFormatTests {
    @Test("headers match NumPy's view", arguments: NPYFixture.files)
    func fixtureHeader(_ fixture: NPYFixture) throws {
        let bytes = try fixtureBytes("npy/\(fixture.file)")
        let (header, dataOffset) = try parse(bytes, file: fixture.file)
        #expect(header.descr == fixture.descr)
        #expect(header.fortranOrder == fixture.fortranOrder)
        #expect(header.shape == fixture.shape)
        #expect(dataOffset == fixture.dataOffset)
        #expect(header.byteCount == fixture.data.count)
        #expect(Array(bytes[dataOffset...]) == fixture.data)
        #expect(header.littleEndian == !fixture.descr.hasPrefix(">"))
        #expect(header.descr.dropFirst() == header.type.typeCode)
        // NumPy picks version 1.0 for these, and our encoder must reproduce its bytes exactly.
        if !fixture.file.hasPrefix("header_v") {
            #expect(NPYFormat.encodeHeader(header) == Array(bytes[..<dataOffset]))
        }
    }

    @Test func fixtureTypes() throws {
        let expected: [String: NPYElementType] = [
            "dtype_b1.npy": .bool, "dtype_i1.npy": .int8, "dtype_i2.npy": .int16, "dtype_i4.npy": .int32,
            "dtype_i8.npy": .int64, "dtype_u1.npy": .uint8, "dtype_u2.npy": .uint16, "dtype_u4.npy": .uint32,
            "dtype_u8.npy": .uint64, "dtype_f2.npy": .float16, "dtype_f4.npy": .float32, "dtype_f8.npy": .float64,
            "bigendian_f8.npy": .float64, "bigendian_i4.npy": .int32,
        ]
        for (file, type) in expected {
            #expect(try parse(fixtureBytes("npy/\(file)")).0.type == type, "\(file)")
        }
        #expect(try parse(fixtureBytes("npy/header_v2.npy")).0 == NPYHeader(type: .int16, shape: [2, 3]))
        #expect(try parse(fixtureBytes("npy/header_v3.npy")).0 == NPYHeader(type: .uint8, shape: [4]))
    }

    @Test(
        "header variants NumPy accepts",
        arguments: [
            ("{'shape': (3, 4), 'descr': '<f4', 'fortran_order': False}", NPYHeader(type: .float32, shape: [3, 4])),
            (
                "{\"descr\": \">i8\", \"fortran_order\": True, \"shape\": (5,), }  \n",
                NPYHeader(type: .int64, littleEndian: false, fortranOrder: true, shape: [5])
            ),
            ("  {'descr':'=u2','fortran_order':False,'shape':()}\n", NPYHeader(type: .uint16, shape: [])),
            ("{'descr': 'f8', 'fortran_order': False, 'shape': (0, 3L), }", NPYHeader(type: .float64, shape: [0, 3])),
            ("{'descr': '|b1', 'fortran_order': False, 'shape': (2 , 2 ,),}", NPYHeader(type: .bool, shape: [2, 2])),
            ("{'descr': '>u1', 'fortran_order': False, 'shape': (1,)}", NPYHeader(type: .uint8, shape: [1])),
        ])
    func headerVariants(_ text: String, _ expected: NPYHeader) throws {
        let (header, _) = try parse(npyFile(text, dataBytes: expected.byteCount ?? 0))
        #expect(header.type == expected.type)
        #expect(header.littleEndian == expected.littleEndian)
        #expect(header.fortranOrder == expected.fortranOrder)
        #expect(header.shape == expected.shape)
    }

    @Test(
        "encode then parse gives the header back",
        arguments: [
            NPYHeader(type: .float32, shape: [3, 4]), NPYHeader(type: .float64, littleEndian: false, shape: []),
            NPYHeader(type: .int8, fortranOrder: true, shape: [2, 3]), NPYHeader(type: .bool, shape: [0, 3]),
            NPYHeader(type: .uint64, littleEndian: false, fortranOrder: true, shape: [1, 1, 1, 1, 7]),
            NPYHeader(type: .float16, shape: [123_456_789_012]),
            NPYHeader(type: .int32, shape: Array(repeating: 1, count: 30_000)),
        ])
    func roundTrip(_ header: NPYHeader) throws {
        let encoded = NPYFormat.encodeHeader(header)
        #expect(encoded.count % 64 == 0)
        #expect(encoded.last == 0x0A)
        #expect(encoded[6] == (header.shape.count < 10_000 ? 1 : 2))  // 2.0 only when 1.0's 64 KiB does not fit
        let data = [UInt8](repeating: 0, count: min(header.byteCount ?? 0, 1024))
        if header.byteCount ?? 0 <= 1024 {
            let (parsed, dataOffset) = try parse(encoded + data)
            #expect(parsed == header)
            #expect(dataOffset == encoded.count)
        } else {
            #expect(parseError(encoded)?.message == "header says 246913578024 bytes of data, file has 0")
        }
    }

    @Test func badMagicAndVersion() throws {
        let zip = try fixtureBytes("npy/savez.npz")
        let notNPY = parseError(zip)
        #expect(notNPY?.kind == .badFile)
        #expect(notNPY?.location == "t.npy")
        #expect(notNPY?.offset == 0)
        #expect(notNPY?.message == #"expected magic \x93NUMPY, found "PK\x03\x04-\x00""#)
        #expect(
            parseError([0x93, 0x4E, 0x55])?.message == #"expected magic \x93NUMPY, found "\x93NU" (file is 3 bytes)"#)
        #expect(
            parseError(NPYFormat.magic)?.description
                == "t.npy: offset 6: expected a 2-byte format version, found end of file")

        let v4 = parseError(NPYFormat.magic + [4, 0, 0, 0])
        #expect(v4?.kind == .unsupported)
        #expect(v4?.message == "npy format version 4.0 is not supported, expected 1.0, 2.0 or 3.0")
        #expect(
            parseError(NPYFormat.magic + [2, 0, 1])?.message == "expected a 4-byte header length, found end of file")
    }

    @Test func truncatedFiles() throws {
        let bytes = try fixtureBytes("npy/dtype_f4.npy")  // 128-byte header + 24 bytes of data
        let shortHeader = parseError(Array(bytes[..<100]))
        #expect(shortHeader?.offset == 8)
        #expect(shortHeader?.message == "header length 118 runs past the end of the file (100 bytes)")
        let shortData = parseError(Array(bytes[..<140]))
        #expect(shortData?.offset == 128)
        #expect(shortData?.message == "header says 24 bytes of data, file has 12")
    }

    @Test(
        "malformed headers name what was expected",
        arguments: [
            ("['descr', '<f4']", "expected '{', found \"['descr', '<\""),
            (
                "{'descr': '<f4', 'fortran_order': False}",
                "header has no 'shape' key, expected 'descr', 'fortran_order' and 'shape'"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}",
                "unexpected key 'x', expected 'descr', 'fortran_order' and 'shape'"
            ),
            (
                "{'descr': '<f4', 'descr': '<f4'}",
                "duplicate key 'descr', expected 'descr', 'fortran_order' and 'shape'"
            ),
            ("{'descr': '<x4', 'fortran_order': False, 'shape': ()}", "expected a dtype descr like '<f4', found '<x4'"),
            (
                "{'descr': 4, 'fortran_order': False, 'shape': ()}",
                "expected 'descr' to be a string like '<f4', found 4"
            ),
            (
                "{'descr': '<i-8', 'fortran_order': False, 'shape': ()}",
                "expected a dtype descr like '<f4', found '<i-8'"
            ),
            (
                "{'descr': '<U99999999999', 'fortran_order': False, 'shape': ()}",
                "expected a dtype descr like '<f4', found '<U99999999999'"
            ),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "expected 'fortran_order' True or False, found 0"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (5)}", "expected 'shape' to be a tuple, found (5)"),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3, -4)}",
                "expected 'shape' of non-negative integers, found (3, -4)"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                "expected an integer that fits in 64 bits, found 99999999999999999999"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
                "shape [4294967296, 4294967296] has more elements than fit in memory"
            ),
            ("{'descr' '<f4'}", "expected ':', found \"'<f4'}\""),
            ("{'descr': '<f4", "expected a closing quote, found end of header"),
            ("{'descr': '<f4' 'fortran_order': False}", "expected ',' or '}' in header dict, found \"'fortran_ord\""),
            ("{'descr': '<f4', 'fortran_order': Flase, 'shape': ()}", "expected a value, found \"Flase, 'shap\""),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((1,),),),),),),),),),)}",
                "expected a header value, found nesting deeper than 8"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': ()} x",
                "expected end of header after '}', found \"x\""
            ),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2", "expected ',' or ')', found end of header"),
        ])
    func malformedHeader(_ text: String, _ message: String) {
        let error = parseError(npyFile(text, dataBytes: 64))
        #expect(error?.kind == .badFile)
        #expect(error?.message == message)
    }

    @Test func errorOffsetsPointIntoTheHeader() {
        let text = "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}"
        let error = parseError(npyFile(text))
        #expect(error?.offset == 10 + 34)  // the `0`, after magic, version and a 2-byte length
        #expect(parseError(npyFile(text, major: 2))?.offset == 12 + 34)
    }

    @Test func unsupportedTypes() throws {
        let messages = [
            "unsupported_c8.npy": "dtype complex64 ('<c8') is not supported, expected bool, int8…int64, uint8…uint64, "
                + "float16, float32 or float64",
            "unsupported_object.npy": "dtype object ('|O') is not supported, expected bool, int8…int64, uint8…uint64, "
                + "float16, float32 or float64",
            "unsupported_structured.npy": "structured dtype [('a', '<i4'), ('b', '<f8')] is not supported",
        ]
        for (file, message) in messages {
            let error = parseError(try fixtureBytes("npy/\(file)"))
            #expect(error?.kind == .unsupported, "\(file)")
            #expect(error?.message == message)
            #expect(error?.offset == 20)  // where the descr value starts
        }
        let datetime = parseError(npyFile("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': ()}"))
        #expect(datetime?.message.hasPrefix("dtype datetime64[ns] ('<M8[ns]') is not supported") == true)
        let bytes = parseError(npyFile("{'descr': '|S10', 'fortran_order': False, 'shape': ()}"))
        #expect(bytes?.message.hasPrefix("dtype S10 ('|S10') is not supported") == true)
    }

    @Test func mutatedFilesThrowOrParse() throws {
        let files = try NPYFixture.files.map { try fixtureBytes("npy/\($0.file)") }
        var mutator = Mutator(seed: 0x4E50_5900)
        var parsed = 0
        for i in 0..<4000 {
            let original = files[i % files.count]
            let bytes = mutator.mutate(original, focus: 0..<128)
            // Typed throws guarantees any error is a TesseraError; what matters is no crash and sane results.
            guard let result = try? parse(bytes) else { continue }
            parsed += 1
            #expect(result.dataOffset + (result.0.byteCount ?? .max) <= bytes.count)
        }
        #expect(parsed > 0 && parsed < 4000)
    }
}
