import FoundationEssentials
import Testing
import Tessera
@testable import TesseraBench

/// `--json` uses the schema's field names and reads back what it wrote.
@Suite struct ReportJSONTests {
    static func report() -> BenchReport {
        var measured = BenchResult(workload: "distance", implementation: "tessera", variant: "fused",
                                   params: ["n": 5_000_000, "d": 32])
        measured.record(Timing(samples: [0.02, 0.021, 0.022, 0.023, 0.03]), bytes: 640e6)
        measured.validate(maxRelativeError: 1e-7, tolerance: 1e-5)
        var skipped = BenchResult(workload: "distance", implementation: "torch.compile", params: ["n": 5_000_000, "d": 32])
        skipped.device = "cuda"
        skipped.skipped = "torch.compile runs on the GPU only"
        let environment = BenchEnvironment(
            cpuModel: "AMD EPYC", cpuSIMD: "avx2 fma", cores: 2, memoryBytes: 1 << 34, os: "Linux",
            swiftVersion: "6.3", blas: "OpenBLAS", threads: 2, gitCommit: "abc123", peer: "numpy 2.4.6")
        return BenchReport(environment: environment, results: [measured, skipped])
    }

    @Test func fieldNamesFollowTheSchema() throws {
        let data = try JSONEncoder().encode(Self.report())
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"tessera_version\"", "\"git_commit\"", "\"environment\"", "\"results\"", "\"workload\"",
                    "\"implementation\"", "\"device\"", "\"params\"", "\"median_ms\"", "\"min_ms\"", "\"max_ms\"",
                    "\"iqr_ms\"", "\"samples\"", "\"max_rel_error\"", "\"check\"", "\"gbps\"", "\"skipped\"",
                    "\"cpu_model\"", "\"memory_bytes\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(!text.contains("medianMs"))
        #expect(!text.contains("\"gflops\""))  // absent, not null, where it means nothing
    }

    @Test func roundTrips() throws {
        let original = Self.report()
        let decoded = try JSONDecoder().decode(BenchReport.self, from: JSONEncoder().encode(original))
        #expect(decoded.tesseraVersion == BuildInfo.version)
        #expect(decoded.gitCommit == "abc123")
        #expect(decoded.environment.cpuModel == "AMD EPYC")
        #expect(decoded.results.count == 2)
        let (a, b) = (decoded.results[0], decoded.results[1])
        #expect(a.params == ["n": 5_000_000, "d": 32])
        #expect(a.medianMs == original.results[0].medianMs)
        #expect(a.iqrMs == original.results[0].iqrMs)
        #expect(a.samples == 5)
        #expect(a.check == "ok")
        #expect(a.variant == "fused")
        #expect(b.implementation == "torch.compile")
        #expect(b.device == "cuda")
        #expect(b.skipped == "torch.compile runs on the GPU only")
        #expect(b.medianMs == nil)
    }

    @Test func decodesAPeerRow() throws {
        let json = #"{"workload": "matmul", "implementation": "torch", "device": "cuda", "params": {"n": 7000}, "median_ms": 14.9, "min_ms": 14.8, "max_ms": 15.2, "iqr_ms": 0.1, "samples": 68, "max_rel_error": 3e-7, "check": "ok", "variant": "h2d+d2h", "gflops": 46000.0}"#
        let row = try JSONDecoder().decode(BenchResult.self, from: Data(json.utf8))
        #expect(row.device == "cuda")
        #expect(row.variant == "h2d+d2h")
        #expect(row.gflops == 46000)
        #expect(row.gbps == nil)
    }

    @Test func environmentsFromOtherVersionsDecode() throws {
        // An older writer without cpu_simd, threads or blas, plus a field from a newer one (a GPU).
        let json = #"{"tessera_version": "0.0.9", "environment": {"cpu_model": "Intel Xeon", "cores": 64, "memory_bytes": 1024, "os": "Rocky 9", "swift_version": "6.0", "gpu_name": "NVIDIA H100"}, "results": []}"#
        let report = try JSONDecoder().decode(BenchReport.self, from: Data(json.utf8))
        #expect(report.environment.cpuModel == "Intel Xeon" && report.environment.cores == 64)
        #expect(report.environment.cpuSIMD == "" && report.environment.threads == 0 && report.environment.blas == "")
        #expect(report.environment.gitCommit == nil)
        // The wrong type is still an error.
        let bad = #"{"tessera_version": "1", "environment": {"cores": "many"}, "results": []}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BenchReport.self, from: Data(bad.utf8)) }
    }
}
