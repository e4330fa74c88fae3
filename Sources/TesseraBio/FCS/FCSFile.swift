import Tessera

/// One data set of a flow-cytometry (FCS 2.0, 3.0, 3.1) file: its TEXT keywords, its parameters and its events.
///
/// The events are a `Tensor` of shape `[events, parameters]`, float32 (float64 when `$DATATYPE` is `D`),
/// with integer data masked to `$PnR` bits as fcsparser does.
///
/// ```swift
/// let fcs = try FCSFile.read("Sample_Well_A02.fcs")
/// print(fcs.version, fcs.events, fcs.parameters.map(\.name))   // FCS2.0 37395 ["FSC-H", …]
/// let mean = fcs.data.mean(axis: 0)
/// ```
///
/// ### See Also
/// - ``FCSFile/read(_:dataset:)``
/// - ``FCSFile/datasets(in:)``
public struct FCSFile: Sendable {
    /// One measured channel, from the `$Pn…` keywords.
    public struct Parameter: Sendable, Equatable {
        /// `$PnN`, the short name (e.g. `FL1-H`); `P<n>` when the file has none.
        public var name: String
        /// `$PnS`, the longer label (e.g. `CD4 FITC`), if present.
        public var label: String?
        /// `$PnB`, bits per value in DATA.
        public var bits: Int
        /// `$PnR`, the range, if present and numeric.
        public var range: Double?
    }

    /// The file the data set was read from.
    public var path: String
    /// The version from the HEADER, e.g. `FCS3.1`.
    public var version: String
    /// Which data set of the file this is (0 for the first).
    public var dataset: Int
    /// Every TEXT keyword (primary, then supplemental), in file order, values as written (not trimmed).
    public var keywords: [(key: String, value: String)] { table.pairs }
    /// The channels, in DATA column order.
    public var parameters: [Parameter]
    /// The number of events (`$TOT`).
    public var events: Int
    /// `$DATATYPE`: `F`, `D` or `I`.
    public var dataType: String
    /// The events, shape `[events, parameters.count]`.
    public var data: Tensor

    let table: FCSKeywords

    /// The value of a TEXT keyword, matched case-insensitively (`"$tot"` finds `$TOT`).
    public subscript(keyword: String) -> String? { table[keyword] }

    /// Reads data set `dataset` of the FCS file at `path`.
    ///
    /// Reads HEADER, TEXT, supplemental TEXT and DATA; `$BEGINDATA`/`$ENDDATA` are used when the HEADER's DATA
    /// offsets are 0. An `$ENDDATA` equal to `$BEGINDATA + size - 1` (the standard) or `$BEGINDATA + size` (a
    /// common writer off-by-one), or one byte past the file end, is accepted; a longer DATA segment is read for
    /// its first `$TOT` events, a shorter one is an error.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - dataset: Which data set, counting from 0 along the `$NEXTDATA` chain.
    /// - Returns: The data set.
    /// - Throws: `TesseraError` naming the file, the offset and what was expected and found: `.badFile` for a
    ///   malformed file, `.unsupported` for a valid one this reader does not read (`$MODE` other than `L`,
    ///   `$DATATYPE A`), `.invalidArgument` for a data set the file does not have, `.io` when it cannot be read.
    public static func read(_ path: String, dataset: Int = 0) throws(TesseraError) -> FCSFile {
        try parse(AtomicFile.read(path), path: path, dataset: dataset)
    }

    /// Parses FCS bytes already in memory; `path` is only used in errors and ``path``.
    ///
    /// - Throws: as ``read(_:dataset:)``.
    public static func parse(_ bytes: [UInt8], path: String, dataset: Int = 0) throws(TesseraError) -> FCSFile {
        guard dataset >= 0 else {
            throw TesseraError(.invalidArgument, "expected a data set index ≥ 0, found \(dataset)", location: path)
        }
        var base = 0
        var index = 0
        while true {
            let (header, keywords) = try readSegments(bytes, at: base, path: path)
            if index == dataset {
                return try assemble(bytes, header: header, keywords: keywords, path: path, dataset: dataset)
            }
            guard let next = try nextData(bytes, header: header, keywords: keywords, path: path) else {
                throw TesseraError(.invalidArgument, "expected data set \(dataset), found only \(index + 1)",
                                   location: path)
            }
            base = next
            index += 1
        }
    }

    /// The number of data sets in the FCS file at `path` (1 plus the length of its `$NEXTDATA` chain).
    ///
    /// - Throws: `TesseraError` as ``read(_:dataset:)`` for a HEADER or TEXT it cannot read.
    public static func datasets(in path: String) throws(TesseraError) -> Int {
        let bytes = try AtomicFile.read(path)
        var base = 0
        var count = 1
        while true {
            let (header, keywords) = try readSegments(bytes, at: base, path: path)
            guard let next = try nextData(bytes, header: header, keywords: keywords, path: path) else { return count }
            base = next
            count += 1
        }
    }

    /// HEADER, TEXT and supplemental TEXT of the data set at `base`.
    static func readSegments(_ b: [UInt8], at base: Int, path: String) throws(TesseraError) -> (FCSHeader, FCSKeywords) {
        let header = try FCSHeader.read(b, at: base, path: path)
        let fallback: TextFallback = header.version == "FCS2.0" ? .macRoman : .latin1
        var keywords = FCSKeywords()
        keywords.parse(b, header.textStart, header.textEnd, fallback: fallback)
        // Supplemental TEXT starts with the primary delimiter; cyflow_cube_8.fcs points $BEGINSTEXT at a ZIP
        // archive instead, which is not TEXT and is skipped.
        let sStart = try optionalInt(keywords, "$BEGINSTEXT", path: path, header: header) ?? 0
        let sEnd = try optionalInt(keywords, "$ENDSTEXT", path: path, header: header) ?? 0
        if sStart != 0 || sEnd != 0 {
            let start = base + sStart, end = base + sEnd
            guard sStart >= FCSHeader.size, sStart < sEnd, end <= b.count else {
                throw FCSError.bad(path, header.textStart,
                                   "supplemental TEXT $BEGINSTEXT \(sStart)..$ENDSTEXT \(sEnd) is not inside the file (\(b.count) bytes)")
            }
            if b[start] == b[header.textStart] {
                keywords.parse(b, start, min(end, b.count - 1), fallback: fallback)
            }
        }
        return (header, keywords)
    }

    /// The absolute offset of the next data set, or nil when `$NEXTDATA` is absent or 0.
    static func nextData(_ b: [UInt8], header: FCSHeader, keywords: FCSKeywords, path: String) throws(TesseraError) -> Int? {
        guard let next = try optionalInt(keywords, "$NEXTDATA", path: path, header: header), next != 0 else { return nil }
        // Only forward links: a chain that loops or points back would never end.
        guard next > 0, header.base + next < b.count else {
            throw FCSError.bad(path, header.textStart,
                               "$NEXTDATA \(next) from offset \(header.base) is not a later offset inside the file (\(b.count) bytes)")
        }
        // Past this data set's TEXT, so a chain reads each byte of TEXT once (a crafted chain of tiny steps
        // over one huge TEXT would otherwise parse it again at every step).
        guard header.base + next > header.textEnd else {
            throw FCSError.bad(path, header.textStart,
                               "$NEXTDATA \(next) from offset \(header.base) points inside this data set's TEXT (which ends at \(header.textEnd))")
        }
        return header.base + next
    }

    static func optionalInt(_ k: FCSKeywords, _ key: String, path: String, header: FCSHeader) throws(TesseraError) -> Int? {
        guard let raw = k[key] else { return nil }
        // Every integer keyword is a count or an offset; the bound keeps offset arithmetic from overflowing.
        guard let value = Int(trimmed(raw)), value >= 0, value < 1 << 48 else {
            throw FCSError.bad(path, header.textStart,
                               "expected a non-negative integer for \(key), found \(quoted(Array(raw.utf8)))")
        }
        return value
    }

    static func requiredInt(_ k: FCSKeywords, _ key: String, path: String, header: FCSHeader) throws(TesseraError) -> Int {
        guard let value = try optionalInt(k, key, path: path, header: header) else {
            throw FCSError.bad(path, header.textStart, "expected keyword \(key) in TEXT, found none")
        }
        return value
    }

    static func required(_ k: FCSKeywords, _ key: String, path: String, header: FCSHeader) throws(TesseraError) -> String {
        guard let value = k[key] else {
            throw FCSError.bad(path, header.textStart, "expected keyword \(key) in TEXT, found none")
        }
        return trimmed(value)
    }
}

/// `s` without leading and trailing spaces, NULs and line breaks (writers pad numeric keywords).
func trimmed(_ s: String) -> String {
    let isPad: (Character) -> Bool = { $0 == " " || $0 == "\0" || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    return String(s.drop(while: isPad).reversed().drop(while: isPad).reversed())
}
