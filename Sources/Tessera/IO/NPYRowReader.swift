#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a row-major `.npy` array a block of rows at a time, for files larger than memory.
///
/// Only the header is read when the reader opens; each ``read(rows:)`` reads just those rows (on all
/// cores, converted to the native dtype as ``Tensor/load(npy:)`` does).
///
/// ```swift
/// let file = try NPYRowReader("cells.npy")        // shape [5000000, 32]
/// let block = try file.read(rows: 0..<65536)      // [65536, 32]
/// ```
public final class NPYRowReader: @unchecked Sendable {
    /// The file.
    public let path: String
    /// The array's shape; the first axis is the one read in blocks.
    public let shape: [Int]
    /// The dtype blocks load as.
    public let dtype: DType
    private let header: NPYHeader
    private let dataOffset: Int
    private let fd: Int32

    /// Opens `path` and parses its header.
    ///
    /// - Throws: ``TesseraError`` naming `path`: `.io` when it cannot be opened, `.badFile` for a
    ///   malformed header or a file shorter than its header says, `.unsupported` for a 0-d array, a
    ///   Fortran-order array of more than one dimension (its rows are not contiguous) or a dtype Tessera
    ///   does not read.
    public init(_ path: String) throws(TesseraError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw npyIOError(path, "cannot open for reading") }
        do throws(TesseraError) {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw npyIOError(path, "cannot stat") }
            guard info.st_mode & S_IFMT == S_IFREG else {
                throw TesseraError(.unsupported, "is not a regular file; row blocks need one", location: path)
            }
            // The header parser checks the data length against the file size: give it the real size and
            // the first bytes only (headers are at most a few kilobytes; version 2.0 allows up to 4 GiB).
            let size = Int(info.st_size)
            var prefix = [UInt8](repeating: 0, count: min(size, 1 << 16))
            try preadAll(fd, into: &prefix, count: prefix.count, at: 0, path: path)
            let headerLength = NPYRowReader.headerEnd(prefix)
            if let headerLength, headerLength > prefix.count, headerLength <= size {
                prefix = [UInt8](repeating: 0, count: headerLength)
                try preadAll(fd, into: &prefix, count: headerLength, at: 0, path: path)
            }
            let parsed = try prefix.withUnsafeBytes { raw in
                Result { () throws(TesseraError) in try NPYFormat.parseHeader(raw, file: path, fileSize: size) }
            }.get()
            (header, dataOffset) = parsed
            guard let dtype = header.type.tesseraDType else {
                throw TesseraError(.unsupported, "dtype \(header.type.name) ('\(header.descr)') is not supported",
                                   location: path, offset: 0)
            }
            guard !header.shape.isEmpty else {
                throw TesseraError(.unsupported, "a 0-d array has no rows to read in blocks", location: path)
            }
            guard !header.fortranOrder || header.shape.count == 1 else {
                throw TesseraError(.unsupported, "Fortran-order array of shape \(header.shape): its rows are not contiguous (load it whole, or save it in C order)", location: path)
            }
            self.dtype = dtype
            shape = header.shape
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// The number of rows (the first axis).
    public var rows: Int { shape[0] }

    /// Rows `range` as a dense tensor of shape `[range.count] + shape.dropFirst()`.
    ///
    /// - Throws: `.io`/`.badFile` naming the file and offset when the read fails or the file shrank.
    /// - Precondition: `range` lies within `0..<rows`.
    public func read(rows range: Range<Int>) throws(TesseraError) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows,
                     "[NPYRowReader] rows \(range) out of 0..<\(rows) in \(path)")
        let rowElements = shape.dropFirst().reduce(1, *)
        let rowBytes = rowElements * header.type.itemSize
        var block = header
        block.shape[0] = range.count
        let offset = dataOffset + range.lowerBound * rowBytes
        let fd = fd, path = path
        return try Tensor.makeTensor(block, dataOffset: offset, file: path) { (destination, byteCount) throws(TesseraError) in
            try preadAll(fd, into: destination, count: byteCount, at: offset, path: path)
        }
    }

    /// The total header length given by the magic, version and length fields, or nil when `prefix` is
    /// too short or not a `.npy` file (the parser then reports what is wrong).
    private static func headerEnd(_ prefix: [UInt8]) -> Int? {
        guard prefix.count >= 10 else { return nil }
        if prefix[6] == 1 { return 10 + (Int(prefix[8]) | Int(prefix[9]) << 8) }
        guard prefix.count >= 12 else { return nil }
        return 12 + (Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24)
    }
}
