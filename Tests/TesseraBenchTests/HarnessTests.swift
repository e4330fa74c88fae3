import Testing
@testable import TesseraBench

/// The statistics every table and JSON row reports, on samples whose answers are known.
@Suite struct HarnessTests {
    @Test func oddSampleCount() {
        let t = Timing(samples: [5, 1, 4, 2, 3])
        #expect(t.median == 3)
        #expect(t.min == 1)
        #expect(t.max == 5)
        #expect(t.iqr == 2)  // 4 - 2, NumPy's linear quantiles
    }

    @Test func evenSampleCount() {
        let t = Timing(samples: [4, 1, 3, 2])
        #expect(t.median == 2.5)
        #expect(t.quantile(0.25) == 1.75)
        #expect(t.quantile(0.75) == 3.25)
        #expect(t.iqr == 1.5)
    }

    @Test func singleAndEmpty() {
        #expect(Timing(samples: [0.25]).median == 0.25)
        #expect(Timing(samples: [0.25]).iqr == 0)
        #expect(Timing(samples: []).median == 0)
    }

    @Test func recordConvertsToMillisecondsAndThroughput() {
        var row = BenchResult(workload: "distance", implementation: "tessera", params: ["n": 1, "d": 1])
        row.record(Timing(samples: [0.001, 0.002, 0.003]), bytes: 2e6, flops: 4e6)
        #expect(row.medianMs == 2)
        #expect(row.minMs == 1)
        #expect(row.maxMs == 3)
        #expect(row.iqrMs == 1)
        #expect(row.samples == 3)
        #expect(row.gbps == 1)
        #expect(row.gflops == 2)
        row.validate(maxRelativeError: 2e-5, tolerance: 1e-5)
        #expect(row.check == "failed")
    }

    @Test func sampleCounts() {
        let auto = HarnessSettings()
        #expect(auto.sampleCount(forRunOf: 2.0) == 5)  // at least 5
        #expect(auto.sampleCount(forRunOf: 0.1) == 10)  // about a second
        #expect(auto.sampleCount(forRunOf: 1e-6) == 200)  // at most 200
        #expect(HarnessSettings(repeats: 3).sampleCount(forRunOf: 0.1) == 3)
    }

    @Test func measureTakesTheCountItReports() {
        var runs = 0
        let t = Harness.measure(HarnessSettings(repeats: 4)) { runs += 1 }
        #expect(t.samples.count == 4)
        #expect(runs == 5)  // one warm-up
    }

    @Test func tableHasASpeedupColumnPerPeer() {
        func row(_ implementation: String, _ ms: Double, n: Int = 100) -> BenchResult {
            var r = BenchResult(workload: "distance", implementation: implementation, params: ["n": n, "d": 4])
            r.medianMs = ms
            return r
        }
        var skipped = BenchResult(workload: "distance", implementation: "torch.compile", params: ["n": 100, "d": 4])
        skipped.skipped = "no CUDA device"
        let results = [row("tessera", 2), row("numpy", 10), row("torch", 3), skipped, row("tessera", 4, n: 200), row("numpy", 6, n: 200)]
        #expect(ResultTable.peers(results) == ["numpy", "torch"])
        #expect(ResultTable.header(results).suffix(2) == ["vs numpy", "vs torch"])
        let lines = ResultTable.render(results).split(separator: "\n").map(String.init)
        #expect(lines[2].hasSuffix("5.00×     1.50×"), "\(lines[2])")    // tessera: 10/2 and 3/2
        #expect(lines[3].hasSuffix("10.00"), "\(lines[3])")                // numpy's own row: no speed-up
        #expect(lines[5].contains("skipped: no CUDA device"))
        #expect(lines[6].hasSuffix("1.50×"), "\(lines[6])")              // n=200: numpy only
        // Without peers there is no speed-up column.
        #expect(ResultTable.header([row("tessera", 1)]) == ResultTable.baseHeader)
    }
}
