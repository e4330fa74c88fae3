import FoundationEssentials
import Tessera

/// What `submit` records beside the results (`tessera-slurm-JOB.json`), so `status` and `collect` know each
/// task's parameters and files.
package struct Manifest: Codable, Sendable {
    package struct Task: Codable, Sendable {
        package var index: Int
        package var params: [SweepPoint.Parameter]
        package var result: String
        package var stdout: String
        package var stderr: String
        package var label: String { SweepPoint(index: index, params: params).label }
    }

    package var jobID: String
    package var command: [String]
    package var outputDirectory: String
    package var script: String
    package var sweeps: [String]
    package var tasks: [Task]

    package init(spec: JobSpec, jobID: String, script: String) {
        self.jobID = jobID
        self.command = spec.command
        self.outputDirectory = spec.outputDirectory
        self.script = script
        self.sweeps = spec.sweeps.map(\.name)
        let log = spec.logPattern.replacing("%A", with: jobID).replacing("%j", with: jobID)
        self.tasks = spec.points.map { point in
            let logs = log.replacing("%a", with: String(point.index))
            return Task(index: point.index, params: point.params, result: spec.outputDirectory + "/" + spec.resultName(point),
                        stdout: logs + ".out", stderr: logs + ".err")
        }
    }

    package static func path(jobID: String, directory: String) -> String { "\(directory)/tessera-slurm-\(jobID).json" }

    package func save() throws(SlurmError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { throw SlurmError("cannot encode the job manifest") }
        try Slurm.write(String(decoding: data, as: UTF8.self) + "\n", to: Manifest.path(jobID: jobID, directory: outputDirectory))
    }

    /// The manifest of `jobID`: in `directory` when one is given; else in the folder `index` names, the
    /// folder SLURM's record of the job names, then `fallback`.
    package static func find(jobID: String, directory: String?, fallback: String,
                             index: JobIndex? = .standard) async throws(SlurmError) -> Manifest {
        if let directory { return try load(jobID: jobID, directory: directory) }
        var tried: [String] = []
        let candidates = [index?.directory(of: jobID), await Slurm.logDirectory(of: jobID), fallback].compactMap { $0 }
        for folder in candidates where !tried.contains(folder) {
            if let manifest = try? load(jobID: jobID, directory: folder) { return manifest }
            tried.append(folder)
        }
        throw SlurmError("no record of job \(jobID) (looked in \(tried.joined(separator: ", ")); submitted jobs are listed in \(index?.path ?? "the job index, which needs $HOME")); pass --output-dir as given to `slurm submit`")
    }

    package static func load(jobID: String, directory: String) throws(SlurmError) -> Manifest {
        let path = path(jobID: jobID, directory: directory)
        guard let bytes = try? AtomicFile.read(path) else {
            throw SlurmError("no record of job \(jobID) in \(directory) (\(path) is missing); pass --output-dir as given to `slurm submit`")
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)) else {
            throw SlurmError("\(path): not a `tessera slurm submit` manifest")
        }
        return manifest
    }
}
