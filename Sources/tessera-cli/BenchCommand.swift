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
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the seed workloads on Tessera (and NumPy with --compare numpy).",
        discussion: """
            With no subcommand, runs the default CPU suite: distance 5,000,000×32, multiply 10000², \
            matmul 7000 (BLAS and built-in GEMM) and the memory-bandwidth floor. Each case is warmed up, \
            then timed at least 5 times and for about a second; the table shows medians.
            """,
        subcommands: [Suite.self, Distance.self, Multiply.self, Matmul.self, Bandwidth.self],
        defaultSubcommand: Suite.self)
}

/// Options every `bench` subcommand takes.
struct BenchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also run the workloads in a peer library (numpy).", valueName: "peer"))
    var compare: String?

    @Option(help: ArgumentHelp("Write the results as JSON to this file (replaced atomically).", valueName: "file"))
    var json: String?

    @Option(help: "Timed runs per case (default: at least 5, filling about 1 s).")
    var repeats: Int?

    @Option(help: ArgumentHelp("Python for the NumPy peer (default: $TESSERA_PYTHON, else python3 on PATH).", valueName: "path"))
    var python: String?

    @Flag(help: "Print the NumPy peer's Python source and exit.")
    var showPeerCode = false

    var peer: Peer? { compare.flatMap(Peer.init(rawValue:)) }

    func validate() throws {
        if let compare, Peer(rawValue: compare) == nil {
            let known = Peer.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown peer '\(compare)' for --compare (available: \(known))")
        }
        if let repeats, repeats < 1 { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        if let json {
            let directory = json.lastIndex(of: "/").map { String(json[..<$0]) } ?? "."
            var info = stat()
            if !directory.isEmpty, stat(directory, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
                throw ValidationError("--json \(json): directory '\(directory)' does not exist")
            }
        }
    }

    /// Checks that `specs` fit in physical memory (with the peer's copy when comparing).
    func validateMemory(_ specs: [WorkloadSpec]) throws {
        let physical = BenchEnvironment.physicalMemory
        guard physical > 0 else { return }
        for spec in specs {
            guard let tessera = spec.tesseraBytes, let peer = spec.peerBytes else {
                throw ValidationError("\(spec.workload.rawValue): sizes \(spec.params) overflow")
            }
            let (needed, overflow) = tessera.addingReportingOverflow(compare == nil ? 0 : peer)
            if overflow || needed > physical {
                let what = compare == nil ? "" : " with the \(compare!) peer"
                throw ValidationError(
                    "\(spec.workload.rawValue) \(describe(spec)) needs about \(overflow ? "more than 8 EiB" : gibibytes(needed))\(what), more than this machine's \(gibibytes(physical))")
            }
        }
    }

    /// Runs `specs`, prints the table, writes the JSON when asked.
    func run(_ specs: [WorkloadSpec]) throws {
        if showPeerCode {
            print(Peers.numpyPeerScript, terminator: "")
            return
        }
        let settings = HarnessSettings(repeats: repeats)
        var environment = BenchEnvironment.current()
        let (results, library) = BenchRunner.run(
            specs, settings: settings, peer: peer, python: Peers.interpreter(explicit: python))
        environment.peer = library
        var header = "Tessera \(BenchEnvironment.tesseraVersion) on \(environment.cpuModel), \(environment.threads) threads; matmul: \(environment.blas)"
        if let library { header += "; peer: \(library)" }
        print(header)
        print(ResultTable.render(results))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(BenchReport(environment: environment, results: results))
            try AtomicFile.write(Array(data) + [UInt8(ascii: "\n")], to: json)
            print("wrote \(json)")
        }
        if results.contains(where: { $0.check == "failed" }) {
            throw ValidationErrorExit(message: "a result failed its check against float64 (see the check column)")
        }
    }

    func describe(_ spec: WorkloadSpec) -> String {
        spec.params["d"].map { "\(spec.n)×\($0)" } ?? "n=\(spec.n)"
    }
}

/// Exit status 1 with a one-line message, after the results were printed.
struct ValidationErrorExit: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Checks a size option.
func requirePositive(_ value: Int, _ name: String) throws {
    if value <= 0 { throw ValidationError("--\(name) must be positive, got \(value)") }
}

extension BenchCommand {
    /// The default CPU suite.
    struct Suite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "all", abstract: "Run the default CPU suite (what plain `tessera bench` does).")

        @OptionGroup var options: BenchOptions

        @Option(help: ArgumentHelp("Run only these workloads, comma-separated (distance, multiply, matmul, bandwidth).", valueName: "list"))
        var only: String?

        @Flag(help: "Use small sizes (1,000,000×32, 2000², 1000) for a quick check.")
        var quick = false

        var specs: [WorkloadSpec] {
            let all = quick
                ? [WorkloadSpec(.distance, n: 1_000_000, d: 32), WorkloadSpec(.multiply, n: 2000),
                   WorkloadSpec(.matmul, n: 1000), WorkloadSpec(.bandwidth, n: 1_000_000, d: 32)]
                : [WorkloadSpec(.distance, n: 5_000_000, d: 32), WorkloadSpec(.multiply, n: 10_000),
                   WorkloadSpec(.matmul, n: 7000), WorkloadSpec(.bandwidth, n: 5_000_000, d: 32)]
            guard let only else { return all }
            let names = Set(only.split(separator: ",").map { String($0).trimmed() })
            return all.filter { names.contains($0.workload.rawValue) }
        }

        func validate() throws {
            if let only {
                let known = Workload.allCases.map(\.rawValue)
                for name in only.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmed() })
                where !known.contains(name) {
                    throw ValidationError("unknown workload '\(name)' in --only (available: \(known.joined(separator: ", ")))")
                }
            }
            try options.validateMemory(specs)
        }

        func run() throws { try options.run(specs) }
    }

    struct Distance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed 000: Euclidean distance of N cells × D features to one profile, sqrt(sum((x - r)², 1)).")

        @OptionGroup var options: BenchOptions
        @Option(help: "Cells (rows).") var n = 5_000_000
        @Option(help: "Features per cell.") var d = 32

        var spec: WorkloadSpec { WorkloadSpec(.distance, n: n, d: d) }

        func validate() throws {
            try requirePositive(n, "n")
            try requirePositive(d, "d")
            try options.validateMemory([spec])
        }

        func run() throws { try options.run([spec]) }
    }

    struct Multiply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seed 004: elementwise product of two n×n matrices.")

        @OptionGroup var options: BenchOptions
        @Option(help: "Matrix side.") var n = 10_000

        var spec: WorkloadSpec { WorkloadSpec(.multiply, n: n) }

        func validate() throws {
            try requirePositive(n, "n")
            try options.validateMemory([spec])
        }

        func run() throws { try options.run([spec]) }
    }

    struct Matmul: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed 003: n×n matrix product, through BLAS (when found) and the built-in GEMM.")

        @OptionGroup var options: BenchOptions
        @Option(help: "Matrix side.") var n = 7000
        @Flag(help: "Time only the built-in Swift GEMM.") var builtinGemm = false
        @Flag(help: "Time only Tensor.matmul (BLAS when found), not the built-in GEMM beside it.") var defaultGemm = false

        var spec: WorkloadSpec {
            WorkloadSpec(.matmul, n: n, gemm: builtinGemm ? .builtin : defaultGemm ? .default : .both)
        }

        func validate() throws {
            try requirePositive(n, "n")
            if builtinGemm && defaultGemm { throw ValidationError("--builtin-gemm and --default-gemm exclude each other") }
            if n > 46_340 { throw ValidationError("--n \(n) is too large for a float32 matmul here (at most 46340)") }
            try options.validateMemory([spec])
        }

        func run() throws { try options.run([spec]) }
    }

    struct Bandwidth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The memory floor: a multithreaded sum and copy of the distance input's bytes.")

        @OptionGroup var options: BenchOptions
        @Option(help: "Rows.") var n = 5_000_000
        @Option(help: "Columns.") var d = 32

        var spec: WorkloadSpec { WorkloadSpec(.bandwidth, n: n, d: d) }

        func validate() throws {
            try requirePositive(n, "n")
            try requirePositive(d, "d")
            try options.validateMemory([spec])
        }

        func run() throws { try options.run([spec]) }
    }
}

extension String {
    func trimmed() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
