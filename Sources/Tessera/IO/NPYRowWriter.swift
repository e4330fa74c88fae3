/// Writes a `.npy` array a block of rows at a time (for results larger than memory), atomically: the
/// file appears complete at ``finish()`` or not at all.
///
/// ```swift
/// let out = try NPYRowWriter("distances.npy", dtype: .float32, shape: [5_000_000])
/// try out.append(block)        // blocks in row order, any number of rows each
/// try out.finish()
/// ```
public final class NPYRowWriter {
    /// The file written.
    public var path: String { file.path }
    /// The shape the file declares.
    public let shape: [Int]
    /// The dtype of every block.
    public let dtype: DType
    /// Rows written so far.
    public private(set) var rowsWritten = 0
    private let file: AtomicFile.Writer
    private var offset: Int

    /// Creates the (temporary) file and writes its header.
    ///
    /// - Throws: `.io` naming `path` when it cannot be created.
    public init(_ path: String, dtype: DType, shape: [Int]) throws(TesseraError) {
        precondition(!shape.isEmpty, "[NPYRowWriter] needs at least one axis")
        self.dtype = dtype
        self.shape = shape
        let file = try AtomicFile.Writer(path)
        let header = NPYFormat.encodeHeader(NPYHeader(type: dtype.npyType, shape: shape))
        try header.withUnsafeBytes { raw in Result { () throws(TesseraError) in try file.write(raw, at: 0) } }.get()
        self.file = file
        offset = header.count
    }

    /// Appends the rows of `block`, whose shape is `[n] + shape.dropFirst()`.
    ///
    /// - Precondition: the block has the writer's dtype and row shape, and fits in the declared rows.
    public func append(_ block: Tensor) throws(TesseraError) {
        precondition(block.dtype == dtype && Array(block.shape.dropFirst()) == Array(shape.dropFirst()),
                     "[NPYRowWriter] block \(block.dtype) \(block.shape) does not match \(dtype) \(shape)")
        let rows = block.shape.first ?? 1
        precondition(rowsWritten + rows <= shape[0], "[NPYRowWriter] more than the \(shape[0]) rows declared")
        let bytes = block.npyBytes()
        let dataStart = bytes.count - block.count * dtype.byteSize
        try bytes.withUnsafeBytes { raw in
            Result { () throws(TesseraError) in
                try file.write(UnsafeRawBufferPointer(rebasing: raw[dataStart...]), at: offset)
            }
        }.get()
        offset += bytes.count - dataStart
        rowsWritten += rows
    }

    /// Flushes the file and renames it into place.
    ///
    /// - Throws: `.invalidArgument` when fewer rows were appended than declared; `.io` when it cannot be
    ///   flushed or renamed.
    public func finish() throws(TesseraError) {
        guard rowsWritten == shape[0] else {
            throw TesseraError(.invalidArgument, "\(rowsWritten) rows written, \(shape[0]) declared", location: path)
        }
        try file.commit()
    }
}
