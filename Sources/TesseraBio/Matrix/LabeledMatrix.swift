import Tessera

/// A numeric matrix read from a CSV, TSV or `.npy` file, with its row and column names.
///
/// Rows are samples (cells) and columns features (channels, genes) after ``read(_:delimiter:header:rowNames:orientation:missingValues:columns:dtype:)``
/// applies its `orientation`; missing cells are NaN and listed in ``missing``.
///
/// ```swift
/// // Genes × samples on disk; samples × genes in memory.
/// let m = try LabeledMatrix.read("exprsData.txt", orientation: .columnsAreSamples)
/// m.values.shape        // [26, 500]
/// m.rowNames?.first     // "A"
/// ```
public struct LabeledMatrix: Sendable {
    /// The name of each row, when the file has a row-name column.
    public var rowNames: [String]?
    /// The name of each column, when the file has a header.
    public var columnNames: [String]?
    /// The values, shape `[rows, columns]`, float32 or float64.
    public var values: Tensor
    /// How many cells were missing (now NaN).
    public var missingCount: Int
    /// Where the first missing cells are (at most ``missingListLimit``, in file order), in ``values``
    /// coordinates; after a transpose, sorted by row.
    public var missing: [Position]

    /// How many missing cells ``missing`` lists at most.
    public static let missingListLimit = 20

    /// The text cells that mean "no value" unless told otherwise.
    public static let defaultMissingValues = ["", "NA", "NaN", "nan", "null"]

    /// A cell of the matrix.
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        /// The row, from 0.
        public var row: Int
        /// The column, from 0 (row names not counted).
        public var column: Int
        /// The cell at `row`, `column`.
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
        public var description: String { "(\(row), \(column))" }
    }

    /// What separates fields.
    public enum Delimiter: Sendable, Equatable {
        /// Tab for `.tsv`/`.tab`, comma for `.csv`, otherwise whichever of the two the first record holds more of.
        case auto
        /// `,`
        case comma
        /// A tab.
        case tab
        /// Any single ASCII byte, such as `;`.
        case byte(UInt8)
    }

    /// Whether the first field of each record names the row.
    public enum RowNames: Sendable, Equatable {
        /// Yes when the header is one field short of the data (R's `write.table`) or the first data
        /// field is not a number.
        case auto
        /// The first field always names the row.
        case present
        /// There are no row names; every field is data.
        case absent
    }

    /// How the file lays out samples.
    public enum Orientation: Sendable, Equatable {
        /// Each line is a sample (cells × channels, as FCS exports).
        case rowsAreSamples
        /// Each column is a sample (genes × samples, as expression matrices); the matrix is transposed.
        case columnsAreSamples
    }

    /// The number of rows.
    public var rows: Int { values.shape[0] }
    /// The number of columns.
    public var columns: Int { values.shape[1] }

    /// Creates a matrix from values and names.
    ///
    /// - Precondition: `values` has rank 2 and the names (when given) match its shape.
    public init(values: Tensor, rowNames: [String]? = nil, columnNames: [String]? = nil,
                missingCount: Int = 0, missing: [Position] = []) {
        precondition(values.rank == 2, "[LabeledMatrix] values must have rank 2, got shape \(values.shape)")
        precondition(rowNames == nil || rowNames!.count == values.shape[0],
                     "[LabeledMatrix] \(rowNames?.count ?? 0) row names for \(values.shape[0]) rows")
        precondition(columnNames == nil || columnNames!.count == values.shape[1],
                     "[LabeledMatrix] \(columnNames?.count ?? 0) column names for \(values.shape[1]) columns")
        self.values = values
        self.rowNames = rowNames
        self.columnNames = columnNames
        self.missingCount = missingCount
        self.missing = missing
    }

    /// Reads a numeric matrix from a delimited text file or a `.npy` file.
    ///
    /// Text files follow RFC 4180: fields may be quoted, with `""` for a quote and line breaks inside
    /// quotes; lines end in LF, CRLF or CR; lines starting with `#` and blank lines are skipped; spaces
    /// around unquoted fields are ignored. Numbers parse correctly rounded (to float64, then float32 when
    /// asked, as NumPy's `genfromtxt(...).astype(np.float32)`); `inf`, `-inf` and hex floats are accepted.
    /// A `.npy` file (by extension) loads through `Tensor.load(npy:)`; rank 1 becomes one column, NaNs
    /// count as missing.
    ///
    /// ```swift
    /// let scores = try LabeledMatrix.read("pData.txt", columns: ["score"])   // 26 × 1, row names A…Z
    /// ```
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - delimiter: The field separator (guessed by default).
    ///   - header: Whether the first record names the columns.
    ///   - rowNames: Whether the first field of each record names its row.
    ///   - orientation: `.columnsAreSamples` transposes, so that rows are samples.
    ///   - missingValues: Cell texts that become NaN and are reported in ``missing``.
    ///   - columns: Read only these columns (by header name, in this order); the others may hold text.
    ///   - dtype: `.float32` or `.float64`.
    /// - Returns: The matrix, `[rows, columns]` after `orientation`.
    /// - Throws: `TesseraError` naming the file: `.io` when it cannot be read; `.badFile` with the line
    ///   and column for a cell that is not a number (`line 12, column 4: expected a number, found "abc"`),
    ///   for rows of different lengths (with both counts) and for an unclosed quote; `.invalidArgument`
    ///   for an unknown column name or a dtype that is not a float.
    public static func read(
        _ path: String,
        delimiter: Delimiter = .auto,
        header: Bool = true,
        rowNames: RowNames = .auto,
        orientation: Orientation = .rowsAreSamples,
        missingValues: [String] = defaultMissingValues,
        columns: [String]? = nil,
        dtype: DType = .float32
    ) throws(TesseraError) -> LabeledMatrix {
        if path.lowercased().hasSuffix(".npy") {
            try checkDType(dtype, location: path)
            return try readNPY(path, orientation: orientation, dtype: dtype)
        }
        let bytes = try AtomicFile.read(path)
        return try parse(bytes, name: path, delimiter: delimiter, header: header, rowNames: rowNames,
                         orientation: orientation, missingValues: missingValues, columns: columns, dtype: dtype)
    }

    /// The dtypes a matrix is read as: float32 or float64.
    private static func checkDType(_ dtype: DType, location: String) throws(TesseraError) {
        guard dtype == .float32 || dtype == .float64 else {
            throw TesseraError(.invalidArgument, "dtype must be float32 or float64, got \(dtype)", location: location)
        }
    }

    /// Parses delimited text already in memory; `name` stands for the file in error messages.
    ///
    /// The parameters are those of ``read(_:delimiter:header:rowNames:orientation:missingValues:columns:dtype:)``.
    ///
    /// - Throws: `TesseraError` as `read` does, naming `name`.
    public static func parse(
        _ bytes: [UInt8],
        name: String,
        delimiter: Delimiter = .auto,
        header: Bool = true,
        rowNames: RowNames = .auto,
        orientation: Orientation = .rowsAreSamples,
        missingValues: [String] = defaultMissingValues,
        columns: [String]? = nil,
        dtype: DType = .float32
    ) throws(TesseraError) -> LabeledMatrix {
        try checkDType(dtype, location: name)
        let table = try bytes.withUnsafeBufferPointer { (buffer) throws(TesseraError) -> DelimitedParser.Table in
            let separator: UInt8
            switch delimiter {
            case .comma: separator = UInt8(ascii: ",")
            case .tab: separator = UInt8(ascii: "\t")
            case .byte(let b): separator = b
            case .auto:
                let lower = name.lowercased()
                if lower.hasSuffix(".csv") {
                    separator = UInt8(ascii: ",")
                } else if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") {
                    separator = UInt8(ascii: "\t")
                } else {
                    separator = DelimitedParser.sniffDelimiter(buffer)
                }
            }
            guard separator != UInt8(ascii: "\"") && separator != UInt8(ascii: "\n") && separator != UInt8(ascii: "\r") else {
                throw TesseraError(.invalidArgument, "a quote or line end cannot be the delimiter", location: name)
            }
            var parser = DelimitedParser(
                file: name, bytes: buffer,
                options: .init(delimiter: separator, header: header, rowNames: rowNames,
                               missingValues: missingValues, columns: columns))
            return try parser.parse()
        }
        let shape = [table.rows, table.columns]
        let values = dtype == .float64
            ? Tensor(shape: shape, scalars: table.values, dtype: .float64)
            : Tensor(shape: shape, scalars: table.values.map { Float($0) }, dtype: .float32)
        let matrix = LabeledMatrix(values: values, rowNames: table.rowNames, columnNames: table.columnNames,
                                   missingCount: table.missingCount, missing: table.missing)
        return orientation == .columnsAreSamples ? matrix.transposed() : matrix
    }

    /// The matrix with rows and columns (and their names and missing cells) swapped.
    public func transposed() -> LabeledMatrix {
        LabeledMatrix(values: values.transposed().contiguous().eval(), rowNames: columnNames, columnNames: rowNames,
                      missingCount: missingCount,
                      missing: missing.map { Position(row: $0.column, column: $0.row) }
                          .sorted { ($0.row, $0.column) < ($1.row, $1.column) })
    }

    private static func readNPY(_ path: String, orientation: Orientation, dtype: DType) throws(TesseraError) -> LabeledMatrix {
        var tensor = try Tensor.load(npy: path)
        switch tensor.rank {
        case 1: tensor = tensor.reshape([tensor.count, 1])
        case 2: break
        default:
            throw TesseraError(.unsupported, "expected a 1- or 2-dimensional array, found shape \(tensor.shape)", location: path)
        }
        tensor = tensor.astype(dtype)
        if orientation == .columnsAreSamples { tensor = tensor.transposed().contiguous() }
        tensor.eval()
        let nanCount = Int(tensor.isnan().sum().item(as: Int64.self))
        var missing: [Position] = []
        if nanCount > 0 {
            let flags = tensor.isnan().scalars(as: Bool.self)
            let columns = tensor.shape[1]
            for (i, flag) in flags.enumerated() where flag {
                missing.append(Position(row: i / columns, column: i % columns))
                if missing.count == missingListLimit { break }
            }
        }
        return LabeledMatrix(values: tensor, missingCount: nanCount, missing: missing)
    }
}
