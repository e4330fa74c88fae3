import ArgumentParser
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
/// `-` (the command's text then goes to standard error, so the JSON stays parseable).
struct JSONOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write the results as JSON to this file (- for standard output).", valueName: "file"))
    var json: String?

    func validate() throws {
        if json != "-" { try requireParentDirectory(json, flag: "json") }
    }

    /// Prints a line of the command's text: to standard output, or to standard error when the JSON goes there.
    func say(_ line: String) {
        if json == "-" {
            var text = line + "\n"
            text.withUTF8 { _ = writeAll(2, UnsafeRawBufferPointer($0)) }
        } else {
            print(line)
        }
    }

    /// Writes `document` (JSON bytes) where `--json` says, with a final newline; nothing without it.
    func write(_ document: some Sequence<UInt8>) throws {
        guard let json else { return }
        let bytes = Array(document) + [UInt8(ascii: "\n")]
        if json == "-" {
            guard bytes.withUnsafeBytes({ writeAll(1, $0) }) else {
                throw ValidationErrorExit(message: "--json -: could not write to standard output")
            }
        } else {
            try AtomicFile.write(bytes, to: json)
            say("wrote \(json)")
        }
    }
}

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
