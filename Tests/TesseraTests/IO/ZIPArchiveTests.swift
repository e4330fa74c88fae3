import Testing
import TesseraTestSupport

@testable import Tessera

/// The error reading `bytes` as an archive throws, recorded as a test failure if it reads.
private func readError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> TesseraError? {
    #expect(throws: TesseraError.self, sourceLocation: sourceLocation) { try ZIPArchive.read(bytes, file: "t.npz") }
}

/// Overwrites the little-endian field of `size` bytes at `offset`.
private func patch(_ bytes: inout [UInt8], at offset: Int, size: Int, _ value: Int) {
    for i in 0..<size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
}

/// Where the first occurrence of the 4-byte `signature` starts.
private func find(_ signature: UInt32, in bytes: [UInt8]) -> Int {
    let pattern = (0..<4).map { UInt8(truncatingIfNeeded: signature >> (8 * $0)) }
    return (0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == pattern } ?? -1
}

@Suite("ZIPArchive")
struct ZIPArchiveTests {
    @Test("archives NumPy wrote", arguments: ["savez.npz", "savez_compressed.npz", "zip64_records.npz"])
    func numpyArchive(_ file: String) throws {
        let entries = try ZIPArchive.read(fixtureBytes("npy/\(file)"), file: file)
        let expected = NPYFixture.all.filter { $0.file == file }
        #expect(entries.map(\.name) == expected.map { $0.member ?? "" })
        for (entry, fixture) in zip(entries, expected) {
            let (header, dataOffset) = try entry.data.withUnsafeBytes { raw in
                Result { () throws(TesseraError) in try NPYFormat.parseHeader(raw, file: entry.name) }
            }.get()
            #expect(header.descr == fixture.descr, "\(file)/\(entry.name)")
            #expect(header.shape == fixture.shape)
            #expect(Array(entry.data[dataOffset...]) == fixture.data)
        }
    }

    @Test("write then read gives the entries back", arguments: [0xFFFF_FFFF, 0])
    func roundTrip(zip64Threshold: Int) throws {
        let entries: [(name: String, data: [UInt8])] = [
            ("a.npy", Array(0..<200)), ("empty.npy", []), ("größe/ü.npy", [UInt8](repeating: 7, count: 70_000)),
        ]
        let archive = ZIPArchive.write(entries, zip64Threshold: zip64Threshold)
        #expect((find(0x0606_4B50, in: archive) >= 0) == (zip64Threshold == 0))  // ZIP64 end record only when forced
        let back = try ZIPArchive.read(archive, file: "t.npz")
        #expect(back.map(\.name) == entries.map(\.name))
        #expect(back.map(\.data) == entries.map(\.data))
        #expect(try ZIPArchive.read(ZIPArchive.write([]), file: "empty.npz").isEmpty)
    }

    @Test func writeIsDeterministicAndStored() {
        let entries: [(name: String, data: [UInt8])] = [("x.npy", Array("hello".utf8))]
        let archive = ZIPArchive.write(entries)
        #expect(archive == ZIPArchive.write(entries))
        #expect(archive.count == 30 + 5 + 5 + 46 + 5 + 22)  // local header, name, data, central record, name, end
        #expect(Array(archive[35..<40]) == Array("hello".utf8))
    }

    @Test func notAnArchive() throws {
        let npy = try fixtureBytes("npy/dtype_f4.npy")
        let error = readError(npy)
        #expect(error?.kind == .badFile)
        #expect(error?.location == "t.npz")
        #expect(
            error?.message == #"expected a ZIP end-of-central-directory record (PK\x05\x06), found none; "#
                + #"the file starts with "\x93NUMPY\x01\x00""#)
        #expect(readError([])?.offset == 0)
    }

    @Test func truncatedArchive() throws {
        let archive = try fixtureBytes("npy/savez.npz")
        let noEnd = readError(Array(archive[..<(archive.count - 10)]))
        #expect(noEnd?.message.hasPrefix("expected a ZIP end-of-central-directory record") == true)
        // Drop the data but keep the directory: the offsets now point past the end.
        let end = Array(archive[find(0x0201_4B50, in: archive)...])
        let error = readError(end)
        #expect(error?.message.hasPrefix("central directory at offset") == true)
        #expect(error?.message.hasSuffix("runs past the end of the file (\(end.count) bytes)") == true)
    }

    @Test func corruptedEntryFailsItsChecksum() throws {
        var archive = ZIPArchive.write([("a.npy", Array(repeating: 1, count: 64))])
        archive[40] ^= 0x10
        let error = readError(archive)
        #expect(error?.offset == 35)
        #expect(error?.message == "expected CRC-32 0x0bcd6aaf for 'a.npy', found 0x29b82afa; the entry is corrupted")
    }

    @Test func corruptedCompressedEntry() throws {
        var archive = try fixtureBytes("npy/savez_compressed.npz")
        let central = find(0x0201_4B50, in: archive)
        patch(&archive, at: central + 24, size: 4, 100)  // declared size smaller than the entry inflates to
        #expect(readError(archive)?.message == "expected at most 100 inflated bytes, found more")
    }

    @Test func unsupportedEntries() throws {
        var deflate64 = try fixtureBytes("npy/savez.npz")
        patch(&deflate64, at: find(0x0201_4B50, in: deflate64) + 10, size: 2, 9)
        let method = readError(deflate64)
        #expect(method?.kind == .unsupported)
        #expect(method?.message == "entry 'a.npy' uses compression method 9, expected 0 (stored) or 8 (deflate)")

        var encrypted = try fixtureBytes("npy/savez.npz")
        patch(&encrypted, at: find(0x0201_4B50, in: encrypted) + 8, size: 2, 1)
        #expect(readError(encrypted)?.message == "entry 'a.npy' is encrypted")
    }

    @Test func badLocalHeader() throws {
        var archive = try fixtureBytes("npy/savez.npz")
        archive[0] = 0
        let error = readError(archive)
        #expect(error?.offset == 0)
        #expect(error?.message == #"expected the local header (PK\x03\x04) of 'a.npy', found "\x00K\x03\x04""#)
    }

    @Test func mutatedArchivesThrowOrRead() throws {
        let archives =
            try ["savez.npz", "savez_compressed.npz", "zip64_records.npz"].map { try fixtureBytes("npy/\($0)") }
            + [ZIPArchive.write([("a", Array(0..<100)), ("b", [])], zip64Threshold: 0)]
        var mutator = Mutator(seed: 0x5A49_5000)
        var read = 0
        for i in 0..<3000 {
            let original = archives[i % archives.count]
            // Aim at the central directory and end records half the time: that is where the lengths live.
            let directory = find(0x0201_4B50, in: original)
            let bytes = mutator.mutate(original, focus: i % 2 == 0 ? directory..<original.count : 0..<original.count)
            if (try? ZIPArchive.read(bytes, file: "t.npz")) != nil { read += 1 }
        }
        #expect(read < 3000)
    }
}
