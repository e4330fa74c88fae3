/// One swept option: `--sweep n=1000000,5000000` runs the command once per value with `--n VALUE`.
package struct SweepAxis: Equatable, Sendable {
    package var name: String
    package var values: [String]

    package init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    /// Parses `name=v1,v2,…`; a one-line error says what was wrong.
    package static func parse(_ text: String) throws(SlurmError) -> SweepAxis {
        guard let equals = text.firstIndex(of: "=") else {
            throw SlurmError("--sweep \(text): expected NAME=V1,V2,… (e.g. --sweep n=1000000,5000000)")
        }
        let name = String(text[..<equals]), list = text[text.index(after: equals)...]
        guard let first = name.first, first.isLowercase,
              name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw SlurmError("--sweep \(text): '\(name)' is not an option name (lowercase letters, digits, - and _)")
        }
        if name == "result" { throw SlurmError("--sweep \(text): 'result' is reserved by the job script") }
        let values = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if values.contains(where: \.isEmpty) { throw SlurmError("--sweep \(text): empty value in the list") }
        for value in values where !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._+-:".contains($0)) }) {
            throw SlurmError("--sweep \(text): value '\(value)' may only hold letters, digits and . _ + - :")
        }
        if Set(values).count != values.count { throw SlurmError("--sweep \(text): a value is listed twice") }
        return SweepAxis(name: name, values: values)
    }
}

/// One array task: its index and the value of each swept option.
package struct SweepPoint: Equatable, Sendable, Codable {
    package var index: Int
    package var params: [Parameter]

    package struct Parameter: Equatable, Sendable, Codable {
        package var name: String
        package var value: String
    }

    /// `n=1000000 d=16`, or `(no sweep)`.
    package var label: String { params.isEmpty ? "(no sweep)" : params.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
}

/// Every combination of the axes' values, the last axis varying fastest (one array task each).
package func expandSweep(_ axes: [SweepAxis]) -> [SweepPoint] {
    var combos: [[SweepPoint.Parameter]] = [[]]
    for axis in axes {
        combos = combos.flatMap { prefix in axis.values.map { prefix + [SweepPoint.Parameter(name: axis.name, value: $0)] } }
    }
    return combos.enumerated().map { SweepPoint(index: $0.offset, params: $0.element) }
}

/// What `tessera slurm submit` sends: the tessera command, the resources, the sweep and where results go.
package struct JobSpec: Sendable {
    /// The tessera command after `tessera`, e.g. `["bench", "distance", "--repeats", "1"]`.
    package var command: [String]
    /// The tessera binary the job runs (an absolute path, or `tessera` to look it up on the node's PATH).
    package var executable: String
    package var partition: String?
    package var time: String?
    package var cpus: Int?
    package var mem: String?
    package var gpus: Int?
    package var sweeps: [SweepAxis] = []
    /// Absolute folder for results, logs, the script and the manifest.
    package var outputDirectory: String
    /// The name of scripts, logs and results, instead of the one taken from the command's words.
    package var name: String?
    /// A job that must finish successfully before this one starts (`--dependency=afterok:ID`).
    package var dependency: String?

    package init(command: [String], executable: String, partition: String? = nil, time: String? = nil, cpus: Int? = nil,
                 mem: String? = nil, gpus: Int? = nil, sweeps: [SweepAxis] = [], outputDirectory: String) {
        self.command = command
        self.executable = executable
        self.partition = partition
        self.time = time
        self.cpus = cpus
        self.mem = mem
        self.gpus = gpus
        self.sweeps = sweeps
        self.outputDirectory = outputDirectory
    }

    /// The leading words of the command (its subcommands): `bench-distance`.
    package var baseName: String {
        if let name { return name }
        let words = command.prefix { !$0.hasPrefix("-") && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } }
        return words.isEmpty ? "tessera" : words.joined(separator: "-")
    }

    package var jobName: String { "tessera-" + baseName }
    package var isArray: Bool { !sweeps.isEmpty }
    package var points: [SweepPoint] { expandSweep(sweeps) }

    /// The result file of one task: `bench-distance_n=1000000_d=16.json`.
    package func resultName(_ point: SweepPoint) -> String {
        ([baseName] + point.params.map { "\($0.name)=\($0.value)" }).joined(separator: "_") + ".json"
    }

    /// The `--output`/`--error` patterns (`%A_%a` for arrays, `%j` for one job).
    package var logPattern: String { outputDirectory + "/" + baseName + (isArray ? "-%A_%a" : "-%j") }

    /// Checks everything that can be checked without the cluster; errors are one line each.
    package func validate() throws(SlurmError) {
        if command.isEmpty { throw SlurmError("give the tessera command to run, e.g. `tessera slurm submit bench distance --n 5000000`") }
        if command.first == "slurm" { throw SlurmError("`slurm` cannot run inside a job; give the command to run there (bench, report, …)") }
        if command.contains(where: { $0 == "--json" || $0.hasPrefix("--json=") }) {
            throw SlurmError("--json is set by `slurm submit` (one file per task in the output directory); leave it out of the command")
        }
        if let partition, partition.isEmpty || !partition.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) {
            throw SlurmError("--partition '\(partition)': expected a partition name such as bohr")
        }
        if let time { try JobSpec.checkTime(time) }
        if let mem { try JobSpec.checkMemory(mem) }
        if let cpus, cpus < 1 { throw SlurmError("--cpus must be at least 1, got \(cpus)") }
        if let gpus, gpus < 0 { throw SlurmError("--gpus must be 0 or more, got \(gpus)") }
        var seen: Set<String> = []
        for axis in sweeps {
            if !seen.insert(axis.name).inserted { throw SlurmError("--sweep \(axis.name) is given twice; list its values in one --sweep") }
            if command.contains(where: { $0 == "--" + axis.name || $0.hasPrefix("--\(axis.name)=") }) {
                throw SlurmError("--\(axis.name) is both in the command and swept; keep only --sweep \(axis.name)=…")
            }
        }
        if points.count > 10_000 { throw SlurmError("the sweep has \(points.count) combinations; at most 10000 array tasks") }
        if !outputDirectory.hasPrefix("/") { throw SlurmError("output directory '\(outputDirectory)' must be absolute") }
        if let dependency, dependency.isEmpty || !dependency.allSatisfy(\.isNumber) && dependency != BatchScript.previousJob {
            throw SlurmError("dependency '\(dependency)': expected a job id")
        }
    }

    /// SLURM's time formats: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`.
    package static func checkTime(_ text: String) throws(SlurmError) {
        let bad = SlurmError("--time '\(text)': expected MM, MM:SS, HH:MM:SS or D-HH:MM:SS (e.g. 00:30:00)")
        var rest = Substring(text)
        var hasDays = false
        if let dash = rest.firstIndex(of: "-") {
            guard isNumber(rest[..<dash]) else { throw bad }
            rest = rest[rest.index(after: dash)...]
            hasDays = true
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.allSatisfy(isNumber), (1...3).contains(parts.count) else { throw bad }
        // The fields after the first are minutes or seconds (or, with days, hours first).
        let limits = hasDays ? [24, 60, 60] : (parts.count == 3 ? [Int.max, 60, 60] : [Int.max, 60])
        for (part, limit) in zip(parts, limits) where Int(part)! >= limit {
            throw SlurmError("--time '\(text)': field '\(part)' is out of range (hours < 24 after a day count, minutes and seconds < 60)")
        }
        if !hasDays && parts.allSatisfy({ Int($0)! == 0 }) { throw SlurmError("--time '\(text)': the time limit must be above zero") }
    }

    /// `--mem` as SLURM takes it: a whole number with an optional K, M, G or T suffix (megabytes without one).
    package static func checkMemory(_ text: String) throws(SlurmError) {
        var digits = Substring(text)
        if let last = digits.last, "KMGTkmgt".contains(last) { digits = digits.dropLast() }
        guard isNumber(digits), let value = Int(digits) else {
            throw SlurmError("--mem '\(text)': expected a size such as 16G, 500M or 2048 (megabytes)")
        }
        if value == 0 { throw SlurmError("--mem '\(text)': must be above zero") }
    }

    static func isNumber(_ text: Substring) -> Bool { !text.isEmpty && text.count <= 9 && text.allSatisfy { $0.isASCII && $0.isNumber } }
}

/// A one-line error from `tessera slurm`.
package struct SlurmError: Error, CustomStringConvertible, Equatable, Sendable {
    package let description: String
    package init(_ description: String) { self.description = description }
}
