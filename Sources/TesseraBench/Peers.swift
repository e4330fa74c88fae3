#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// A library that runs the same workloads for comparison, in a child process.
public enum Peer: String, CaseIterable, Sendable {
    case numpy
    /// PyTorch eager on the CPU and, when `torch.cuda.is_available()`, on CUDA; `torch.compile` on CUDA.
    case torch

    /// The Python source this peer runs (`tessera bench --show-peer-code`).
    public var script: String {
        switch self {
        case .numpy: Peers.numpyPeerScript
        case .torch: Peers.torchPeerScript
        }
    }

    /// Parses `--compare numpy,torch`; a one-line error names an unknown peer.
    public static func list(_ text: String) throws -> [Peer] {
        var peers: [Peer] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(item.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            guard let peer = Peer(rawValue: name) else {
                let known = Peer.allCases.map(\.rawValue).joined(separator: ", ")
                throw BenchInputError("--compare \(text): unknown peer '\(name)' (available: \(known))")
            }
            if !peers.contains(peer) { peers.append(peer) }
        }
        return peers
    }
}

/// What a peer run gave: its rows, or why it did not run.
public struct PeerOutcome: Sendable {
    /// The peer library and its BLAS, e.g. `numpy 2.4.6 (scipy-openblas 0.3.31)`.
    public var library: String?
    public var results: [BenchResult]
}

/// Runs a peer script with a Python found by `--python`, `TESSERA_PYTHON`, `.peers/bin/python` (what
/// `scripts/install-peers.sh` makes, when run from the repository root), then `python3` on `PATH`.
public enum Peers {
    /// How many lines of a failed peer's stderr its `skipped` reason quotes.
    public static let stderrTailLines = 5

    /// The environment `scripts/install-peers.sh` installs NumPy and PyTorch into.
    public static let installedPeers = ".peers/bin/python"

    /// The interpreter to use: the explicit one, `TESSERA_PYTHON`, the installed peers' environment in
    /// the current directory, or `python3` looked up on `PATH`.
    public static func interpreter(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let value = getenv("TESSERA_PYTHON").map({ String(cString: $0) }), !value.isEmpty { return value }
        if access(installedPeers, X_OK) == 0 { return installedPeers }
        return "python3"
    }

    /// Runs `spec` in the peer with the same timing rules; on any failure (missing library, a crash, a
    /// signal, garbage on stdout) the row says `skipped` and why, quoting the tail of the peer's stderr.
    public static func run(_ peer: Peer, _ spec: WorkloadSpec, settings: HarnessSettings, python: String) async -> PeerOutcome {
        func skipped(_ reason: String) -> PeerOutcome {
            var row = BenchResult(workload: spec.workload.rawValue, implementation: peer.rawValue, params: spec.params)
            row.skipped = reason
            if spec.workload == .transfer { row.device = "cuda" }
            return PeerOutcome(library: nil, results: [row])
        }
        if peer == .numpy && spec.workload == .transfer {
            return skipped("NumPy runs on the CPU only; there is no device to transfer to")
        }
        var arguments = [python, "-c", peer.script, spec.workload.rawValue, "--n", String(spec.n),
                         "--d", String(spec.d), "--target", String(settings.targetSeconds),
                         "--min-samples", String(settings.minSamples), "--max-samples", String(settings.maxSamples),
                         "--warmup", String(settings.warmup)]
        if let repeats = settings.repeats { arguments += ["--repeats", String(repeats)] }
        let result: ChildProcess.Output
        switch await ChildProcess.run(arguments) {
        case .failure(let error): return skipped(error.message)
        case .success(let output): result = output
        }
        let tail = stderrTail(result.stderr)
        let quoted = tail.isEmpty ? " (no stderr)" : ": " + tail
        if let signal = result.signal {
            return skipped("\(python) was killed by signal \(signal)\(quoted)")
        }
        guard result.status == 0 else {
            return skipped("\(python) exited with status \(result.status)\(quoted)")
        }
        struct Reply: Decodable {
            var peer: String?
            var results: [BenchResult]?
            var skipped: String?
        }
        // The JSON is the last line; anything before it is stray output from imports.
        let lines = result.stdout.split(separator: UInt8(ascii: "\n"))
        let lastLine = lines.last.map(Array.init) ?? []
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(lastLine)) else {
            let shown = String(decoding: lastLine.prefix(80), as: UTF8.self)
            let stdoutNote = lastLine.isEmpty ? "nothing on stdout" : "'\(shown)\(lastLine.count > 80 ? "…" : "")' on stdout"
            return skipped("\(python) printed no JSON result (\(stdoutNote))\(tail.isEmpty ? "" : "; stderr: " + tail)")
        }
        if let reason = reply.skipped { return skipped(reason) }
        return PeerOutcome(library: reply.peer, results: reply.results ?? [])
    }

    /// The last `stderrTailLines` non-blank lines of `bytes`, joined with " | ".
    static func stderrTail(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String($0.drop(while: { $0 == " " || $0 == "\t" })) }
            .filter { !$0.isEmpty }
        return lines.suffix(stderrTailLines).joined(separator: " | ")
    }

    /// The Python source of the NumPy peer (`tessera bench --show-peer-code`).
    public static let numpyPeerScript = #"""
# Tessera's NumPy peer: runs one benchmark workload in NumPy, timed like Tessera's harness, and prints
# one JSON object on stdout. Printed by `tessera bench --show-peer-code`.
"""# + peerHarness + #"""


def rel(got, expected):
    import numpy as np
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return float(np.max(np.abs(got - expected) / np.maximum(np.abs(expected), np.finfo(np.float64).tiny)))


def library(np):
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "numpy %s (%s %s)" % (np.__version__, blas.get("name", "?"), blas.get("version", "?"))
    except Exception:
        return "numpy %s" % np.__version__


def main():
    a = arguments(["distance", "multiply", "matmul", "bandwidth"])
    try:
        import numpy as np
    except Exception as e:
        print(json.dumps({"skipped": "numpy cannot be imported (%s); pip install numpy" % e}))
        return
    t = lambda fn: timing(fn, lambda: None, a.repeats, a.target, a.min_samples, a.max_samples, a.warmup)
    rng = np.random.default_rng(0)
    pick = np.random.default_rng(42)
    results = []
    n, d = a.n, a.d
    if a.workload == "distance":
        X = rng.random((n, d), dtype=np.float32)
        r = rng.random(d, dtype=np.float32)
        out = {}
        def f():
            out["d"] = np.sqrt(np.sum((X - r) ** 2, axis=1))
        s = t(f)
        rows = np.concatenate([np.arange(min(n, 10)), pick.integers(0, n, 300)])
        ref = np.sqrt(np.sum((X[rows].astype(np.float64) - r.astype(np.float64)) ** 2, axis=1))
        results.append(row("distance", {"n": n, "d": d}, "cpu", s, rel(out["d"][rows], ref), 1e-5,
                           implementation="numpy", nbytes=(n * d + n + d) * 4))
    elif a.workload == "multiply":
        A = rng.random((n, n), dtype=np.float32)
        B = rng.random((n, n), dtype=np.float32)
        C = np.empty_like(A)
        s = t(lambda: np.multiply(A, B, out=C))
        idx = pick.integers(0, n * n, 1000)
        err = rel(C.ravel()[idx], A.ravel()[idx].astype(np.float64) * B.ravel()[idx])
        results.append(row("multiply", {"n": n}, "cpu", s, err, 1e-6, implementation="numpy",
                           nbytes=3 * n * n * 4))
    elif a.workload == "matmul":
        A = rng.random((n, n), dtype=np.float32)
        B = rng.random((n, n), dtype=np.float32)
        out = {}
        def f():
            out["c"] = A @ B
        s = t(f)
        i = np.concatenate([[0], pick.integers(0, n, 31)])
        j = np.concatenate([[0], pick.integers(0, n, 31)])
        ref = np.einsum("kp,pk->k", A[i].astype(np.float64), B[:, j].astype(np.float64))
        results.append(row("matmul", {"n": n}, "cpu", s, rel(out["c"][i, j], ref), 1e-4,
                           implementation="numpy", flops=2.0 * n ** 3))
    else:
        X = rng.random((n, d), dtype=np.float32)
        out = {}
        def f():
            out["s"] = X.sum()
        s = t(f)
        results.append(row("bandwidth", {"n": n, "d": d}, "cpu", s, rel(out["s"], X.sum(dtype=np.float64)), 1e-5,
                           implementation="numpy", variant="sum", nbytes=n * d * 4))
        Y = np.empty_like(X)
        s = t(lambda: np.copyto(Y, X))
        idx = pick.integers(0, n * d, 1000)
        results.append(row("bandwidth", {"n": n, "d": d}, "cpu", s, rel(Y.ravel()[idx], X.ravel()[idx]), 0,
                           implementation="numpy", variant="copy", nbytes=n * d * 8))
    print(json.dumps({"peer": library(np), "results": results}))


if __name__ == "__main__":
    main()
"""#
}
