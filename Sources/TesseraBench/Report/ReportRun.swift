#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Tessera

/// One benchmark run inside a report: the decoded JSON, where it came from, and whether its figures are
/// from another machine (reference figures, e.g. a cluster's GPU run next to a laptop's CPU run).
public struct ReportRun: Sendable {
    /// The file the run was read from, or `this run` for the run just made.
    public var source: String
    public var report: BenchReport
    /// The environment as written, every field kept (a newer writer's extra fields included), in order.
    public var environmentFields: [(key: String, value: String)]
    /// True when the run comes from a different machine than the first run of the report.
    public var isReference = false

    public init(source: String, report: BenchReport, environmentFields: [(key: String, value: String)]? = nil) {
        self.source = source
        self.report = report
        self.environmentFields = environmentFields ?? ReportRun.fields(of: report.environment)
    }

    /// A short name for tables and chart labels: the file name without folders and `.json` (numbered by
    /// `merge` when two runs would share it).
    public var label: String {
        get { customLabel ?? ReportRun.shortName(source) }
        set { customLabel = newValue }
    }
    var customLabel: String?

    static func shortName(_ source: String) -> String {
        var name = source.split(separator: "/").last.map(String.init) ?? source
        if name.hasSuffix(".json") { name.removeLast(5) }
        return name
    }

    /// The machine in a few words: CPU, cores, and the GPU when one is recorded.
    public var machine: String {
        var text = "\(report.environment.cpuModel), \(report.environment.cores) cores"
        if let gpu = gpuDescription { text += ", " + gpu }
        return text
    }

    /// The GPU fields of the environment (any key mentioning gpu), or nil when none is recorded.
    public var gpuDescription: String? {
        let gpu = environmentFields.filter { $0.key.lowercased().contains("gpu") && !$0.value.isEmpty && $0.value != "null" }
        return gpu.isEmpty ? nil : gpu.map(\.value).joined(separator: ", ")
    }

    /// What identifies a machine: CPU model, cores, memory, OS and GPU.
    var machineKey: String {
        let e = report.environment
        return [e.cpuModel, String(e.cores), String(e.memoryBytes), e.os, gpuDescription ?? ""].joined(separator: "|")
    }

    /// Runs in the given order, the ones from a machine other than the first run's marked as reference.
    public static func merge(_ runs: [ReportRun]) -> [ReportRun] {
        guard let home = runs.first?.machineKey else { return [] }
        var seen: [String: Int] = [:]
        return runs.map { run in
            var run = run
            run.isReference = run.machineKey != home
            let name = shortName(run.source)
            seen[name, default: 0] += 1
            run.label = seen[name]! > 1 ? "\(name) #\(seen[name]!)" : name
            return run
        }
    }

    /// Reads a `--json` report; errors say what was wrong in one line.
    public static func load(path: String) throws(ReportLoadError) -> ReportRun {
        var info = stat()
        if stat(path, &info) != 0 { throw ReportLoadError(path: path, reason: "no such file") }
        if info.st_mode & S_IFMT == S_IFDIR { throw ReportLoadError(path: path, reason: "is a directory, not a JSON file") }
        let bytes: [UInt8]
        do {
            bytes = try AtomicFile.read(path)
        } catch {
            var why = "\(error)"
            if why.hasPrefix(path + ": ") { why.removeFirst(path.count + 2) }
            throw ReportLoadError(path: path, reason: "cannot read the file (\(why))")
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ReportLoadError(path: path, reason: "the file is empty")
        }
        let data = Data(bytes)
        do {
            let report = try JSONDecoder().decode(BenchReport.self, from: data)
            let raw = try? JSONDecoder().decode(RawEnvironment.self, from: data)
            return ReportRun(source: path, report: report, environmentFields: raw.map { $0.fields })
        } catch let error as DecodingError {
            throw ReportLoadError(path: path, reason: describe(error))
        } catch {
            throw ReportLoadError(path: path, reason: "not a tessera bench report (\(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop(while: { $0 == "." }).description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath)
            return "not a tessera bench report: missing field '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "not a tessera bench report: field '\(path(context.codingPath))' is not a \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON"
                : "not a tessera bench report: field '\(path(context.codingPath))' is invalid"
        @unknown default:
            return "not a tessera bench report"
        }
    }

    /// The environment's JSON fields as text, in a fixed order for the known ones.
    static func fields(of environment: BenchEnvironment) -> [(key: String, value: String)] {
        let encoder = JSONEncoder()
        guard let data = try? encoder.encode(RawEnvironment.Wrapper(environment: environment)),
              let raw = try? JSONDecoder().decode(RawEnvironment.self, from: data) else { return [] }
        return raw.fields
    }
}

/// Why a report file could not be used: `path: reason`.
public struct ReportLoadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Any JSON value, for keeping environment fields this version does not know.
enum JSONValue: Decodable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .number(Double(i)) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var text: String {
        switch self {
        case .string(let s): s
        case .number(let d): d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .bool(let b): String(b)
        case .null: ""
        case .array(let a): a.map(\.text).joined(separator: ", ")
        case .object(let o): o.keys.sorted().map { "\($0): \(o[$0]!.text)" }.joined(separator: ", ")
        }
    }
}

/// The `environment` object of a report as loose key/value pairs.
struct RawEnvironment: Decodable {
    struct Wrapper: Encodable { let environment: BenchEnvironment }

    let environment: [String: JSONValue]

    static let order = ["cpu_model", "cpu_simd", "cores", "threads", "memory_bytes", "os", "swift_version", "blas",
                        "gpu", "gpu_name", "driver", "cuda", "nvrtc", "cublas", "peer"]

    var fields: [(key: String, value: String)] {
        let known = Self.order.filter { environment[$0] != nil }
        let others = environment.keys.filter { !Self.order.contains($0) && $0 != "git_commit" }.sorted()
        return (known + others).compactMap { key in
            let value = environment[key]!
            if case .null = value { return nil }
            if key == "memory_bytes", case .number(let bytes) = value { return (key, gibibytes(Int(bytes))) }
            return (key, value.text)
        }
    }
}
