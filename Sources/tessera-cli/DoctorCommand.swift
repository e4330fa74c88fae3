import ArgumentParser
import FoundationEssentials
import Tessera
import TesseraBench

/// `tessera doctor`: what this machine offers Tessera.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the CPU, memory, BLAS, thread count and devices that Tessera will use.")

    @OptionGroup var json: JSONOption

    func run() throws {
        json.reserveStandardOutput()
        let env = BenchEnvironment.current()
        let version = "\(BuildInfo.version) (\(BuildInfo.commitDescription))"
        var lines: [(String, String)] = [
            ("Tessera", version),
            ("CPU", "\(env.cpuModel), \(env.cores) cores" + (env.cpuSIMD.isEmpty ? "" : " (\(env.cpuSIMD))")),
            ("Memory", gibibytes(env.memoryBytes)),
            ("OS", env.os),
            ("Swift", env.swiftVersion),
            ("Threads", "\(env.threads) (TESSERA_NUM_THREADS overrides)"),
        ]
        if let blas = BenchEnvironment.blasPath {
            lines.append(("BLAS", blas))
            let skipped = BenchEnvironment.blasSearched
            if !skipped.isEmpty { lines.append(("", "skipped first: " + skipped.joined(separator: "; "))) }
        } else {
            lines.append(("BLAS", "none, using the " + env.blas))
            for attempt in BenchEnvironment.blasSearched { lines.append(("", "tried " + attempt)) }
        }
        for (i, device) in env.devices.enumerated() { lines.append((i == 0 ? "Devices" : "", device)) }
        if let reason = env.cudaUnavailable { lines.append(("GPU", "none: \(reason)")) }
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines {
            let label = key.isEmpty ? "" : key + ":"
            print(label + String(repeating: " ", count: width + 2 - label.count) + value)
        }
        try json.write(env)
    }
}
