/// Where one array task (or a single job) stands.
package struct TaskStatus: Equatable, Sendable {
    package enum State: String, Sendable {
        case pending, running, completed, failed
    }

    /// The array task index (0 for a job that is not an array).
    package var index: Int
    package var state: State
    /// SLURM's own word: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, …
    package var slurmState: String
    /// Why it waits or failed (Resources, NonZeroExitCode, …); nil for `None`.
    package var reason: String?
    /// The exit status and the signal that ended it (scontrol's `ExitCode=3:0`).
    package var exitCode: Int?
    package var signal: Int?
    package var stderrPath: String?

    /// SLURM states grouped into the four `tessera slurm status` shows.
    package static func state(_ slurm: String) -> State {
        switch slurm {
        case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED", "STOPPED": .pending
        case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING": .running
        case "COMPLETED": .completed
        default: .failed  // FAILED, TIMEOUT, CANCELLED, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED, …
        }
    }
}

/// Reads `scontrol -o show job JOB`: one record per line, array tasks not yet started folded into one
/// record with a range (`ArrayTaskId=2-3`). Values can hold spaces (`Command=/x/job.sh 5000000 32`), so
/// fields are found by SLURM's known key names, never by splitting on spaces alone.
package enum ScontrolParser {
    /// The `Key=value` fields of one `scontrol -o` record.
    package static func fields(_ line: String) -> [String: String] {
        var fields: [String: String] = [:]
        var key: String?
        for token in line.split(separator: " ", omittingEmptySubsequences: false) {
            if let equals = token.firstIndex(of: "="), knownKeys.contains(String(token[..<equals])) {
                key = String(token[..<equals])
                fields[key!] = String(token[token.index(after: equals)...])
            } else if let key {
                fields[key]! += " " + token
            }
        }
        return fields.mapValues { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }

    /// One status per task, by index.
    package static func tasks(_ output: String) -> [TaskStatus] {
        var tasks: [Int: TaskStatus] = [:]
        for line in output.split(whereSeparator: { $0 == "\n" }) where line.hasPrefix("JobId=") {
            let f = fields(String(line))
            let slurmState = f["JobState"] ?? "UNKNOWN"
            let exit = f["ExitCode"].map { $0.split(separator: ":").map { Int($0) } } ?? []
            let reason = f["Reason"].flatMap { $0 == "None" ? nil : $0 }
            let indices = f["ArrayTaskId"].map(expandRange) ?? [0]
            // A record for tasks not yet started names a placeholder log path (`_4294967294`): leave it out.
            let stderr = indices.count == 1 ? f["StdErr"] : nil
            for index in indices {
                tasks[index] = TaskStatus(index: index, state: TaskStatus.state(slurmState), slurmState: slurmState,
                                          reason: reason, exitCode: exit.first ?? nil, signal: exit.count > 1 ? exit[1] : nil,
                                          stderrPath: stderr)
            }
        }
        return tasks.keys.sorted().map { tasks[$0]! }
    }

    /// `0-3`, `1,3,5-7` and `0-15%4` (a throttle) as task indices.
    package static func expandRange(_ text: String) -> [Int] {
        let list = text.split(separator: "%").first ?? ""
        return list.split(separator: ",").flatMap { part -> [Int] in
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] { return Array(bounds[0]...bounds[1]) }
            return bounds.count == 1 ? [bounds[0]] : []
        }
    }

    /// The keys SLURM 22.05's `scontrol -o show job` prints.
    static let knownKeys: Set<String> = [
        "JobId", "ArrayJobId", "ArrayTaskId", "ArrayTaskThrottle", "HetJobId", "HetJobOffset", "HetJobIdSet", "JobName",
        "UserId", "GroupId", "MCS_label", "Priority", "Nice", "Account", "QOS", "JobState", "Reason", "Dependency",
        "Requeue", "Restarts", "BatchFlag", "Reboot", "ExitCode", "DerivedExitCode", "RunTime", "TimeLimit", "TimeMin",
        "SubmitTime", "EligibleTime", "AccrueTime", "StartTime", "EndTime", "Deadline", "PreemptEligibleTime",
        "PreemptTime", "SuspendTime", "SecsPreSuspend", "LastSchedEval", "Scheduler", "Partition", "AllocNode:Sid",
        "ReqNodeList", "ExcNodeList", "NodeList", "BatchHost", "NumNodes", "NumCPUs", "NumTasks", "CPUs/Task",
        "ReqB:S:C:T", "TRES", "Socks/Node", "NtasksPerN:B:S:C", "CoreSpec", "MinCPUsNode", "MinMemoryNode",
        "MinMemoryCPU", "MinTmpDiskNode", "Features", "DelayBoot", "OverSubscribe", "Contiguous", "Licenses", "Network",
        "Command", "WorkDir", "StdErr", "StdIn", "StdOut", "Power", "TresPerNode", "TresPerJob", "TresPerTask",
        "CpusPerTres", "MemPerTres", "Comment", "AdminComment", "Reservation", "NtasksPerTRES", "MailUser", "MailType",
        "KillOInInvalidDependent", "Container", "Array", "JobId",
    ]
}

/// A whole job's tasks and their counts.
package struct JobStatus: Sendable {
    package var jobID: String
    package var tasks: [TaskStatus]

    package func count(_ state: TaskStatus.State) -> Int { tasks.filter { $0.state == state }.count }
    package var isFinished: Bool { !tasks.isEmpty && tasks.allSatisfy { $0.state == .completed || $0.state == .failed } }

    /// `4 tasks: 2 completed, 1 failed, 1 running, 0 pending`.
    package var summary: String {
        let total = tasks.count == 1 ? "1 task" : "\(tasks.count) tasks"
        return "\(total): \(count(.completed)) completed, \(count(.failed)) failed, \(count(.running)) running, \(count(.pending)) pending"
    }
}
