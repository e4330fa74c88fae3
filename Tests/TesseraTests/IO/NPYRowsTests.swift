#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import Tessera

/// `NPYRowReader` and `NPYRowWriter`: blocks of rows against the whole-file loader, and writes that are
/// atomic.
@Suite struct NPYRowsTests {
    static func path(_ name: String) -> String { "/tmp/tessera-npyrows-\(getpid())-\(name)" }

    @Test func blocksEqualSlicesOfTheWholeFile() throws {
        let x = Tensor.randn([1000, 7], seed: 3)
        let file = Self.path("blocks.npy")
        defer { unlink(file) }
        try x.save(npy: file)
        let reader = try NPYRowReader(file)
        #expect(reader.shape == [1000, 7] && reader.dtype == .float32 && reader.rows == 1000)
        for range in [0..<1, 0..<1000, 250..<613, 999..<1000, 500..<500] {
            #expect(try reader.read(rows: range).scalars(as: Float.self) == x[range].scalars(as: Float.self), "rows \(range)")
        }
    }

    @Test func bigEndianAndNarrowTypesConvertAsTheLoaderDoes() throws {
        for name in ["bigendian_f8.npy", "bigendian_i4.npy", "dtype_i2.npy", "dtype_u1.npy", "dtype_f2.npy"] {
            let file = fixturePath("npy/" + name)
            let whole = try Tensor.load(npy: file)
            let reader = try NPYRowReader(file)
            #expect(reader.dtype == whole.dtype, "\(name)")
            let rows = whole.shape[0]
            let block = try reader.read(rows: 1..<rows)
            #expect(block.toArray() == whole[1..<rows].toArray(), "\(name)")
        }
    }

    @Test func unreadableLayoutsAreOneLineErrors() throws {
        let fortran = fixturePath("npy/fortran_2x3.npy")
        #expect { try NPYRowReader(fortran) } throws: {
            "\($0)".hasPrefix("\(fortran): Fortran-order array of shape [2, 3]: its rows are not contiguous")
        }
        let scalar = fixturePath("npy/scalar_0d.npy")
        #expect { try NPYRowReader(scalar) } throws: { "\($0)" == "\(scalar): a 0-d array has no rows to read in blocks" }
        // A header that promises more data than the file holds.
        let short = Self.path("short.npy")
        defer { unlink(short) }
        let bytes = Tensor.zeros([10, 4]).npyBytes()
        try AtomicFile.write(Array(bytes.dropLast(8)), to: short)
        #expect { try NPYRowReader(short) } throws: { "\($0)".contains("header says 160 bytes of data, file has 152") }
    }

    @Test func writerProducesWhatSaveWritesAndOnlyOnFinish() throws {
        let x = Tensor.arange(30, dtype: .float64).reshape([10, 3])
        let out = Self.path("written.npy"), want = Self.path("saved.npy")
        defer { unlink(out); unlink(want) }
        try x.save(npy: want)
        let writer = try NPYRowWriter(out, dtype: .float64, shape: [10, 3])
        try writer.append(x[0..<4])
        try writer.append(x[4..<10])
        #expect(access(out, F_OK) != 0, "nothing at the target before finish")
        try writer.finish()
        #expect(try AtomicFile.read(out) == AtomicFile.read(want))
    }

    @Test func unfinishedOrShortWritesLeaveNoFile() throws {
        let out = Self.path("abandoned.npy")
        do {
            let writer = try NPYRowWriter(out, dtype: .float32, shape: [5])
            try writer.append(Tensor.zeros([3]))
            #expect { try writer.finish() } throws: { "\($0)" == "\(out): 3 rows written, 5 declared" }
        }
        #expect(access(out, F_OK) != 0)
        // No temporary file left beside it either.
        let dir = try #require(opendir("/tmp"))
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            #expect(!name.hasPrefix(".tessera-npyrows-\(getpid())-abandoned"), "left \(name)")
        }
    }
}
