#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Tessera
import TesseraBench

/// Talks to SLURM through its command-line tools (`sbatch`, `scontrol`), spawned with `ChildProcess`.
package enum Slurm {
    /// The path of `name` on `PATH`, or nil.
    package static func findExecutable(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where access("\(folder)/\(name)", X_OK) == 0 {
            return "\(folder)/\(name)"
        }
        return nil
    }

    /// Throws a clear message when the tools are missing or no controller answers. `scontrol ping` fails in
    /// milliseconds, where sbatch and squeue take 9–18 s to give up on a controller that is down.
    package static func checkAvailable(_ tools: [String]) async throws(SlurmError) {
        for tool in tools + ["scontrol"] where findExecutable(tool) == nil {
            throw SlurmError("\(tool) not found on PATH: SLURM's client tools are not installed here (Debian: apt-get install slurm-client; or run this on the cluster's login node)")
        }
        let ping = try await run(["scontrol", "ping"])
        let said = String(decoding: ping.stdout + ping.stderr, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        if ping.status != 0 || ping.signal != nil || !said.contains(" is UP") {
            throw SlurmError("no SLURM controller answers (`scontrol ping`: \(said.isEmpty ? "exit status \(ping.status)" : said)); start slurmctld or check /etc/slurm/slurm.conf")
        }
    }

    /// Runs a SLURM tool and returns what it wrote.
    package static func run(_ arguments: [String]) async throws(SlurmError) -> ChildProcess.Output {
        switch await ChildProcess.run(arguments) {
        case .success(let output): return output
        case .failure(let failure): throw SlurmError("cannot run \(arguments[0]): \(failure.message)")
        }
    }

    /// Writes the script and the manifest into the output folder, submits with `sbatch --parsable` and
    /// returns the job id. A rejection is thrown with SLURM's own reason.
    package static func submit(_ spec: JobSpec) async throws(SlurmError) -> Manifest {
        try spec.validate()
        try await checkAvailable(["sbatch"])
        try createDirectory(spec.outputDirectory)
        let scriptPath = spec.outputDirectory + "/" + spec.baseName + ".sbatch"
        try write(BatchScript.render(spec), to: scriptPath)
        let result = try await run(["sbatch", "--parsable", scriptPath])
        let reply = String(decoding: result.stdout, as: UTF8.self)
        let id = String(reply.split(whereSeparator: { $0 == "\n" }).last?.split(separator: ";").first ?? "")
        guard result.status == 0, result.signal == nil, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let why = oneLine(result.stderr).isEmpty ? oneLine(result.stdout) : oneLine(result.stderr)
            throw SlurmError("sbatch rejected the job: \(why.isEmpty ? "exit status \(result.status)" : why)")
        }
        let manifest = Manifest(spec: spec, jobID: id, script: scriptPath)
        try manifest.save()
        try JobIndex.standard?.record(jobID: id, directory: spec.outputDirectory)
        return manifest
    }

    /// Every task's state from `scontrol -o show job JOB`.
    package static func status(_ jobID: String) async throws(SlurmError) -> JobStatus {
        try checkJobID(jobID)
        try await checkAvailable([])
        let result = try await run(["scontrol", "-o", "show", "job", jobID])
        if result.status != 0 {
            let why = oneLine(result.stderr)
            if why.contains("Invalid job id") {
                throw SlurmError("job \(jobID) is not known to SLURM (finished jobs are forgotten after MinJobAge, 2 h by default)")
            }
            throw SlurmError("scontrol show job \(jobID) failed: \(why)")
        }
        return JobStatus(jobID: jobID, tasks: ScontrolParser.tasks(String(decoding: result.stdout, as: UTF8.self)))
    }

    /// The folder of the job's log files, from SLURM's own record of it (`StdOut=`), while the controller
    /// still knows the job; nil when it does not.
    package static func logDirectory(of jobID: String) async -> String? {
        guard (try? checkJobID(jobID)) != nil, findExecutable("scontrol") != nil,
              let result = try? await run(["scontrol", "-o", "show", "job", jobID]), result.status == 0 else { return nil }
        let first = String(decoding: result.stdout, as: UTF8.self).split(whereSeparator: { $0 == "\n" }).first
        guard let first, let stdout = ScontrolParser.fields(String(first))["StdOut"],
              let slash = stdout.lastIndex(of: "/"), slash != stdout.startIndex else { return nil }
        return String(stdout[..<slash])
    }

    package static func checkJobID(_ jobID: String) throws(SlurmError) {
        if jobID.isEmpty || !jobID.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw SlurmError("'\(jobID)' is not a job id (the number `tessera slurm submit` printed)")
        }
    }

    /// The last lines of a task's stderr file, or nil when it cannot be read.
    package static func tail(_ path: String, lines count: Int = 5) -> [String]? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        let lines = String(decoding: bytes.suffix(64 * 1024), as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        return lines.filter { !$0.allSatisfy(\.isWhitespace) }.suffix(count).map(String.init)
    }

    /// Non-blank lines of a tool's output, joined with " | ".
    package static func oneLine(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String($0) }.filter { !$0.allSatisfy(\.isWhitespace) }.joined(separator: " | ")
    }

    /// Throws unless `path` exists as a folder or could be made (its nearest existing parent is a writable folder).
    package static func checkCreatable(_ path: String) throws(SlurmError) {
        var current = path
        while true {
            var info = stat()
            if stat(current, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw SlurmError("output directory '\(path)': '\(current)' exists and is not a directory")
                }
                if access(current, W_OK | X_OK) != 0 {
                    throw SlurmError("output directory '\(path)': '\(current)' is not writable")
                }
                return
            }
            guard let slash = current.lastIndex(of: "/"), slash != current.startIndex else { return }
            current = String(current[..<slash])
        }
    }

    /// `mkdir -p`.
    package static func createDirectory(_ path: String) throws(SlurmError) {
        try checkCreatable(path)
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw SlurmError("cannot create output directory '\(prefix)': \(String(cString: strerror(errno)))")
            }
        }
    }

    static func write(_ text: String, to path: String) throws(SlurmError) {
        do { try AtomicFile.write(Array(text.utf8), to: path) } catch { throw SlurmError("\(error)") }
    }
}
