import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera
import TesseraBench

/// `--report`, `--csv` and `--markdown`: the files `tessera bench` and `tessera report` write besides the table.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write a self-contained HTML report with charts to this file.", valueName: "file.html"))
    var report: String?

    @Option(help: ArgumentHelp("Write the results as CSV (RFC 4180, JSON field names) to this file.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Write the results as a GitHub Markdown table to this file.", valueName: "file"))
    var markdown: String?

    var requested: Bool { report != nil || csv != nil || markdown != nil }

    func validate() throws {
        try requireParentDirectory(report, flag: "report")
        try requireParentDirectory(csv, flag: "csv")
        try requireParentDirectory(markdown, flag: "markdown")
    }

    /// Writes each requested file for the run just made.
    func write(report bench: BenchReport, source: String = "this run") throws {
        try write(runs: [ReportRun(source: source, report: bench)])
    }

    /// Writes each requested file, atomically, and says so on stdout.
    func write(runs: [ReportRun]) throws {
        let results = runs.flatMap(\.report.results)
        let labels: [String]? = runs.count > 1 ? runs.flatMap { run in run.report.results.map { _ in run.label } } : nil
        if let report {
            try AtomicFile.write(Array(HTMLReport.render(runs).utf8), to: report)
            print("wrote \(report)")
        }
        if let csv {
            try AtomicFile.write(Array(TableFormats.csv(results, runs: labels).utf8), to: csv)
            print("wrote \(csv)")
        }
        if let markdown {
            try AtomicFile.write(Array(TableFormats.markdown(results, runs: labels).utf8), to: markdown)
            print("wrote \(markdown)")
        }
    }
}

/// A one-line error when `path`'s folder does not exist (checked before any work starts).
func requireParentDirectory(_ path: String?, flag: String) throws {
    guard let path else { return }
    if path.isEmpty || path.hasSuffix("/") { throw ValidationError("--\(flag) '\(path)': expected a file name") }
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    var info = stat()
    if !directory.isEmpty, stat(directory, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
        throw ValidationError("--\(flag) \(path): directory '\(directory)' does not exist")
    }
}

/// `--json FILE`, as every command takes it: JSON written atomically to FILE, or to standard output for
/// `-`. With `-`, ``reserveStandardOutput()`` keeps standard output for the JSON alone and sends everything
/// else the command prints to standard error, so `tessera … --json - | jq` always parses.
struct JSONOption: ParsableArguments {
    @Option(name: .customLong("json"),
            help: ArgumentHelp("Write the results as JSON to this file (- for standard output).", valueName: "file"))
    var path: String?

    /// Whether the JSON goes to standard output.
    var toStandardOutput: Bool { path == "-" }

    func validate() throws {
        if !toStandardOutput { try requireParentDirectory(path, flag: "json") }
    }

    /// Call before the command prints anything: with `--json -`, points standard output at standard error
    /// and keeps the real one for ``write(_:)``; without it, does nothing.
    func reserveStandardOutput() {
        guard toStandardOutput, reservedStandardOutput == nil else { return }
        fflush(nil)
        reservedStandardOutput = dup(1)
        dup2(2, 1)
    }

    /// Writes `value` as pretty-printed JSON with sorted keys where `--json` says; nothing without it.
    func write(_ value: some Encodable) throws {
        guard path != nil else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(bytes: encoder.encode(value))
    }

    /// Writes `document` (JSON bytes) where `--json` says, with a final newline; nothing without it.
    func write(bytes document: some Sequence<UInt8>) throws {
        guard let path else { return }
        var bytes = Array(document)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        if toStandardOutput {
            fflush(nil)
            guard bytes.withUnsafeBytes({ writeAll(reservedStandardOutput ?? 1, $0) }) else {
                throw ValidationErrorExit(message: "--json -: could not write to standard output")
            }
        } else {
            try AtomicFile.write(bytes, to: path)
            print("wrote \(path)")
        }
    }
}

/// The real standard output while `--json -` holds it (see ``JSONOption/reserveStandardOutput()``).
nonisolated(unsafe) private var reservedStandardOutput: Int32?

/// Writes every byte to a file descriptor, retrying short writes; whether it all went out.
private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        guard n > 0 else { return false }
        done += n
    }
    return true
}
