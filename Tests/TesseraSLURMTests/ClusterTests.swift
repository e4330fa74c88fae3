#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Testing
import Tessera
import TesseraBench
import TesseraTestSupport
@testable import TesseraSLURM

/// Shared helpers: the built `tessera` binary, temporary folders, running a command.
enum Harness {
    /// True when a controller answers `scontrol ping`, or when CI is set (then the tests must run, and fail
    /// if the cluster is missing).
    @Sendable static func clusterTestsRun() async -> Bool {
        // Submits record their jobs in a job index of this test run's own, not the user's.
        setenv("XDG_STATE_HOME", temporaryDirectory(), 1)
        if let ci = getenv("CI"), !String(cString: ci).isEmpty { return true }
        return (try? await Slurm.checkAvailable([])) != nil
    }

    /// The `tessera` executable built beside this test bundle.
    static let tessera = BuiltTool.tessera

    /// Removes a folder `temporaryDirectory()` made, with everything in it.
    static func removeDirectory(_ path: String) {
        precondition(path.hasPrefix("/tmp/tessera-slurm-test-"), "not a test folder: \(path)")
        _ = system("rm -rf '\(path)'")
    }

    static func temporaryDirectory() -> String {
        var template = Array("/tmp/tessera-slurm-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return "/tmp" }
        return String(cString: made)
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try await ChildProcess.run(arguments).get()
        return (output.status, String(decoding: output.stdout, as: UTF8.self), String(decoding: output.stderr, as: UTF8.self))
    }

    static func waitFinished(_ jobID: String, timeout: Double = 300) async throws -> JobStatus {
        var waited = 0.0
        while true {
            let status = try await Slurm.status(jobID)
            if status.isFinished { return status }
            if waited > timeout { throw SlurmError("job \(jobID) not finished after \(Int(timeout)) s: \(status.summary)") }
            usleep(300_000)
            waited += 0.3
        }
    }
}

extension ChildProcess.Failure: CustomStringConvertible {
    package var description: String { message }
}

/// The CLI through the built binary; needs no cluster.
@Suite struct SubmitCLITests {
    @Test func dryRunPrintsTheScript() async throws {
        let result = try await Harness.run([Harness.tessera, "slurm", "submit", "bench", "distance", "--repeats", "1", "-p", "bohr",
                                      "--time", "00:10:00", "--cpus", "1", "--sweep", "n=20000,40000", "--sweep", "d=4,8",
                                      "--output-dir", "/tmp/sweep", "--tessera", "/opt/tessera/bin/tessera", "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            #!/bin/bash
            # Written by `tessera slurm submit`: tessera bench distance --repeats 1, swept over n, d (4 array tasks).
            #SBATCH --job-name=tessera-bench-distance
            #SBATCH --partition=bohr
            #SBATCH --time=00:10:00
            #SBATCH --cpus-per-task=1
            #SBATCH --array=0-3
            #SBATCH --output=/tmp/sweep/bench-distance-%A_%a.out
            #SBATCH --error=/tmp/sweep/bench-distance-%A_%a.err
            set -euo pipefail

            # One array task per combination of the swept values.
            case "$SLURM_ARRAY_TASK_ID" in
                0) n=20000; d=4 ;;
                1) n=20000; d=8 ;;
                2) n=40000; d=4 ;;
                3) n=40000; d=8 ;;
                *) echo "unknown array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;
            esac
            result=/tmp/sweep/"bench-distance_n=${n}_d=${d}.json"

            echo "tessera slurm: job ${SLURM_JOB_ID} on $(hostname), writing $result"
            exec /opt/tessera/bin/tessera bench distance --repeats 1 --n "$n" --d "$d" --json "$result"

            """)
    }

    @Test func shardedProfileDryRunChainsTheStages() async throws {
        let result = try await Harness.run([Harness.tessera, "slurm", "submit", "--shards", "4", "-p", "bohr", "--output-dir", "/tmp/sh",
                                      "--tessera", "/opt/tessera", "--dry-run", "profile", "cells.npy"])
        #expect(result.status == 0, "\(result.stderr)")
        let scripts = result.stdout.split(separator: "# ---- ").map(String.init)
        // A mean reference and no z-score: the reference stage, the distances stage, then the merge.
        #expect(scripts.map { $0.prefix { $0 != "\n" } } == ["profile-reference.sbatch", "profile-distances.sbatch", "profile-merge.sbatch"])
        #expect(scripts[0].contains("#SBATCH --array=0-3\n") && !scripts[0].contains("--dependency"))
        #expect(scripts[1].contains("#SBATCH --dependency=afterok:PREVIOUS_JOB\n"))
        #expect(scripts[1].contains("exec /opt/tessera profile cells.npy --shards 4 --work-dir /tmp/sh/profile-shards --stage distances --shard \"$shard\" --json \"$result\""))
        #expect(scripts[2].contains("exec /opt/tessera profile cells.npy --shards 4 --work-dir /tmp/sh/profile-shards --merge --json \"$result\""))
        #expect(!scripts[2].contains("--array"))
        let median = try await Harness.run([Harness.tessera, "slurm", "submit", "--shards", "2", "--dry-run", "profile", "c.npy", "--reference", "median"])
        #expect(median.status != 0)
        #expect(median.stderr.contains("--reference median cannot be sharded"), "\(median.stderr)")
    }

    @Test(arguments: [
        (["--time", "1:77"], "Error: --time '1:77': field '77' is out of range"),
        (["--sweep", "n"], "Error: --sweep n: expected NAME=V1,V2,…"),
        (["--sweep", "n=1,,2"], "Error: --sweep n=1,,2: empty value in the list"),
        (["--mem", "16GB"], "Error: --mem '16GB': expected a size such as 16G"),
        (["--output-dir", "/etc/passwd/x"], "Error: output directory '/etc/passwd/x': '/etc/passwd' exists and is not a directory"),
    ])
    func badInputIsOneLine(extra: [String], message: String) async throws {
        let result = try await Harness.run([Harness.tessera, "slurm", "submit", "bench", "distance", "--dry-run"] + extra)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.split(separator: "\n").first?.hasPrefix(message) == true, "\(result.stderr)")
    }
}

/// Against the real controller (`../shared/slurm/start-slurm.sh`; `.ci/run` starts it).
@Suite(.serialized, .enabled("no SLURM controller answers `scontrol ping` (start ../shared/slurm/start-slurm.sh); skipped outside CI",
                             Harness.clusterTestsRun))
struct ClusterTests {
    @Test func singleJobRunsTheBuiltTessera() async throws {
        let folder = Harness.temporaryDirectory()
        defer { Harness.removeDirectory(folder) }
        let spec = JobSpec(command: ["bench", "distance", "--n", "100000", "--d", "8", "--repeats", "1"],
                           executable: Harness.tessera, partition: "bohr", time: "00:10:00", cpus: 1, outputDirectory: folder)
        let manifest = try await Slurm.submit(spec)
        let status = try await Harness.waitFinished(manifest.jobID)
        #expect(status.tasks.map(\.state) == [.completed])
        #expect(status.tasks.first?.exitCode == 0)
        let collected = Collected.load(manifest)
        #expect(collected.missing.isEmpty)
        let results = collected.runs.flatMap(\.report.results)
        #expect(results.count == 1)
        #expect(results.first?.params == ["n": 100000, "d": 8])
        #expect(results.first?.check == "ok")

        let cli = try await Harness.run([Harness.tessera, "slurm", "status", manifest.jobID, "--output-dir", folder])
        #expect(cli.status == 0)
        #expect(cli.stdout.hasPrefix("job \(manifest.jobID): 1 task: 1 completed, 0 failed, 0 running, 0 pending\n"), "\(cli.stdout)")
    }

    @Test func fourTaskSweepThroughTheCLI() async throws {
        let folder = Harness.temporaryDirectory()
        defer { Harness.removeDirectory(folder) }
        let submit = try await Harness.run([Harness.tessera, "slurm", "submit", "bench", "distance", "--repeats", "1", "-p", "bohr",
                                      "--cpus", "1", "--sweep", "n=20000,40000", "--sweep", "d=4,8", "--output-dir", folder])
        #expect(submit.status == 0, "\(submit.stderr)")
        let job = submit.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(!job.isEmpty && job.allSatisfy(\.isNumber), "\(submit.stdout)")

        // status, wait and collect find the job's folder without --output-dir (the job index submit kept).
        let status = try await Harness.run([Harness.tessera, "slurm", "status", job])
        #expect(status.status == 0, "\(status.stderr)")
        for (task, params) in ["n=20000 d=4", "n=20000 d=8", "n=40000 d=4", "n=40000 d=8"].enumerated() {
            #expect(status.stdout.contains("\(task)     \(params)  "), "\(status.stdout)")
        }
        let wait = try await Harness.run([Harness.tessera, "slurm", "wait", job, "--max-interval", "1", "--timeout", "300"])
        #expect(wait.status == 0, "\(wait.stdout)\(wait.stderr)")
        #expect(wait.stdout.contains("job \(job): 4 tasks: 4 completed, 0 failed, 0 running, 0 pending"), "\(wait.stdout)")

        let collect = try await Harness.run([Harness.tessera, "slurm", "collect", job,
                                       "--report", folder + "/sweep.html", "--json", folder + "/merged.json"])
        #expect(collect.status == 0, "\(collect.stderr)")
        #expect(collect.stdout.hasPrefix("job \(job): results of 4 of 4 tasks\n"))
        #expect(collect.stderr == "")
        let merged = try ReportRun.load(path: folder + "/merged.json")
        #expect(Set(merged.report.results.map { "\($0.params["n"]!)x\($0.params["d"]!)" }) == ["20000x4", "20000x8", "40000x4", "40000x8"])
        let html = String(decoding: try AtomicFile.read(folder + "/sweep.html"), as: UTF8.self)
        #expect(html.contains("<h3>Scaling</h3>"))
        #expect(html.contains("distance sweep over n"))
    }

    @Test func failedTaskIsReportedAndTheOthersKept() async throws {
        let folder = Harness.temporaryDirectory()
        defer { Harness.removeDirectory(folder) }
        // A stand-in for tessera: fails with a message for --n 2, writes nothing otherwise.
        let fake = folder + "/fake-tessera"
        let script = "#!/bin/bash\nif [ \"$3\" = 2 ]; then echo \"starting n=$3\" >&2; echo \"boom: n=$3 is bad\" >&2; exit 3; fi\necho ok\n"
        try AtomicFile.write(Array(script.utf8), to: fake)
        chmod(fake, 0o755)
        let spec = JobSpec(command: ["bench"], executable: fake, partition: "bohr", cpus: 1,
                           sweeps: [try SweepAxis.parse("n=1,2")], outputDirectory: folder)
        let manifest = try await Slurm.submit(spec)
        let status = try await Harness.waitFinished(manifest.jobID)
        #expect(status.tasks.map(\.state) == [.completed, .failed])
        #expect(status.tasks.map(\.exitCode) == [0, 3])
        #expect(status.tasks[1].reason == "NonZeroExitCode")
        #expect(Slurm.tail(manifest.tasks[1].stderr) == ["starting n=2", "boom: n=2 is bad"])

        let cli = try await Harness.run([Harness.tessera, "slurm", "status", manifest.jobID, "--output-dir", folder])
        #expect(cli.stdout.contains("1     n=2     failed     3     FAILED (NonZeroExitCode)\n"), "\(cli.stdout)")
        #expect(cli.stdout.contains("        boom: n=2 is bad"), "\(cli.stdout)")

        let collect = try await Harness.run([Harness.tessera, "slurm", "collect", manifest.jobID, "--output-dir", folder])
        #expect(collect.status == 1)
        #expect(collect.stderr.contains("task 1 (n=2): no such file; SLURM: FAILED, exit 3"), "\(collect.stderr)")
    }

    @Test func shardedProfileMergesToTheSingleMachineResult() async throws {
        let folder = Harness.temporaryDirectory()
        defer { Harness.removeDirectory(folder) }
        let cells = folder + "/cells.npy"
        #expect(try await Harness.run([Harness.tessera, "data", "synth", "--n", "150000", "--d", "4", "--out", cells]).status == 0)
        let analysis = ["--transform", "zscore", "--outliers", "mad:3", "--percentiles", "1,50,99.9"]
        let single = try await Harness.run([Harness.tessera, "profile", cells] + analysis
                                     + ["--json", folder + "/single.json", "--out", folder + "/single.npy"])
        #expect(single.status == 0, "\(single.stderr)")

        // Three shards: statistics (z-scores), reference (mean), distances, each an array job after the
        // one before, then the merge.
        let submit = try await Harness.run([Harness.tessera, "slurm", "submit", "-p", "bohr", "--cpus", "1", "--shards", "3",
                                      "--output-dir", folder, "profile", cells] + analysis + ["--out", folder + "/merged.npy"])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stderr.contains("submitted profile-statistics as job"), "\(submit.stderr)")
        #expect(submit.stderr.contains("submitted profile-merge as job"), "\(submit.stderr)")
        let job = submit.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(!job.isEmpty && job.allSatisfy(\.isNumber), "\(submit.stdout)")
        let wait = try await Harness.run([Harness.tessera, "slurm", "wait", job, "--output-dir", folder, "--max-interval", "1", "--timeout", "300"])
        #expect(wait.status == 0, "\(wait.stdout)\(wait.stderr)")

        // The same bytes as one machine: summary, percentiles, outliers (JSON) and every distance (.npy).
        let want = try AtomicFile.read(folder + "/single.json")
        let got = try AtomicFile.read(folder + "/profile-merge.json")
        #expect(got == want, "\(String(decoding: got, as: UTF8.self))")
        #expect(try AtomicFile.read(folder + "/merged.npy") == AtomicFile.read(folder + "/single.npy"))
        #expect(String(decoding: want, as: UTF8.self).contains("\"rule\": \"mad\""))
    }

    @Test func rejectedSubmissionShowsSlurmsReason() async throws {
        let folder = Harness.temporaryDirectory()
        defer { Harness.removeDirectory(folder) }
        let spec = JobSpec(command: ["bench", "distance"], executable: Harness.tessera, partition: "bohr", gpus: 1,
                           outputDirectory: folder)
        await #expect { try await Slurm.submit(spec) } throws: {
            "\($0)" == "sbatch rejected the job: sbatch: error: Batch job submission failed: Requested node configuration is not available"
        }
        let unknown = JobSpec(command: ["bench"], executable: Harness.tessera, partition: "nosuch", outputDirectory: folder)
        await #expect { try await Slurm.submit(unknown) } throws: { "\($0)".contains("Invalid partition name specified") }
    }
}
