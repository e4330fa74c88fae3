import Testing
@testable import TesseraBench

/// `--n 1000000,5000000` lists, their one-line errors, and the cases they make.
@Suite struct SweepTests {
    @Test func parsesCommaLists() throws {
        #expect(try Sweep.parse("1000000,5000000,20000000", option: "n") == [1_000_000, 5_000_000, 20_000_000])
        #expect(try Sweep.parse("16, 32", option: "d") == [16, 32])
        #expect(try Sweep.parse("5e6,1_000", option: "n") == [5_000_000, 1000])
        #expect(try Sweep.parse("7000", option: "n") == [7000])
    }

    @Test(arguments: [
        ("-5", "--n -5: must be positive"),
        ("0", "--n 0: must be positive"),
        ("1e20", "--n 1e20: too large (at most 9223372036854775807)"),
        ("99999999999999999999", "--n 99999999999999999999: too large (at most 9223372036854775807)"),
        ("abc", "--n abc: not a whole number"),
        ("1.5", "--n 1.5: not a whole number"),
        ("1000,abc", "--n abc: not a whole number"),
        ("1000,,2000", "--n 1000,,2000: empty value in the list"),
        ("", "--n : empty value in the list"),
    ])
    func rejectsBadValues(text: String, message: String) {
        #expect(throws: BenchInputError(message)) { try Sweep.parse(text, option: "n") }
    }

    @Test func everyCombinationIsOneCase() {
        let specs = Sweep.specs(.distance, ns: [1_000_000, 5_000_000], ds: [16, 32])
        #expect(specs.map(\.params) == [
            ["n": 1_000_000, "d": 16], ["n": 1_000_000, "d": 32], ["n": 5_000_000, "d": 16], ["n": 5_000_000, "d": 32],
        ])
        #expect(Sweep.specs(.matmul, ns: [1000, 2000, 4000]).map(\.params) == [["n": 1000], ["n": 2000], ["n": 4000]])
        #expect(Sweep.specs(.transfer, ns: [10]).map(\.params) == [["n": 10]])
    }

    @Test func sizesBeyondMemoryNameTheOptions() {
        let gib = 1 << 30
        #expect(throws: BenchInputError("--n 20000000 --d 32: distance needs about 2.4 GiB, more than this machine's 1.0 GiB")) {
            try Sweep.checkMemory(Sweep.specs(.distance, ns: [1000, 20_000_000], ds: [32]), withPeers: false, physical: gib)
        }
        #expect(throws: BenchInputError("--n 4000000 --d 32: distance needs about 1.9 GiB with a peer, more than this machine's 1.0 GiB")) {
            try Sweep.checkMemory(Sweep.specs(.distance, ns: [4_000_000], ds: [32]), withPeers: true, physical: gib)
        }
        #expect(throws: BenchInputError("--n 4000000000: matmul sizes overflow")) {
            try Sweep.checkMemory([WorkloadSpec(.matmul, n: 4_000_000_000)], withPeers: false, physical: gib)
        }
        #expect(throws: Never.self) {
            try Sweep.checkMemory(Sweep.specs(.distance, ns: [1000], ds: [16, 32]), withPeers: true, physical: gib)
        }
    }

    @Test func peerLists() throws {
        #expect(try Peer.list("numpy,torch") == [.numpy, .torch])
        #expect(try Peer.list("torch, torch") == [.torch])
        #expect(throws: BenchInputError("--compare numpy,tf: unknown peer 'tf' (available: numpy, torch)")) {
            try Peer.list("numpy,tf")
        }
    }

    @Test func devices() throws {
        var notices: [String] = []
        #expect(try DeviceSelection.resolve("cpu") { notices.append($0) } == .cpu)
        #expect(notices.isEmpty)
        #expect(try DeviceSelection.resolve("auto") { notices.append($0) } == .cpu)
        #expect(notices == ["tessera: no CUDA device (this Tessera build has no CUDA backend); --device auto runs on the CPU"])
        #expect(throws: BenchInputError("--device cuda:1: this Tessera build has no CUDA backend")) {
            try DeviceSelection.resolve("cuda:1") { _ in }
        }
        #expect(throws: BenchInputError("--device gpu: unknown device (available: auto, cpu, cuda, cuda:N)")) {
            try DeviceSelection.resolve("gpu") { _ in }
        }
    }

    @Test func transferIsSkippedWithoutCUDA() {
        let rows = Workloads.run(WorkloadSpec(.transfer, n: 1000), settings: HarnessSettings(repeats: 1))
        #expect(rows.count == 1)
        #expect(rows[0].device == "cuda")
        #expect(rows[0].skipped == "no CUDA device: this Tessera build has no CUDA backend")
    }
}
