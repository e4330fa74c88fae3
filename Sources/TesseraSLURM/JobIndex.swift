#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera

/// Where each submitted job's folder is, so `status`, `wait` and `collect` find a job without
/// `--output-dir`: `submit` appends a line `JOB<TAB>FOLDER` to `$XDG_STATE_HOME/tessera/slurm-jobs.tsv`
/// (`~/.local/state/tessera/slurm-jobs.tsv` by default). SLURM reuses job ids after a controller
/// reset, so the last line for an id wins.
package struct JobIndex: Sendable {
    /// The index file.
    package let path: String

    package init(path: String) { self.path = path }

    /// The index of this user, or nil when neither `XDG_STATE_HOME` nor `HOME` is set.
    package static var standard: JobIndex? {
        let environment = { (name: String) in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        guard let state = environment("XDG_STATE_HOME") ?? environment("HOME").map({ $0 + "/.local/state" }) else { return nil }
        return JobIndex(path: state + "/tessera/slurm-jobs.tsv")
    }

    /// Appends `jobID`'s folder, creating the index (and its folder) when needed. One `write` of one
    /// short line to a file opened for appending, so concurrent submits do not interleave.
    package func record(jobID: String, directory: String) throws(SlurmError) {
        if let slash = path.lastIndex(of: "/") { try Slurm.createDirectory(String(path[..<slash])) }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw SlurmError("cannot open the job index \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var line = "\(jobID)\t\(directory)\n"
        let written = line.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        guard written == line.utf8.count else {
            throw SlurmError("cannot write to the job index \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The folder recorded last for `jobID`, or nil.
    package func directory(of jobID: String) -> String? {
        guard let bytes = try? AtomicFile.read(path) else { return nil }
        var found: String?
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            if fields.count == 2, fields[0] == jobID { found = String(fields[1]) }
        }
        return found
    }
}
