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
}
