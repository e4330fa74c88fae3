import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera
import TesseraBio

/// `tessera data`: look inside a data file, or make the seed's synthetic data set.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect FCS, CSV/TSV and .npy files, or write the seed's synthetic data set.",
        subcommands: [Inspect.self, Synth.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Format, size, channel names, dtype, per-column mean/min/max and the first rows of a file.")

        @Argument(help: ArgumentHelp("An FCS, CSV/TSV or .npy file.", valueName: "file"))
        var file: String

        @Option(help: "The FCS data set (0 = the first; see $NEXTDATA).")
        var dataset = 0

        @Option(help: "How many rows to show.")
        var head = 5

        @OptionGroup var json: JSONOption

        func validate() throws {
            if dataset < 0 { throw ValidationErrorExit(message: "--dataset must be ≥ 0, got \(dataset)") }
            if head < 0 { throw ValidationErrorExit(message: "--head must be ≥ 0, got \(head)") }
        }

        func run() throws {
            json.reserveStandardOutput()
            let input: ProfileInput
            do {
                input = try ProfileInput.load(file, dataset: dataset)
            } catch {
                throw ValidationErrorExit(message: "\(error)")
            }
            let rows = input.values.shape[0], columns = input.values.shape[1]
            let x = input.values.astype(.float64)
            var means = [Double](repeating: .nan, count: columns)
            var mins = means, maxs = means
            if rows > 0 {
                means = x.mean(axis: 0).toArray()
                mins = x.min(axis: 0).toArray()
                maxs = x.max(axis: 0).toArray()
            }
            let shown = min(head, rows)
            let first: [[Double]] = shown == 0 ? [] : {
                let flat = x[0..<shown].toArray()
                return (0..<shown).map { Array(flat[$0 * columns..<($0 + 1) * columns]) }
            }()
            let names = input.channelNames ?? (0..<columns).map { "\($0)" }
            if json.path != nil {
                func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
                let channels = (0..<columns).map { i in
                    InspectSummary.Channel(name: names[i], label: input.channelLabels?[i], mean: finite(means[i]),
                                           min: finite(mins[i]), max: finite(maxs[i]))
                }
                let summary = InspectSummary(
                    file: file, format: input.format, rows: rows, columns: columns, dtype: "\(input.values.dtype)",
                    storedAs: input.storedAs, missing: input.missingCount, channels: channels,
                    firstRows: first.map { $0.map(finite) })
                try json.write(summary)
                if json.toStandardOutput { return }
            }
            print("file      \(file)")
            print("format    \(input.format)")
            print("rows      \(rows)")
            print("columns   \(columns)")
            print("dtype     \(input.values.dtype)" + (input.storedAs.map { " (stored as \($0))" } ?? ""))
            if input.missingCount > 0 { print("missing   \(input.missingCount) cells (NaN)") }
            var table: [[String]] = [["#", "name"] + (input.channelLabels != nil ? ["label ($PnS)"] : []) + ["mean", "min", "max"]]
            for i in 0..<columns {
                var row = ["\(i)", names[i]]
                if let labels = input.channelLabels { row.append(labels[i] ?? "") }
                row += [formatNumber(means[i]), formatNumber(mins[i]), formatNumber(maxs[i])]
                table.append(row)
            }
            print(align(table))
            if shown > 0 {
                print("first \(shown) rows:")
                var rowsTable: [[String]] = [["row"] + names]
                for (i, r) in first.enumerated() { rowsTable.append(["\(i)"] + r.map(formatNumber)) }
                print(align(rowsTable))
            }
        }
    }

    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the seed's synthetic data set: N×D uniform [0, 1) float32, like np.random.rand(N, D).")

        @Option(help: "Cells (rows).") var n = 5_000_000
        @Option(help: "Features per cell (columns).") var d = 32
        @Option(help: "The random stream.") var seed = 0
        @Option(help: ArgumentHelp("The .npy file to write (replaced atomically).", valueName: "file.npy")) var out: String

        func validate() throws {
            if n < 1 { throw ValidationErrorExit(message: "--n must be at least 1, got \(n)") }
            if d < 1 { throw ValidationErrorExit(message: "--d must be at least 1, got \(d)") }
            if seed < 0 { throw ValidationErrorExit(message: "--seed must be ≥ 0, got \(seed)") }
            let (elements, o1) = n.multipliedReportingOverflow(by: d)
            let (bytes, o2) = elements.multipliedReportingOverflow(by: 4)
            // The tensor and the file's bytes are both in memory while the file is written.
            let physical = Int(sysconf(Int32(_SC_PHYS_PAGES))) &* Int(sysconf(Int32(_SC_PAGESIZE)))
            if o1 || o2 || bytes > physical / 2 {
                throw ValidationErrorExit(message: "--n \(n) --d \(d): \(o1 || o2 ? "too large" : "\(bytes / 1_048_576) MiB") "
                    + "does not fit twice in this machine's \(physical / 1_048_576) MiB of memory")
            }
            if !out.lowercased().hasSuffix(".npy") { throw ValidationErrorExit(message: "--out \(out): expected a .npy file name") }
            do { try requireParentDirectory(out, flag: "out") } catch { throw ValidationErrorExit(message: "\(error)") }
        }

        func run() throws {
            let x = Tensor.rand([n, d], seed: UInt64(seed), dtype: .float32)
            do {
                try x.save(npy: out)
            } catch {
                throw ValidationErrorExit(message: "\(error)")
            }
            print("wrote \(out): \(n)×\(d) float32, seed \(seed)")
        }
    }
}

/// Columns padded to their widest cell (left-aligned text, two spaces apart).
func align(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in
            c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// What `tessera data inspect --json` writes.
private struct InspectSummary: Encodable {
    struct Channel: Encodable {
        let name: String
        /// `$PnS` of an FCS channel.
        let label: String?
        let mean: Double?, min: Double?, max: Double?

        /// Empty statistics (no rows) are written as null, not left out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encodeIfPresent(label, forKey: .label)
            try c.encode(mean, forKey: .mean)
            try c.encode(min, forKey: .min)
            try c.encode(max, forKey: .max)
        }
        enum CodingKeys: String, CodingKey { case name, label, mean, min, max }
    }
    let file: String
    let format: String
    let rows: Int, columns: Int
    let dtype: String
    /// The file's own type when it differs from `dtype` (an FCS integer channel read as float32).
    let storedAs: String?
    let missing: Int
    let channels: [Channel]
    let firstRows: [[Double?]]

    enum CodingKeys: String, CodingKey {
        case file, format, rows, columns, dtype, storedAs = "stored_as", missing, channels, firstRows = "first_rows"
    }
}
