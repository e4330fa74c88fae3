import Tessera

/// Runs a list of workloads on Tessera and, when asked, on each peer right after each one.
public enum BenchRunner {
    /// The rows of every workload in order (Tessera first, then the peers), and the peers' libraries.
    public static func run(_ specs: [WorkloadSpec], settings: HarnessSettings, device: Device = .cpu, peers: [Peer],
                           python: String, progress: BenchProgress = BenchProgress()) async
        -> (results: [BenchResult], peerLibrary: String?) {
        var results: [BenchResult] = []
        var libraries: [String] = []
        progress.total = specs.count * (1 + peers.count)
        for spec in specs {
            let label = "\(spec.workload.rawValue) \(spec.params.sorted { $0.key > $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
            progress.step(label, "tessera")
            results += Workloads.run(spec, settings: settings, device: device)
            for peer in peers {
                progress.step(label, peer.rawValue)
                let outcome = await Peers.run(peer, spec, settings: settings, python: python)
                if let library = outcome.library, !libraries.contains(library) { libraries.append(library) }
                results += outcome.results
            }
        }
        progress.finish()
        return (results, libraries.isEmpty ? nil : libraries.joined(separator: "; "))
    }
}
