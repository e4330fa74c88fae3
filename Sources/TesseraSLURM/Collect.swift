import TesseraBench

/// The tasks' `--json` files of one job, merged for the bench report.
package struct Collected: Sendable {
    /// One run per machine the tasks ran on (all tasks' results together when they share one), in task order.
    package var runs: [ReportRun]
    /// Tasks without a readable result, and why.
    package var missing: [(task: Manifest.Task, reason: String)]
    package var found: Int

    /// Reads every task's result file; tasks whose file is absent or unreadable are listed in `missing`.
    package static func load(_ manifest: Manifest) -> Collected {
        var groups: [(key: String, runs: [ReportRun])] = []
        var missing: [(Manifest.Task, String)] = []
        var found = 0
        for task in manifest.tasks {
            do {
                let run = try ReportRun.load(path: task.result)
                let e = run.report.environment
                let key = "\(e.cpuModel)|\(e.cores)|\(e.memoryBytes)|\(e.os)"
                if let i = groups.firstIndex(where: { $0.key == key }) { groups[i].runs.append(run) } else { groups.append((key, [run])) }
                found += 1
            } catch {
                missing.append((task, error.reason))
            }
        }
        let runs = groups.enumerated().map { index, group in
            var report = group.runs[0].report
            report.results = group.runs.flatMap(\.report.results)
            let source = "slurm job \(manifest.jobID)" + (groups.count > 1 ? " machine \(index + 1)" : "")
            return ReportRun(source: source, report: report, environmentFields: group.runs[0].environmentFields)
        }
        return Collected(runs: ReportRun.merge(runs), missing: missing, found: found)
    }
}
