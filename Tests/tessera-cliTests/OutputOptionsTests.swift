#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Testing
import Tessera
import TesseraBench
import TesseraTestSupport

/// `--json FILE` and `--json -` as every command takes them, run through the built `tessera`.
@Suite("--json, one rule for every command")
struct OutputOptionsTests {
    /// Runs `tessera arguments…`: its exit status, standard output and standard error.
    static func tessera(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let output = try await ChildProcess.run([BuiltTool.tessera] + arguments).get()
        return (output.status, String(decoding: output.stdout, as: UTF8.self), String(decoding: output.stderr, as: UTF8.self))
    }

    /// A fresh folder under /tmp.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/tessera-cli-test-XXXXXX".utf8CString)
        return mkdtemp(&template).map { String(cString: $0) } ?? "/tmp"
    }

    struct Doctor: Decodable { let cores: Int; let threads: Int }
    struct Inspect: Decodable {
        struct Channel: Decodable { let name: String; let mean: Double? }
        let rows: Int
        let columns: Int
        let channels: [Channel]
    }
    struct Bench: Decodable {
        struct Row: Decodable { let workload: String; let check: String? }
        let results: [Row]
    }

    @Test("--json - puts only the JSON on standard output and the text on standard error")
    func standardOutput() async throws {
        let doctor = try await Self.tessera(["doctor", "--json", "-"])
        #expect(doctor.status == 0)
        let parsed = try JSONDecoder().decode(Doctor.self, from: Data(doctor.stdout.utf8))
        #expect(parsed.cores >= 1 && parsed.threads >= 1)
        #expect(doctor.stderr.contains("CPU:"), "the text went to standard error: \(doctor.stderr)")

        let bench = try await Self.tessera(["bench", "distance", "--n", "2000", "--d", "4", "--repeats", "1", "--json", "-"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let report = try JSONDecoder().decode(Bench.self, from: Data(bench.stdout.utf8))
        #expect(report.results.map(\.workload) == ["distance"])
        #expect(report.results.first?.check == "ok")
        #expect(bench.stderr.contains("distance"), "the table went to standard error")
    }

    @Test("data inspect --json - describes the file")
    func inspect() async throws {
        let file = try #require(TestData.require("fcs/Sample_Well_A02.fcs"))
        let result = try await Self.tessera(["data", "inspect", file, "--json", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONDecoder().decode(Inspect.self, from: Data(result.stdout.utf8))
        #expect(parsed.columns == parsed.channels.count && parsed.columns > 0 && parsed.rows > 0)
        #expect(parsed.channels.allSatisfy { $0.mean?.isFinite == true })
    }

    @Test("--json FILE is written whole and announced; a missing folder is refused before any work")
    func file() async throws {
        let folder = Self.temporaryDirectory()
        defer { _ = system("rm -rf '\(folder)'") }
        let path = folder + "/selftest.json"
        let written = try await Self.tessera(["selftest", "--filter", "add", "--json", path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("wrote \(path)"))
        let bytes = try AtomicFile.read(path)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let rows = try JSONDecoder().decode([SelfTestRow].self, from: Data(bytes))
        #expect(Set(rows.map(\.check)) == ["forward", "gradient"] && rows.allSatisfy { $0.op == "add" && $0.failures.isEmpty })

        let missing = folder + "/no-such-folder/out.json"
        let refused = try await Self.tessera(["bench", "distance", "--n", "100", "--d", "2", "--json", missing])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("directory '\(folder)/no-such-folder' does not exist"), "\(refused.stderr)")
        #expect(access(missing, F_OK) != 0)
    }

    struct SelfTestRow: Decodable { let op: String; let check: String; let failures: [String] }
}
