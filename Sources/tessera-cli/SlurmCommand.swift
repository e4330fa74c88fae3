import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Tessera
import TesseraBench
import TesseraBio
import TesseraSLURM

/// `tessera slurm`: run tessera commands as SLURM batch jobs (job arrays for sweeps) and merge their results.
struct SlurmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run tessera commands on a SLURM cluster: submit (with sweeps as job arrays), status, wait, collect.",
        subcommands: [Submit.self, Status.self, Wait.self, Collect.self])

    /// The folder every subcommand defaults to.
    static let defaultOutputDirectory = "tessera-slurm"

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var rest = Substring(path)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        let joined = rest.isEmpty || rest == "." ? cwd : (cwd.hasSuffix("/") ? cwd : cwd + "/") + rest
        return joined.count > 1 && joined.hasSuffix("/") ? String(joined.dropLast()) : joined
    }

    /// The running tessera binary (so the job runs this same build), or `tessera` when it cannot be found.
    static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "tessera" }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func printError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    struct OutputDirectory: ParsableArguments {
        @Option(help: ArgumentHelp("Where the job's script, logs, manifest and results go.", valueName: "dir"))
        var outputDir: String = SlurmCommand.defaultOutputDirectory
        var absolute: String { SlurmCommand.absolute(outputDir) }
    }

    /// `--output-dir` for the commands that look a job up, which find its folder on their own.
    struct JobFolder: ParsableArguments {
        @Option(help: ArgumentHelp("The job's folder, as given to `slurm submit` (default: the one submit recorded in the job index, or SLURM's record of the job names; else ./\(SlurmCommand.defaultOutputDirectory)).",
                                   valueName: "dir"))
        var outputDir: String?

        /// What `submit` recorded of `job`.
        func manifest(_ job: String) async throws(SlurmError) -> Manifest {
            try await Manifest.find(jobID: job, directory: outputDir.map(SlurmCommand.absolute),
                              fallback: SlurmCommand.absolute(SlurmCommand.defaultOutputDirectory))
        }
    }

    /// Status lines for `status`, `wait` and `collect`: one per task, failed ones with their stderr tail.
    static func render(_ status: JobStatus, manifest: Manifest?) -> String {
        var lines = ["job \(status.jobID): \(status.summary)"]
        let labels = Dictionary(uniqueKeysWithValues: (manifest?.tasks ?? []).map { ($0.index, $0.label) })
        let width = max(6, labels.values.map(\.count).max() ?? 0)
        lines.append("task  " + "params".padding(width) + "  state      exit  detail")
        for task in status.tasks {
            let exit = task.state == .completed || task.state == .failed ? String(task.exitCode ?? 0) : "-"
            var detail = task.slurmState
            if let reason = task.reason { detail += " (\(reason))" }
            if let signal = task.signal, signal != 0 { detail += ", signal \(signal)" }
            lines.append(String(task.index).padding(4) + "  " + (labels[task.index] ?? "").padding(width) + "  "
                         + task.state.rawValue.padding(9) + "  " + exit.padding(4) + "  " + detail)
            if task.state == .failed {
                let path = manifest?.tasks.first { $0.index == task.index }?.stderr ?? task.stderrPath
                if let path, let tail = Slurm.tail(path) {
                    lines.append("      stderr (\(path)), last lines:")
                    lines += tail.map { "        " + $0 }
                } else {
                    lines.append("      no stderr file\(path.map { " at \($0)" } ?? "")")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

extension SlurmCommand {
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an sbatch script for a tessera command and submit it (a job array with --sweep).",
            discussion: """
                The job runs this same tessera binary (its absolute path; --tessera tessera uses the one on the \
                node's PATH) with --json into the output directory, one file per array task named after its \
                parameters (bench-distance_n=1000000_d=16.json). Example: tessera slurm submit bench distance \
                --repeats 3 -p bohr --sweep n=1000000,5000000 --sweep d=16,32. When the command has an option \
                named like one of submit's, give submit's options first and the command after `--`.
                """)

        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The tessera command to run, e.g. bench distance --n 5000000.",
                                                                valueName: "command"))
        var command: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Partition (default: the cluster's default one).", valueName: "name"))
        var partition: String?

        @Option(help: "GPUs per job (--gres=gpu:N).") var gpus: Int?
        @Option(help: "CPUs per task (--cpus-per-task).") var cpus: Int?
        @Option(help: ArgumentHelp("Memory per node: 16G, 500M, 2048 (MB).", valueName: "size")) var mem: String?
        @Option(help: ArgumentHelp("Time limit: MM, HH:MM:SS or D-HH:MM:SS (whole minutes in SLURM).", valueName: "time"))
        var time: String?

        @Option(help: ArgumentHelp("Run the command once per value of an option, as an array task: n=1000000,5000000. Repeat for every combination.",
                                   valueName: "name=v1,v2"))
        var sweep: [String] = []

        @OptionGroup var directory: OutputDirectory

        @Option(help: ArgumentHelp("The tessera binary the job runs (default: this one).", valueName: "path"))
        var tessera: String?

        @Flag(help: "Print the sbatch script and submit nothing.") var dryRun = false

        @Option(help: ArgumentHelp("For `profile FILE …`: split the rows over N array tasks per stage, then merge on one node (exact, identical to one machine).", valueName: "n"))
        var shards: Int?

        /// The chain of jobs of a sharded profile: one array job per stage, each after the one before,
        /// then the merge (whose result is `profile-merge.json`).
        func shardedSpecs(_ base: JobSpec, shards: Int) throws -> [JobSpec] {
            guard base.command.first == "profile" else {
                throw ValidationError("--shards applies to `profile FILE …` only")
            }
            guard base.sweeps.isEmpty else { throw ValidationError("--shards and --sweep cannot be combined") }
            guard shards >= 1, shards <= 10_000 else { throw ValidationError("--shards must be in 1…10000, got \(shards)") }
            let arguments = Array(base.command.dropFirst())
            if arguments.contains(where: { ["--shards", "--shard", "--stage", "--merge", "--work-dir"].contains($0) }) {
                throw ValidationError("--shard, --stage, --merge and --work-dir are set by `slurm submit --shards`; leave them out")
            }
            let stages: [ProfileStage]
            do {
                let profile = try ProfileCommand.parse(arguments)
                stages = try ProfileShards.stages(for: try profile.options())
            } catch let error as TesseraError {
                throw ValidationError(error.description)
            } catch {
                throw ValidationError(ProfileCommand.message(for: error))
            }
            let work = base.outputDirectory + "/profile-shards"
            let shared = ["--shards", String(shards), "--work-dir", work]
            var specs = stages.map { stage in
                var spec = base
                spec.name = "profile-" + stage.rawValue
                spec.command = base.command + shared + ["--stage", stage.rawValue]
                spec.sweeps = [SweepAxis(name: "shard", values: (0..<shards).map(String.init))]
                return spec
            }
            var merge = base
            merge.name = "profile-merge"
            merge.command = base.command + shared + ["--merge"]
            specs.append(merge)
            for i in specs.indices.dropFirst() { specs[i].dependency = BatchScript.previousJob }
            return specs
        }

        func spec() throws -> JobSpec {
            var axes: [SweepAxis] = []
            for text in sweep {
                do { axes.append(try SweepAxis.parse(text)) } catch { throw ValidationError(error.description) }
            }
            var command = self.command
            if let separator = command.firstIndex(of: "--") { command.remove(at: separator) }
            return JobSpec(command: command, executable: tessera ?? SlurmCommand.currentExecutable(), partition: partition,
                           time: time, cpus: cpus, mem: mem, gpus: gpus, sweeps: axes, outputDirectory: directory.absolute)
        }

        func validate() throws {
            let spec = try spec()
            if let shards { _ = try shardedSpecs(spec, shards: shards) }
            do {
                try spec.validate()
                try Slurm.checkCreatable(spec.outputDirectory)
            } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let spec = try spec()
            if let shards {
                let specs = try shardedSpecs(spec, shards: shards)
                if dryRun {
                    for s in specs { print("# ---- \(s.baseName).sbatch\n" + BatchScript.render(s), terminator: "") }
                    return
                }
                var previous: String?
                do {
                    for var s in specs {
                        s.dependency = previous
                        let manifest = try await Slurm.submit(s)
                        SlurmCommand.printError("submitted \(s.baseName) as job \(manifest.jobID) (\(manifest.tasks.count) task\(manifest.tasks.count == 1 ? "" : "s"))" + (previous.map { ", after job \($0)" } ?? ""))
                        previous = manifest.jobID
                    }
                } catch {
                    throw ValidationErrorExit(message: error.description)
                }
                print(previous!)
                SlurmCommand.printError("the merge job is \(previous!); `tessera slurm wait \(previous!)` then read \(spec.outputDirectory)/profile-merge.json")
                return
            }
            if dryRun {
                print(BatchScript.render(spec), terminator: "")
                return
            }
            do {
                let manifest = try await Slurm.submit(spec)
                print(manifest.jobID)
                let tasks = manifest.tasks.count == 1 ? "1 task" : "\(manifest.tasks.count) array tasks"
                SlurmCommand.printError("submitted job \(manifest.jobID) (\(tasks)); script \(manifest.script); results in \(manifest.outputDirectory)")
            } catch {
                throw ValidationErrorExit(message: error.description)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each task of a job: pending, running, completed or failed, with exit codes and stderr tails.")

        @Argument(help: "The job id `slurm submit` printed.") var job: String
        @OptionGroup var folder: JobFolder

        func run() async throws {
            do {
                let status = try await Slurm.status(job)
                print(SlurmCommand.render(status, manifest: try? await folder.manifest(job)))
            } catch {
                throw ValidationErrorExit(message: error.description)
            }
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until every task of a job has finished (polls with backoff), then show its status.",
            discussion: "Exits 1 when a task failed.")

        @Argument(help: "The job id `slurm submit` printed.") var job: String
        @OptionGroup var folder: JobFolder
        @Option(help: "Give up after this many seconds (default: wait as long as it takes).") var timeout: Double?
        @Option(help: "Longest pause between polls, in seconds.") var maxInterval: Double = 30

        func validate() throws {
            if let timeout, timeout <= 0 { throw ValidationError("--timeout must be above zero") }
            if maxInterval < 0.2 { throw ValidationError("--max-interval must be at least 0.2 s") }
        }

        func run() async throws {
            let progress = ProgressLine(fd: 1)
            let start = monotonicSeconds()
            var interval = 0.5, last = ""
            var status: JobStatus
            while true {
                do { status = try await Slurm.status(job) } catch { throw ValidationErrorExit(message: error.description) }
                let done = status.count(.completed) + status.count(.failed)
                let elapsed = Int(monotonicSeconds() - start)
                let fraction = status.tasks.isEmpty ? 0 : Double(done) / Double(status.tasks.count)
                let line = "\(ProgressLine.bar(fraction, width: 20)) \(done)/\(status.tasks.count) done · \(status.count(.running)) running · \(status.count(.pending)) pending · \(status.count(.failed)) failed"
                if progress.enabled {
                    progress.show("\(line) · \(elapsed)s")
                } else if line != last {
                    print(line)
                }
                last = line
                if status.isFinished { break }
                if let timeout, monotonicSeconds() - start + interval > timeout {
                    if progress.enabled { print("") }
                    throw ValidationErrorExit(message: "job \(job) still running after \(Int(timeout)) s: \(status.summary)")
                }
                try await Task.sleep(for: .seconds(interval))
                interval = min(interval * 1.5, maxInterval)
            }
            if progress.enabled { print("") }  // keeps the last progress line
            print(SlurmCommand.render(status, manifest: try? await folder.manifest(job)))
            if status.count(.failed) > 0 {
                throw ValidationErrorExit(message: "\(status.count(.failed)) of \(status.tasks.count) tasks failed")
            }
        }

    }

    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge every task's JSON into one bench report (tables and scaling plots over the swept parameters).",
            discussion: "Tasks without a result are listed (with their SLURM state when the controller still knows the job); exits 1 only when no task has a result.")

        @Argument(help: "The job id `slurm submit` printed.") var job: String
        @OptionGroup var folder: JobFolder
        @OptionGroup var output: OutputOptions
        @OptionGroup var json: JSONOption

        func run() async throws {
            json.reserveStandardOutput()
            let manifest: Manifest
            do { manifest = try await folder.manifest(job) } catch {
                throw ValidationErrorExit(message: error.description)
            }
            let collected = Collected.load(manifest)
            print("job \(job): results of \(collected.found) of \(manifest.tasks.count) tasks")
            for run in collected.runs {
                print("\(run.source) — \(run.machine)\(run.isReference ? " (another machine)" : "")")
                print(ResultTable.render(run.report.results))
            }
            if !collected.missing.isEmpty {
                // Best effort: say what SLURM knows about the missing tasks (no wait when the controller is down).
                let states = (try? await Slurm.status(job)).map { Dictionary(uniqueKeysWithValues: $0.tasks.map { ($0.index, $0) }) } ?? [:]
                SlurmCommand.printError("missing results for \(collected.missing.count) of \(manifest.tasks.count) tasks:")
                for (task, reason) in collected.missing {
                    var line = "  task \(task.index) (\(task.label)): \(reason)"
                    if let state = states[task.index] {
                        line += "; SLURM: \(state.slurmState)" + (state.state == .failed ? ", exit \(state.exitCode ?? 0)" : "")
                    }
                    SlurmCommand.printError(line + "; stderr: \(task.stderr)")
                }
            }
            guard let first = collected.runs.first else {
                throw ValidationErrorExit(message: "no task of job \(job) has written its result yet")
            }
            var merged = first.report
            merged.results = collected.runs.flatMap(\.report.results)
            try json.write(merged)
            try output.write(runs: collected.runs)
        }
    }
}
