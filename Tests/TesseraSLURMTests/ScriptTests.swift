import Testing
@testable import TesseraSLURM

@Suite struct ScriptTests {
    static func sweep(_ text: String) -> SweepAxis { try! SweepAxis.parse(text) }

    @Test func singleJobScript() {
        let spec = JobSpec(command: ["bench", "distance", "--n", "100000", "--d", "8", "--repeats", "1"],
                           executable: "/opt/tessera/bin/tessera", partition: "bohr", time: "00:30:00", cpus: 1,
                           mem: "16G", gpus: 1, outputDirectory: "/scratch/runs")
        #expect(BatchScript.render(spec) == """
            #!/bin/bash
            # Written by `tessera slurm submit`: tessera bench distance --n 100000 --d 8 --repeats 1.
            #SBATCH --job-name=tessera-bench-distance
            #SBATCH --partition=bohr
            #SBATCH --time=00:30:00
            #SBATCH --cpus-per-task=1
            #SBATCH --mem=16G
            #SBATCH --gres=gpu:1
            #SBATCH --output=/scratch/runs/bench-distance-%j.out
            #SBATCH --error=/scratch/runs/bench-distance-%j.err
            set -euo pipefail

            result=/scratch/runs/bench-distance.json

            echo "tessera slurm: job ${SLURM_JOB_ID} on $(hostname), writing $result"
            exec /opt/tessera/bin/tessera bench distance --n 100000 --d 8 --repeats 1 --json "$result"

            """)
    }

    @Test func fourTaskSweepScript() {
        let spec = JobSpec(command: ["bench", "distance", "--repeats", "3"], executable: "tessera", partition: "bohr",
                           sweeps: [Self.sweep("n=1000000,5000000"), Self.sweep("d=16,32")],
                           outputDirectory: "/home/me/sweep one")
        #expect(BatchScript.render(spec) == """
            #!/bin/bash
            # Written by `tessera slurm submit`: tessera bench distance --repeats 3, swept over n, d (4 array tasks).
            #SBATCH --job-name=tessera-bench-distance
            #SBATCH --partition=bohr
            #SBATCH --array=0-3
            #SBATCH --output=/home/me/sweep one/bench-distance-%A_%a.out
            #SBATCH --error=/home/me/sweep one/bench-distance-%A_%a.err
            set -euo pipefail

            # One array task per combination of the swept values.
            case "$SLURM_ARRAY_TASK_ID" in
                0) n=1000000; d=16 ;;
                1) n=1000000; d=32 ;;
                2) n=5000000; d=16 ;;
                3) n=5000000; d=32 ;;
                *) echo "unknown array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;
            esac
            result='/home/me/sweep one'/"bench-distance_n=${n}_d=${d}.json"

            echo "tessera slurm: job ${SLURM_JOB_ID} on $(hostname), writing $result"
            exec tessera bench distance --repeats 3 --n "$n" --d "$d" --json "$result"

            """)
        #expect(spec.resultName(spec.points[2]) == "bench-distance_n=5000000_d=16.json")
    }

    @Test func sweepExpansion() {
        let points = expandSweep([Self.sweep("n=1,2,3"), Self.sweep("d=8,16")])
        #expect(points.count == 6)
        #expect(points.map(\.index) == Array(0..<6))
        #expect(points.map(\.label) == ["n=1 d=8", "n=1 d=16", "n=2 d=8", "n=2 d=16", "n=3 d=8", "n=3 d=16"])
        #expect(expandSweep([]).map(\.label) == ["(no sweep)"])
        #expect(Self.sweep("min-rows=10").values == ["10"])
    }

    @Test(arguments: [
        ("n", "expected NAME=V1,V2"), ("n=", "empty value"), ("n=1,,2", "empty value"), ("=1,2", "is not an option name"),
        ("N=1", "is not an option name"), ("n=1;rm", "may only hold"), ("n=1,1", "listed twice"), ("result=1", "reserved"),
    ])
    func badSweeps(text: String, message: String) {
        #expect { try SweepAxis.parse(text) } throws: { "\($0)".contains(message) && "\($0)".hasPrefix("--sweep \(text):") }
    }

    @Test(arguments: ["30", "00:30:00", "10:00", "1-00", "2-12:30", "1-23:59:59", "120:00:00"])
    func goodTimes(text: String) throws { try JobSpec.checkTime(text) }

    @Test(arguments: ["", "1h", "00:60:00", "1:2:3:4", "-1", "1-24:00", "a:bc", "0", "00:00:00", "12:", ":30", "1-"])
    func badTimes(text: String) {
        #expect(throws: SlurmError.self) { try JobSpec.checkTime(text) }
    }

    @Test(arguments: ["16G", "500M", "2048", "1T", "64k"]) func goodMemory(text: String) throws { try JobSpec.checkMemory(text) }

    @Test(arguments: ["", "G", "16GB", "0", "-1G", "1.5G", "16 G"]) func badMemory(text: String) {
        #expect { try JobSpec.checkMemory(text) } throws: { "\($0)".hasPrefix("--mem '\(text)'") }
    }

    @Test func specValidation() {
        func message(_ spec: JobSpec) -> String? {
            do { try spec.validate(); return nil } catch { return error.description }
        }
        let base = JobSpec(command: ["bench", "distance"], executable: "tessera", outputDirectory: "/tmp/x")
        #expect(message(base) == nil)
        var spec = base
        spec.command += ["--json", "a.json"]
        #expect(message(spec)?.hasPrefix("--json is set by `slurm submit`") == true)
        spec = base
        spec.command += ["--n", "5"]
        spec.sweeps = [Self.sweep("n=1,2")]
        #expect(message(spec) == "--n is both in the command and swept; keep only --sweep n=…")
        spec = base
        spec.sweeps = [Self.sweep("n=1,2"), Self.sweep("n=3")]
        #expect(message(spec) == "--sweep n is given twice; list its values in one --sweep")
        spec = base
        spec.command = []
        #expect(message(spec)?.hasPrefix("give the tessera command") == true)
        spec = base
        spec.cpus = 0
        #expect(message(spec) == "--cpus must be at least 1, got 0")
        spec = base
        spec.partition = "bohr gpu"
        #expect(message(spec) == "--partition 'bohr gpu': expected a partition name such as bohr")
    }

    @Test func shellQuoting() {
        #expect(BatchScript.shellQuoted("--n") == "--n")
        #expect(BatchScript.shellQuoted("/a b/c") == "'/a b/c'")
        #expect(BatchScript.shellQuoted("it's") == "'it'\\''s'")
        #expect(BatchScript.shellQuoted("") == "''")
        #expect(BatchScript.shellQuoted("$HOME") == "'$HOME'")
    }
}
