import Tessera

/// The rows of a `[rows, columns]` matrix, read a block at a time: a tensor in memory, or a `.npy` file
/// larger than memory.
public protocol RowSource: Sendable {
    /// The number of rows.
    var rows: Int { get }
    /// The number of columns.
    var columns: Int { get }
    /// The dtype blocks are read as.
    var dtype: DType { get }
    /// Whether the whole matrix is in memory already (reading a block costs nothing).
    var isInMemory: Bool { get }
    /// Rows `range`, `[range.count, columns]`.
    ///
    /// - Throws: the reader's error (one line naming the file and offset).
    func read(rows range: Range<Int>) throws(TesseraError) -> Tensor
}

/// A matrix in memory: blocks are views.
public struct TensorRows: RowSource {
    /// The matrix, `[rows, columns]`.
    public var matrix: Tensor
    public init(_ matrix: Tensor) {
        precondition(matrix.rank == 2, "[TensorRows] needs a [rows, columns] matrix, got shape \(matrix.shape)")
        self.matrix = matrix
    }
    public var rows: Int { matrix.shape[0] }
    public var columns: Int { matrix.shape[1] }
    public var dtype: DType { matrix.dtype }
    public var isInMemory: Bool { true }
    public func read(rows range: Range<Int>) throws(TesseraError) -> Tensor {
        range == 0..<rows ? matrix : matrix[range]
    }
}

/// A row-major `.npy` file read in blocks (a 1-d array reads as one column).
public struct NPYRows: RowSource {
    let reader: NPYRowReader
    /// Opens `path`.
    ///
    /// - Throws: `.unsupported` for arrays of more than 2 dimensions or in Fortran order, and the
    ///   reader's errors.
    public init(_ path: String) throws(TesseraError) {
        reader = try NPYRowReader(path)
        guard reader.shape.count <= 2 else {
            throw TesseraError(.unsupported, "expected a 1- or 2-dimensional array, found shape \(reader.shape)", location: path)
        }
    }
    public var rows: Int { reader.rows }
    public var columns: Int { reader.shape.count == 2 ? reader.shape[1] : 1 }
    public var dtype: DType { reader.dtype }
    public var isInMemory: Bool { false }
    /// The bytes one row takes in memory.
    public var rowBytes: Int { columns * dtype.byteSize }
    public func read(rows range: Range<Int>) throws(TesseraError) -> Tensor {
        let block = try reader.read(rows: range)
        return block.rank == 1 ? block.reshape([range.count, 1]) : block
    }
}
