import Tessera

/// A numeric table loaded from an FCS, CSV/TSV or `.npy` file, with what `tessera data inspect` reports.
public struct ProfileInput: Sendable {
    /// `FCS 3.1`, `CSV`, `TSV`, `npy`.
    public var format: String
    /// `[rows, columns]`, in the file's own dtype (FCS integers stay integers, `.npy` keeps its dtype).
    public var values: Tensor
    /// Column names: FCS `$PnN`, a CSV header; nil when the file has none.
    public var channelNames: [String]?
    /// FCS `$PnS` per channel (nil where absent); nil for other formats.
    public var channelLabels: [String?]?
    /// Row names of a CSV with a row-name column.
    public var rowNames: [String]?
    /// Missing cells (NaN) in a CSV or `.npy` (for a `.npy`, counted on each access).
    public var missingCount: Int {
        knownMissing ?? (values.dtype.isFloatingPoint ? Int(values.isnan().astype(.int64).sum().item(as: Int64.self)) : 0)
    }
    /// The reader's count of missing cells, when it made one.
    var knownMissing: Int?
    /// How the file stores the values, where that differs from ``values``' dtype: FCS `$DATATYPE` and `$PnB`.
    public var storedAs: String?

    /// Loads `path`: `.npy` by extension, FCS by its `FCS` magic, anything else as delimited text.
    ///
    /// - Throws: the reader's `TesseraError` (one line naming the file).
    /// With `orientation` ``LabeledMatrix/Orientation/columnsAreSamples`` the matrix is transposed,
    /// so samples become rows (a CSV's column names become the row names and its row names the channels).
    public static func load(_ path: String, dataset: Int = 0,
                            orientation: LabeledMatrix.Orientation = .rowsAreSamples) throws(TesseraError) -> ProfileInput {
        let input = try loadAsStored(path, dataset: dataset)
        guard orientation == .columnsAreSamples else { return input }
        guard !input.format.hasPrefix("FCS") else {
            throw TesseraError(.invalidArgument, "--orientation features-by-samples does not apply to FCS files (events are always rows)", location: path)
        }
        var t = input
        t.values = input.values.T.contiguous().eval()
        t.channelNames = input.rowNames
        t.rowNames = input.channelNames
        return t
    }

    /// Loads `path` as stored (rows as in the file).
    static func loadAsStored(_ path: String, dataset: Int) throws(TesseraError) -> ProfileInput {
        if path.lowercased().hasSuffix(".npy") {
            var t = try Tensor.load(npy: path)
            switch t.rank {
            case 1: t = t.reshape([t.count, 1])
            case 2: break
            default:
                throw TesseraError(.unsupported, "expected a 1- or 2-dimensional array, found shape \(t.shape)", location: path)
            }
            return ProfileInput(format: "npy", values: t, channelNames: nil, channelLabels: nil, rowNames: nil,
                                knownMissing: nil, storedAs: nil)
        }
        let bytes = try AtomicFile.read(path)
        let lowerPath = path.lowercased()
        let fcsMagic = bytes.count >= 3 && bytes[0] == UInt8(ascii: "F") && bytes[1] == UInt8(ascii: "C") && bytes[2] == UInt8(ascii: "S")
        if fcsMagic || lowerPath.hasSuffix(".fcs") || lowerPath.hasSuffix(".lmd") {
            let fcs = try FCSFile.parse(bytes, path: path, dataset: dataset)
            return ProfileInput(format: fcs.version.hasPrefix("FCS") ? "FCS " + fcs.version.dropFirst(3) : "FCS \(fcs.version)", values: fcs.data, channelNames: fcs.parameters.map(\.name),
                                channelLabels: fcs.parameters.map(\.label), rowNames: nil, knownMissing: 0,
                                storedAs: "$DATATYPE \(fcs.dataType), $PnB " + Array(Set(fcs.parameters.map(\.bits))).sorted().map(String.init).joined(separator: "/"))
        }
        guard dataset == 0 else {
            throw TesseraError(.invalidArgument, "--dataset \(dataset) applies to FCS files only", location: path)
        }
        let matrix = try LabeledMatrix.parse(bytes, name: path)
        let lower = path.lowercased()
        let format = lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") || lower.hasSuffix(".txt") ? "TSV" : "CSV"
        return ProfileInput(format: format, values: matrix.values, channelNames: matrix.columnNames, channelLabels: nil,
                            rowNames: matrix.rowNames, knownMissing: matrix.missingCount, storedAs: nil)
    }

    /// The names to show for each column: FCS `$PnN` (with `$PnS` after it), a CSV header, else `0…`.
    public var displayNames: [String] { Self.displayNames(channelNames, channelLabels, columns: values.shape[1]) }

    /// The names to show for `columns` columns named `names` (nil: numbered) with labels `labels`.
    static func displayNames(_ names: [String]?, _ labels: [String?]?, columns: Int) -> [String] {
        (0..<columns).map { i in
            guard let names else { return "\(i)" }
            if let label = labels?[i] ?? nil, !label.isEmpty, label != names[i] { return "\(names[i]) (\(label))" }
            return names[i]
        }
    }

    /// The column indices of `wanted`: each matched against `$PnN`, then `$PnS`, then (for files without
    /// names, or when nothing else matches) a column number.
    ///
    /// - Throws: `.invalidArgument`, one line listing the available channels, for a name the file lacks.
    public func channelIndices(_ wanted: [String], file: String) throws(TesseraError) -> [Int] {
        try Self.channelIndices(wanted, names: channelNames, labels: channelLabels, columns: values.shape[1], file: file)
    }

    /// ``channelIndices(_:file:)`` for `columns` columns named `names` (nil: numbered only) and `labels`.
    static func channelIndices(_ wanted: [String], names: [String]?, labels: [String?]?, columns: Int,
                               file: String) throws(TesseraError) -> [Int] {
        var indices: [Int] = []
        for name in wanted {
            if let i = names?.firstIndex(of: name) ?? labels?.firstIndex(where: { $0 == name }) {
                indices.append(i)
            } else if let i = Int(name), i >= 0, i < columns {
                indices.append(i)
            } else {
                let available = names == nil
                    ? "columns 0…\(columns - 1) (the file has no names)"
                    : displayNames(names, labels, columns: columns).joined(separator: ", ")
                throw TesseraError(.invalidArgument, "no channel '\(name)'; available: \(available)", location: file)
            }
        }
        return indices
    }
}
