import Testing
import TesseraTestSupport

@testable import Tessera

/// Inflates `stream` with room for `limit` bytes.
private func inflate(_ stream: [UInt8], limit: Int) throws(TesseraError) -> [UInt8] {
    try stream.withUnsafeBytes { raw in
        Result { () throws(TesseraError) in try Inflate.decompress(raw, limit: limit, file: "t.deflate", offset: 100) }
    }.get()
}

/// The error inflating `stream` throws, recorded as a test failure if it inflates.
private func inflateError(
    _ stream: [UInt8], limit: Int = 1 << 20, sourceLocation: SourceLocation = #_sourceLocation
) -> TesseraError? {
    #expect(throws: TesseraError.self, sourceLocation: sourceLocation) { try inflate(stream, limit: limit) }
}

/// Packs `(value, bitCount)` fields least significant bit first, the way deflate orders its header fields.
private func packBits(_ fields: [(value: Int, count: Int)]) -> [UInt8] {
    var bytes: [UInt8] = []
    var bit = 0
    for (value, count) in fields {
        for i in 0..<count {
            if bit % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8((value >> i) & 1) << UInt8(bit % 8)
            bit += 1
        }
    }
    return bytes
}

/// One line of `Fixtures/npy/inflate.txt`: a raw deflate stream zlib wrote and what it inflates to.
struct DeflateFixture: CustomTestStringConvertible, Sendable {
    var file: String
    var size: Int
    var crc: UInt32
    var testDescription: String { file }

    static let all: [DeflateFixture] = ((try? fixtureSidecar("npy/inflate.txt")) ?? []).map {
        DeflateFixture(
            file: $0["file"] ?? "", size: Int($0["size"] ?? "") ?? -1, crc: UInt32($0["crc32"] ?? "", radix: 16) ?? 0)
    }
}

@Suite("Inflate")
struct InflateTests {
    @Test("streams zlib wrote (stored, fixed, dynamic; levels 0, 1, 9; 1 MiB)", arguments: DeflateFixture.all)
    func zlibStream(_ fixture: DeflateFixture) throws {
        let stream = try fixtureBytes("npy/deflate/\(fixture.file)")
        let data = try inflate(stream, limit: fixture.size)
        #expect(data.count == fixture.size)
        #expect(CRC32.checksum(data) == fixture.crc)
        if fixture.size > 0 {
            #expect(
                inflateError(stream, limit: fixture.size - 1)?.message
                    == "expected at most \(fixture.size - 1) inflated bytes, found more")
            let truncated = inflateError(Array(stream.dropLast(stream.count / 2 + 1)))
            #expect(truncated?.kind == .badFile)
            #expect(truncated?.location == "t.deflate")
        }
    }

    @Test func truncatedStreamSaysSo() throws {
        let stream = try fixtureBytes("npy/deflate/text_level9.deflate")
        let error = inflateError(Array(stream[..<200]))
        #expect(error?.message == "expected more deflate data, found end of stream after 200 bytes")
        #expect(error?.offset == 300)  // past the last byte, counted from where the stream starts in the file
        #expect(inflateError([])?.message == "expected more deflate data, found end of stream after 0 bytes")
    }

    @Test(
        "malformed streams name what was expected",
        arguments: [
            ([0x07], "expected deflate block type 0, 1 or 2, found 3"),
            (
                [0x01, 0x05, 0x00, 0x00, 0x00],
                "expected stored block length 5 to be followed by its complement, found 0"
            ),
            ([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x61], "stored block needs 5 bytes, stream has 1 left"),
            // A fixed block whose first symbol copies from 1 byte back, before anything was written.
            (
                packBits([(1, 1), (1, 2), (0b1000000, 7), (0, 5)]),
                "expected a distance within the 0 bytes inflated so far, found 1"
            ),
            // A dynamic block whose code-length code gives four symbols 1-bit codes.
            (
                packBits([(1, 1), (2, 2), (0, 5), (0, 5), (0, 4), (1, 3), (1, 3), (1, 3), (1, 3)]),
                "expected a valid code-length Huffman code, found over-subscribed lengths"
            ),
            // A dynamic block whose first code-length symbol repeats a previous length that does not exist.
            (
                packBits([(1, 1), (2, 2), (0, 5), (0, 5), (0, 4), (1, 3), (0, 3), (0, 3), (0, 3), (0, 1)]),
                "expected a code length before repeat code 16"
            ),
        ])
    func malformedStream(_ stream: [UInt8], _ message: String) {
        let error = inflateError(stream)
        #expect(error?.kind == .badFile)
        #expect(error?.message == message)
    }

    @Test func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(whole) == 0x414F_A339)
        #expect(CRC32.checksum(Array(whole[10...]), continuing: CRC32.checksum(Array(whole[..<10]))) == 0x414F_A339)
    }

    @Test func mutatedStreamsThrowOrInflate() throws {
        let streams = try DeflateFixture.all.filter { $0.size < 10_000 }.map {
            (try fixtureBytes("npy/deflate/\($0.file)"), $0.size)
        }
        var mutator = Mutator(seed: 0x1951)
        for i in 0..<3000 {
            let (original, size) = streams[i % streams.count]
            let stream = mutator.mutate(original)
            // The limit bounds the output; typed throws guarantees any error is a TesseraError.
            if let data = try? inflate(stream, limit: 2 * size + 64) { #expect(data.count <= 2 * size + 64) }
        }
    }
}
