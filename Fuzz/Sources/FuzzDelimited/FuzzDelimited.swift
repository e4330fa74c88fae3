import Tessera
import TesseraBio

// libFuzzer target for `LabeledMatrix.parse` (CSV/TSV): every input must parse into a consistent matrix or
// throw a `TesseraError` whose description is one line naming the input. Anything else traps, so libFuzzer
// keeps it as a crash.
//
// The first byte of an input picks the reader's options (so corpus files are that byte, then the text):
//   bits 0-1  delimiter: 0 auto (sniffed), 1 comma, 2 tab, 3 `;`
//   bit 2     set: no header line
//   bits 3-4  row names: 1 present, 2 absent, 0 or 3 auto
//   bit 5     set: columns are samples (the matrix is transposed)
//   bit 6     set: float64, else float32
//   bit 7     set: read again selecting every column by name in reverse order, which must reverse the columns
// `Tests/TesseraBioTests/FCS/FuzzCorpusTests.swift` decodes the byte the same way to replay the corpus.

private let name = "fuzz.txt"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDelimited(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let flags = data[0]
    let text = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let delimiter: [LabeledMatrix.Delimiter] = [.auto, .comma, .tab, .byte(UInt8(ascii: ";"))]
    let rowNames: [LabeledMatrix.RowNames] = [.auto, .present, .absent, .auto]
    let header = flags & 4 == 0
    let orientation: LabeledMatrix.Orientation = flags & 32 != 0 ? .columnsAreSamples : .rowsAreSamples
    let dtype: DType = flags & 64 != 0 ? .float64 : .float32
    func parse(columns: [String]?) throws(TesseraError) -> LabeledMatrix {
        try LabeledMatrix.parse(text, name: name, delimiter: delimiter[Int(flags & 3)], header: header,
                                rowNames: rowNames[Int(flags >> 3 & 3)], orientation: orientation,
                                columns: columns, dtype: dtype)
    }
    do {
        let m = try parse(columns: nil)
        let values = check(m, dtype: dtype)
        // Selecting every column by name, last first, must give the same columns reversed.
        if flags & 128 != 0, orientation == .rowsAreSamples, let names = m.columnNames, Set(names).count == names.count {
            let reversed: LabeledMatrix
            do {
                reversed = try parse(columns: names.reversed())
            } catch {
                fatalError("selecting the columns \(names) by name failed: \(error)")
            }
            require(reversed.columnNames == names.reversed(), "reversed names \(reversed.columnNames ?? [])")
            let again = check(reversed, dtype: dtype)
            for row in 0..<m.rows {
                for column in 0..<m.columns {
                    let a = values[row * m.columns + column], b = again[row * m.columns + m.columns - 1 - column]
                    require(a.bitPattern == b.bitPattern, "(\(row), \(column)): \(a) read again as \(b)")
                }
            }
        }
    } catch {
        checkOneLine(error)
    }
    return 0
}

/// Checks a parsed matrix's shape, names and missing cells; returns its values.
private func check(_ m: LabeledMatrix, dtype: DType) -> [Double] {
    let (rows, columns) = (m.rows, m.columns)
    require(m.values.shape == [rows, columns] && m.values.count == rows * columns, "shape \(m.values.shape)")
    require(m.values.dtype == dtype, "dtype \(m.values.dtype), asked for \(dtype)")
    require(m.rowNames.map { $0.count == rows } ?? true, "\(m.rowNames?.count ?? 0) row names for \(rows) rows")
    require(m.columnNames.map { $0.count == columns } ?? true, "\(m.columnNames?.count ?? 0) names, \(columns) columns")
    let values = m.values.scalars(as: Double.self)
    require(values.count == rows * columns, "\(values.count) values for \(rows) × \(columns)")
    require(m.missing.count == min(m.missingCount, LabeledMatrix.missingListLimit),
                 "\(m.missing.count) missing cells listed of \(m.missingCount)")
    for p in m.missing {
        require(p.row >= 0 && p.row < rows && p.column >= 0 && p.column < columns, "missing cell \(p) outside")
        require(values[p.row * columns + p.column].isNaN, "missing cell \(p) is not NaN")
    }
    require(values.count(where: \.isNaN) >= m.missingCount, "fewer NaNs than \(m.missingCount) missing cells")
    return values
}

/// One line that names the input, with a message.
private func checkOneLine(_ error: TesseraError) {
    let text = error.description
    require(error.location == name && text.hasPrefix(name + ": "), "error does not name the input: \(text)")
    require(!error.message.isEmpty, "empty message: \(text)")
    require(!text.contains(where: \.isNewline), "error is not one line: \(text.debugDescription)")
}

/// Traps with `message` when `condition` is false; unlike `precondition`, keeps the message in -O builds.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
