import Tessera

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One value per row (a distance, an assigned profile), appended a block at a time and kept in memory or, past a memory
/// budget, in a `.npy` file on disk.
public final class ColumnStore: @unchecked Sendable {
    /// The number of rows the store holds when complete.
    public let rows: Int
    /// The dtype of the values.
    public let dtype: DType
    private var blocks: [Tensor] = []
    private var appended = 0
    private var writer: NPYRowWriter?
    /// The `.npy` file holding the values when they are on disk (after ``finish()``).
    public private(set) var file: String?
    private let removeFile: Bool

    /// A store of `rows` distances of `dtype`: in memory, or written to `spillPath` when it is given.
    ///
    /// - Parameters:
    ///   - rows: The number of values the store will hold.
    ///   - dtype: Their dtype.
    ///   - spillPath: The `.npy` file to write them to, or nil to keep them in memory.
    ///   - removeWhenDone: Delete the file when the store goes away (a scratch file, not an output).
    public init(rows: Int, dtype: DType, spillPath: String? = nil, removeWhenDone: Bool = true) throws(TesseraError) {
        self.rows = rows
        self.dtype = dtype
        removeFile = removeWhenDone
        if let spillPath { writer = try NPYRowWriter(spillPath, dtype: dtype, shape: [rows]) }
    }

    deinit {
        if removeFile, let file { unlink(file) }
    }

    /// Appends the next rows' values, `[n]`.
    public func append(_ block: Tensor) throws(TesseraError) {
        appended += block.count
        if let writer { try writer.append(block) } else { blocks.append(block) }
    }

    /// Completes the store (renames the file into place when on disk).
    ///
    /// - Throws: `.invalidArgument` when the values appended are not ``rows``.
    public func finish() throws(TesseraError) {
        guard appended == rows else {
            throw TesseraError(.invalidArgument, "\(appended) values for \(rows) rows", location: writer?.path)
        }
        if let writer {
            try writer.finish()
            file = writer.path
            self.writer = nil
        } else if blocks.count > 1 {
            blocks = [Tensor.concat(blocks, axis: 0).eval()]
        }
    }

    /// All values as one tensor, or nil when they are on disk.
    public var tensor: Tensor? { file == nil ? (blocks.first ?? Tensor.zeros([0], dtype: dtype)) : nil }

    /// Values `range` (after ``finish()``).
    public func read(rows range: Range<Int>) throws(TesseraError) -> Tensor {
        if let tensor { return range == 0..<rows ? tensor : tensor[range] }
        return try NPYRowReader(file!).read(rows: range)
    }

    /// Calls `body(firstRow, block)` for consecutive blocks of at most `blockRows` values, in order.
    public func forEachBlock(rows blockRows: Int, _ body: (Int, Tensor) throws(TesseraError) -> Void) throws(TesseraError) {
        if let tensor { return try body(0, tensor) }
        let reader = try NPYRowReader(file!)
        var start = 0
        while start < rows {
            let end = min(rows, start + blockRows)
            try body(start, try reader.read(rows: start..<end))
            start = end
        }
    }

    /// Writes the values to `path` as a `.npy` (atomically; from disk a block at a time).
    public func save(npy path: String) throws(TesseraError) {
        if let tensor { return try tensor.save(npy: path) }
        let out = try NPYRowWriter(path, dtype: dtype, shape: [rows])
        try forEachBlock(rows: 1 << 20) { (_, block) throws(TesseraError) in try out.append(block) }
        try out.finish()
    }
}
