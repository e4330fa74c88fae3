import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Tessera
import TesseraBench

/// `tessera bench`: the seed workloads timed on Tessera, optionally next to NumPy.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the seed workloads on Tessera (and NumPy or PyTorch with --compare numpy,torch).",
        discussion: """
            With no subcommand, runs the default CPU suite: distance 5,000,000×32, multiply 10000², \
            matmul 7000 (BLAS and built-in GEMM), the memory-bandwidth floor and host↔device transfers \
            (skipped without a CUDA device). Size options take comma-separated sweeps \
            (--n 1000000,5000000,20000000); each combination is one case. Each case is warmed up, \
            then timed at least 5 times and for about a second; the table shows medians.
            """,
        subcommands: [Suite.self, Distance.self, Multiply.self, Matmul.self, Bandwidth.self, Transfer.self],
        defaultSubcommand: Suite.self)
}

/// Options every `bench` subcommand takes.
struct BenchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also run the workloads in peer libraries, comma-separated (numpy, torch).", valueName: "peers"))
    var compare: String?

    @OptionGroup var device: DeviceOptions

    @OptionGroup var json: JSONOption

    @Option(help: "Timed runs per case (default: at least 5, filling about 1 s).")
    var repeats: Int?

    @Option(help: ArgumentHelp("Python for the peers (default: $TESSERA_PYTHON, else .peers/bin/python from scripts/install-peers.sh, else python3 on PATH).", valueName: "path"))
    var python: String?

    @Flag(help: "Print the peers' Python source (NumPy, or those --compare names) and exit.")
    var showPeerCode = false

    @OptionGroup var output: OutputOptions

    var peers: [Peer] { compare.flatMap { try? Peer.list($0) } ?? [] }

    func validate() throws {
        if let compare { _ = try Peer.list(compare) }
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    /// Checks that `specs` fit in physical memory (with the peer's copy when comparing).
    func validateMemory(_ specs: [WorkloadSpec]) throws {
        try Sweep.checkMemory(specs, withPeers: compare != nil)
    }

    /// Runs `specs`, prints the table, writes the JSON when asked.
    func run(_ specs: [WorkloadSpec]) async throws {
        json.reserveStandardOutput()
        if showPeerCode {
            for peer in peers.isEmpty ? [.numpy] : peers { print(peer.script, terminator: "") }
            return
        }
        let device = try self.device.resolve()
        let settings = HarnessSettings(repeats: repeats)
        var environment = BenchEnvironment.current()
        let (results, library) = await BenchRunner.run(
            specs, settings: settings, device: device, peers: peers, python: Peers.interpreter(explicit: python))
        environment.peer = library
        var header = device == .cpu
            ? "Tessera \(BuildInfo.version) on \(environment.cpuModel), \(environment.threads) threads; matmul: \(environment.blas)"
            : "Tessera \(BuildInfo.version) on \(device)"
        if let library { header += "; peer: \(library)" }
        print(header)
        print(ResultTable.render(results))
        let report = BenchReport(environment: environment, results: results)
        try json.write(report)
        if output.requested {
            try output.write(report: report, source: json.toStandardOutput ? "this run" : json.path ?? "this run")
        }
        if results.contains(where: { $0.check == "failed" }) {
            throw ValidationErrorExit(message: "a result failed its check against float64 (see the check column)")
        }
    }
}

/// Exit status 1 with a one-line message, after the results were printed.
struct ValidationErrorExit: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension BenchCommand {
    /// The default CPU suite.
    struct Suite: WorkloadCommand {
        static let configuration = CommandConfiguration(
            commandName: "all", abstract: "Run the default CPU suite (what plain `tessera bench` does).")

        @OptionGroup var options: BenchOptions

        @Option(help: ArgumentHelp("Run only these workloads, comma-separated (distance, multiply, matmul, bandwidth, transfer).", valueName: "list"))
        var only: String?

        @Flag(help: "Use small sizes (1,000,000×32, 2000², 1000) for a quick check.")
        var quick = false

        var specs: [WorkloadSpec] {
            let all = quick
                ? [WorkloadSpec(.distance, n: 1_000_000, d: 32), WorkloadSpec(.multiply, n: 2000),
                   WorkloadSpec(.matmul, n: 1000), WorkloadSpec(.bandwidth, n: 1_000_000, d: 32),
                   WorkloadSpec(.transfer, n: 16_000_000)]
                : [WorkloadSpec(.distance, n: 5_000_000, d: 32), WorkloadSpec(.multiply, n: 10_000),
                   WorkloadSpec(.matmul, n: 7000), WorkloadSpec(.bandwidth, n: 5_000_000, d: 32),
                   WorkloadSpec(.transfer, n: 160_000_000)]
            guard let only else { return all }
            let names = Set(only.split(separator: ",").map { String($0).trimmed() })
            return all.filter { names.contains($0.workload.rawValue) }
        }

        func validateSizes() throws {
            if let only {
                let known = Workload.allCases.map(\.rawValue)
                for name in only.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmed() })
                where !known.contains(name) {
                    throw ValidationError("unknown workload '\(name)' in --only (available: \(known.joined(separator: ", ")))")
                }
            }
        }
    }

    struct Distance: WorkloadCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed 000: Euclidean distance of N cells × D features to one profile, sqrt(sum((x - r)², 1)).")

        @OptionGroup var options: BenchOptions
        @Option(parsing: .unconditional, help: sweepHelp("Cells (rows)")) var n = "5000000"
        @Option(parsing: .unconditional, help: sweepHelp("Features per cell")) var d = "32"

        var specs: [WorkloadSpec] { Sweep.specs(.distance, ns: sweep(n, "n"), ds: sweep(d, "d")) }

        func validateSizes() throws {
            _ = try Sweep.parse(n, option: "n")
            _ = try Sweep.parse(d, option: "d")
        }
    }

    struct Multiply: WorkloadCommand {
        static let configuration = CommandConfiguration(abstract: "Seed 004: elementwise product of two n×n matrices.")

        @OptionGroup var options: BenchOptions
        @Option(parsing: .unconditional, help: sweepHelp("Matrix side")) var n = "10000"

        var specs: [WorkloadSpec] { Sweep.specs(.multiply, ns: sweep(n, "n")) }

        func validateSizes() throws {
            _ = try Sweep.parse(n, option: "n")
        }
    }

    struct Matmul: WorkloadCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed 003: n×n matrix product, through BLAS (when found) and the built-in GEMM.")

        @OptionGroup var options: BenchOptions
        @Option(parsing: .unconditional, help: sweepHelp("Matrix side")) var n = "7000"
        @Flag(help: "Time only the built-in Swift GEMM.") var builtinGemm = false
        @Flag(help: "Time only Tensor.matmul (BLAS when found), not the built-in GEMM beside it.") var defaultGemm = false

        var specs: [WorkloadSpec] {
            Sweep.specs(.matmul, ns: sweep(n, "n"), gemm: builtinGemm ? .builtin : defaultGemm ? .default : .both)
        }

        func validateSizes() throws {
            for side in try Sweep.parse(n, option: "n") where side > 46_340 {
                throw BenchInputError("--n \(side): too large for a float32 matmul here (at most 46340)")
            }
            if builtinGemm && defaultGemm { throw ValidationError("--builtin-gemm and --default-gemm exclude each other") }
        }
    }

    struct Bandwidth: WorkloadCommand {
        static let configuration = CommandConfiguration(
            abstract: "The memory floor: a multithreaded sum and copy of the distance input's bytes.")

        @OptionGroup var options: BenchOptions
        @Option(parsing: .unconditional, help: sweepHelp("Rows")) var n = "5000000"
        @Option(parsing: .unconditional, help: sweepHelp("Columns")) var d = "32"

        var specs: [WorkloadSpec] { Sweep.specs(.bandwidth, ns: sweep(n, "n"), ds: sweep(d, "d")) }

        func validateSizes() throws {
            _ = try Sweep.parse(n, option: "n")
            _ = try Sweep.parse(d, option: "d")
        }
    }

    struct Transfer: WorkloadCommand {
        static let configuration = CommandConfiguration(
            abstract: "Host↔device copies of n float32 values, pageable and pinned (needs a CUDA device).")

        @OptionGroup var options: BenchOptions
        @Option(parsing: .unconditional, help: sweepHelp("float32 values per copy"))
        var n = "1000000,16000000,160000000"

        var specs: [WorkloadSpec] { Sweep.specs(.transfer, ns: sweep(n, "n")) }

        func validateSizes() throws {
            _ = try Sweep.parse(n, option: "n")
        }
    }
}

/// A `bench` subcommand: its sizes become workload specs, checked and run through the shared options.
protocol WorkloadCommand: AsyncParsableCommand {
    var options: BenchOptions { get }
    /// The cases to run, from the subcommand's own options.
    var specs: [WorkloadSpec] { get }
    /// Checks the subcommand's own options; the memory check for ``specs`` follows.
    func validateSizes() throws
}

extension WorkloadCommand {
    func validate() throws {
        try validateSizes()
        try options.validateMemory(specs)
    }

    func run() async throws { try await options.run(specs) }
}

/// Help for a size option that takes a comma-separated sweep.
func sweepHelp(_ what: String) -> ArgumentHelp {
    ArgumentHelp("\(what); a comma-separated list runs each value (every combination with the other lists).",
                 valueName: "list")
}

/// The values of a sweep option already checked by `validate()`.
func sweep(_ text: String, _ option: String) -> [Int] { (try? Sweep.parse(text, option: option)) ?? [] }

extension String {
    func trimmed() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
