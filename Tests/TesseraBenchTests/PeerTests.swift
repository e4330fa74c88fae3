#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import TesseraBench

/// A peer that crashes, is killed, or prints garbage becomes a `skipped` row quoting its stderr tail;
/// the fake interpreters are shell scripts standing in for `--python`.
@Suite struct PeerTests {
    /// Writes `body` as an executable shell script in a fresh temporary directory; returns its path.
    static func fakePython(_ body: String) -> String {
        var template = Array("/tmp/tessera-peer-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let path = directory + "/python3"
        let file = fopen(path, "w")!
        fputs("#!/bin/sh\n" + body + "\n", file)
        fclose(file)
        chmod(path, 0o755)
        return path
    }

    static let spec = WorkloadSpec(.distance, n: 100, d: 4)
    static let settings = HarnessSettings(repeats: 1)

    @Test func nonZeroExitQuotesTheLastFiveStderrLines() async {
        let python = Self.fakePython("for i in 1 2 3 4 5 6 7; do echo \"line $i\" >&2; done\necho partial\nexit 3")
        let outcome = await Peers.run(.numpy, Self.spec, settings: Self.settings, python: python)
        #expect(outcome.results.count == 1)
        let row = outcome.results[0]
        #expect(row.implementation == "numpy")
        #expect(row.params == ["n": 100, "d": 4])
        #expect(row.skipped == "\(python) exited with status 3: line 3 | line 4 | line 5 | line 6 | line 7")
    }

    @Test func killedBySignal() async {
        let python = Self.fakePython("echo 'Fatal Python error: Segmentation fault' >&2\nkill -9 $$")
        let outcome = await Peers.run(.torch, Self.spec, settings: Self.settings, python: python)
        #expect(outcome.results.map(\.implementation) == ["torch"])
        #expect(outcome.results[0].skipped == "\(python) was killed by signal 9: Fatal Python error: Segmentation fault")
    }

    @Test func garbageOnStdout() async {
        let python = Self.fakePython("echo 'Traceback: not json' >&2\necho '{not json'\nexit 0")
        let outcome = await Peers.run(.numpy, Self.spec, settings: Self.settings, python: python)
        #expect(outcome.results[0].skipped == "\(python) printed no JSON result ('{not json' on stdout); stderr: Traceback: not json")
    }

    @Test func silentFailure() async {
        let python = Self.fakePython("exit 1")
        let outcome = await Peers.run(.numpy, Self.spec, settings: Self.settings, python: python)
        #expect(outcome.results[0].skipped == "\(python) exited with status 1 (no stderr)")
    }

    @Test func missingInterpreter() async {
        let outcome = await Peers.run(.numpy, Self.spec, settings: Self.settings, python: "/nonexistent/python3")
        #expect(outcome.results[0].skipped == "cannot run /nonexistent/python3: not found (use --python or TESSERA_PYTHON)")
        let unknown = await Peers.run(.numpy, Self.spec, settings: Self.settings, python: "no-such-python-3.99")
        #expect(unknown.results[0].skipped == "cannot run no-such-python-3.99: not found (use --python or TESSERA_PYTHON)")
    }

    /// 1 MiB of stderr before the answer: both pipes are drained together, so the child never stalls.
    @Test func floodOfStderrThenAnAnswer() async {
        let reply = #"{"peer": "torch 9.9", "results": [{"workload": "distance", "implementation": "torch.compile", "device": "cuda", "params": {"n": 100, "d": 4}, "median_ms": 0.25, "min_ms": 0.24, "max_ms": 0.3, "iqr_ms": 0.01, "samples": 9, "max_rel_error": 1e-7, "check": "ok"}]}"#
        let python = Self.fakePython("head -c 1048576 /dev/zero | tr '\\0' 'w' >&2\necho 'import noise'\necho '\(reply)'")
        let outcome = await Peers.run(.torch, Self.spec, settings: Self.settings, python: python)
        #expect(outcome.library == "torch 9.9")
        #expect(outcome.results.count == 1)
        #expect(outcome.results[0].implementation == "torch.compile")
        #expect(outcome.results[0].device == "cuda")
        #expect(outcome.results[0].skipped == nil)
    }

    @Test func theRunGoesOnAfterACrashingPeer() async {
        let python = Self.fakePython("echo boom >&2\nexit 2")
        let specs = [WorkloadSpec(.transfer, n: 10), WorkloadSpec(.transfer, n: 20)]
        let progress = BenchProgress(fd: -1)
        let run = await BenchRunner.run(specs, settings: Self.settings, peers: [.torch], python: python, progress: progress)
        #expect(run.results.map(\.implementation) == ["tessera", "torch", "tessera", "torch"])
        #expect(run.results[1].skipped == "\(python) exited with status 2: boom")
        #expect(run.results[3].params == ["n": 20])
        #expect(progress.done == 4)
    }

    @Test func numpyHasNothingToTransfer() async {
        let outcome = await Peers.run(.numpy, WorkloadSpec(.transfer, n: 10), settings: Self.settings, python: "/nonexistent")
        #expect(outcome.results[0].skipped == "NumPy runs on the CPU only; there is no device to transfer to")
        #expect(outcome.results[0].device == "cuda")
    }

    /// With the real `python3` (when there is one), a missing torch is a reason, not a crash.
    @Test func torchPeerWithoutTorch() async {
        let outcome = await Peers.run(.torch, WorkloadSpec(.multiply, n: 4), settings: Self.settings, python: "python3")
        let reasons = outcome.results.compactMap(\.skipped)
        if reasons.first?.hasPrefix("cannot run python3") == true { return }  // no Python here
        #expect(outcome.results.allSatisfy { $0.implementation == "torch" })
        if outcome.library == nil {
            #expect(reasons == ["torch not installed: No module named 'torch'; pip install torch"])
        }
    }

    @Test func peerScriptsAreShown() async {
        #expect(Peer.torch.script.contains("torch.cuda.synchronize"))
        #expect(Peer.torch.script.contains("torch.compile"))
        #expect(Peer.numpy.script.contains("import numpy as np"))
    }
}
