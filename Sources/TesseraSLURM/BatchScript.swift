/// The sbatch script `tessera slurm submit` writes (and `--dry-run` prints).
///
/// Resource requests are `#SBATCH` lines; the body maps `SLURM_ARRAY_TASK_ID` to one combination of the
/// swept values with a `case`, then runs the tessera command with `--json` into the output directory.
package enum BatchScript {
    /// The dependency a dry run shows where the job id of the job before is not known yet.
    package static let previousJob = "PREVIOUS_JOB"

    package static func render(_ spec: JobSpec) -> String {
        let commandText = (["tessera"] + spec.command).map(shellQuoted).joined(separator: " ")
        var lines = ["#!/bin/bash"]
        if spec.isArray {
            let swept = spec.sweeps.map(\.name).joined(separator: ", ")
            lines.append("# Written by `tessera slurm submit`: \(commandText), swept over \(swept) (\(spec.points.count) array tasks).")
        } else {
            lines.append("# Written by `tessera slurm submit`: \(commandText).")
        }
        lines.append("#SBATCH --job-name=\(spec.jobName)")
        if let partition = spec.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = spec.time { lines.append("#SBATCH --time=\(time)") }
        if let cpus = spec.cpus { lines.append("#SBATCH --cpus-per-task=\(cpus)") }
        if let mem = spec.mem { lines.append("#SBATCH --mem=\(mem)") }
        if let gpus = spec.gpus, gpus > 0 { lines.append("#SBATCH --gres=gpu:\(gpus)") }
        if spec.isArray { lines.append("#SBATCH --array=0-\(spec.points.count - 1)") }
        if let dependency = spec.dependency {
            // Starts only when every task of that job completed; never, if one failed.
            lines.append("#SBATCH --dependency=afterok:\(dependency)")
            lines.append("#SBATCH --kill-on-invalid-dep=yes")
        }
        lines.append("#SBATCH --output=\(spec.logPattern).out")
        lines.append("#SBATCH --error=\(spec.logPattern).err")
        lines.append("set -euo pipefail")
        lines.append("")
        let out = shellQuoted(spec.outputDirectory)
        var arguments = spec.command.map(shellQuoted)
        if spec.isArray {
            lines.append("# One array task per combination of the swept values.")
            lines.append("case \"$SLURM_ARRAY_TASK_ID\" in")
            for point in spec.points {
                let assignments = point.params.map { "\(variable($0.name))=\($0.value)" }.joined(separator: "; ")
                lines.append("    \(point.index)) \(assignments) ;;")
            }
            lines.append("    *) echo \"unknown array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;")
            lines.append("esac")
            let nameParts = spec.sweeps.map { "\($0.name)=${\(variable($0.name))}" }
            lines.append("result=\(out)/\"\(([spec.baseName] + nameParts).joined(separator: "_")).json\"")
            arguments += spec.sweeps.flatMap { ["--\($0.name)", "\"$\(variable($0.name))\""] }
        } else {
            lines.append("result=\(out)/\(shellQuoted(spec.resultName(SweepPoint(index: 0, params: []))))")
        }
        lines.append("")
        lines.append("echo \"tessera slurm: job ${SLURM_JOB_ID} on $(hostname), writing $result\"")
        lines.append("exec \(shellQuoted(spec.executable)) \(arguments.joined(separator: " ")) --json \"$result\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The bash variable for a swept option (`--n` → `n`, `--min-rows` → `min_rows`).
    static func variable(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    /// `word` as bash reads it back: bare when it holds only safe characters, else single-quoted.
    package static func shellQuoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,+%@".contains($0)) }
        return safe ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
