import ArgumentParser
import Tessera
import TesseraBench

/// `tessera report`: merges `--json` files from one or more runs (and machines) into one HTML/CSV/Markdown report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Merge `tessera bench --json` files into one report (HTML with charts, CSV, Markdown).",
        discussion: """
            The first file's machine is the report's own; runs from other machines (a GPU cluster, say) are \
            labelled as reference figures. With no output option, prints the merged table.
            """)

    @Argument(help: ArgumentHelp("Reports written by `tessera bench --json`.", valueName: "file.json"))
    var files: [String] = []

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one JSON file written by `tessera bench --json`") }
    }

    func run() throws {
        var runs: [ReportRun] = []
        for file in files {
            do {
                runs.append(try ReportRun.load(path: file))
            } catch {
                throw ValidationErrorExit(message: error.description)
            }
        }
        runs = ReportRun.merge(runs)
        for (index, run) in runs.enumerated() {
            print("run \(index + 1): \(run.source) — \(run.machine)\(run.isReference ? " (reference figures)" : "")")
            print(ResultTable.render(run.report.results))
        }
        try output.write(runs: runs)
    }
}
