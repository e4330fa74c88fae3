#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import TesseraSLURM

@Suite("Job index")
struct JobIndexTests {
    private static func folder() -> String {
        var template = Array("/tmp/tessera-job-index-XXXXXX".utf8CString)
        return mkdtemp(&template).map { String(cString: $0) } ?? "/tmp"
    }

    @Test func theLastRecordOfAJobWins() throws {
        let index = JobIndex(path: Self.folder() + "/state/tessera/slurm-jobs.tsv")
        #expect(index.directory(of: "7") == nil)
        try index.record(jobID: "7", directory: "/runs/a")
        try index.record(jobID: "8", directory: "/runs/with space")
        try index.record(jobID: "7", directory: "/runs/b")
        #expect(index.directory(of: "7") == "/runs/b")
        #expect(index.directory(of: "8") == "/runs/with space")
        #expect(index.directory(of: "9") == nil)
    }

    /// Without --output-dir a manifest is found through the index; a job nobody recorded is a one-line
    /// error saying where it looked.
    @Test func manifestsAreFoundThroughTheIndex() async throws {
        let root = Self.folder()
        let spec = JobSpec(command: ["bench", "distance"], executable: "tessera", sweeps: [try SweepAxis.parse("n=1,2")],
                           outputDirectory: root + "/run")
        try Slurm.createDirectory(spec.outputDirectory)
        try Manifest(spec: spec, jobID: "424242", script: spec.outputDirectory + "/x.sbatch").save()
        let index = JobIndex(path: root + "/slurm-jobs.tsv")
        try index.record(jobID: "424242", directory: spec.outputDirectory)
        let found = try await Manifest.find(jobID: "424242", directory: nil, fallback: root + "/elsewhere", index: index)
        #expect(found.tasks.map(\.label) == ["n=1", "n=2"])
        await #expect(throws: SlurmError("no record of job 424243 (looked in \(root)/elsewhere; submitted jobs are listed in \(root)/slurm-jobs.tsv); pass --output-dir as given to `slurm submit`")) {
            try await Manifest.find(jobID: "424243", directory: nil, fallback: root + "/elsewhere", index: index)
        }
    }
}
