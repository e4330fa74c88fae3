#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tessera

/// Runs workloads on Tessera and validates every answer against float64 on a sample.
public enum Workloads {
    /// Runs `spec` on Tessera, on `device`; one row per path timed.
    public static func run(_ spec: WorkloadSpec, settings: HarnessSettings, device: Device = .cpu) -> [BenchResult] {
        var rows: [BenchResult] = switch spec.workload {
        case .distance: [distance(spec, settings, device)]
        case .multiply: [multiply(spec, settings, device)]
        case .matmul: matmul(spec, settings, device)
        case .bandwidth: bandwidth(spec, settings, device)
        case .transfer: [transfer(spec)]
        }
        for i in rows.indices where spec.workload != .transfer { rows[i].device = device.description }
        return rows
    }

    // MARK: - Host↔device transfer

    /// Skipped while no GPU can be used; the row keeps the case in reports.
    static func transfer(_ spec: WorkloadSpec) -> BenchResult {
        var row = BenchResult(workload: "transfer", implementation: "tessera", params: spec.params)
        row.device = "cuda"
        do throws(TesseraError) {
            try Device.cuda(0).checkAvailable()
            row.skipped = "the transfer benchmark needs pinned host memory, which this backend does not offer yet"
        } catch {
            row.skipped = "no CUDA device: \(error.message)"
        }
        return row
    }

    // MARK: - Seed 000: distance

    static func distance(_ spec: WorkloadSpec, _ settings: HarnessSettings, _ device: Device) -> BenchResult {
        let (n, d) = (spec.n, spec.d)
        let x = uniform([n, d], seed: 0, device)
        let r = uniform([d], seed: 1, device)
        var result = BenchResult(workload: "distance", implementation: "tessera", variant: "fused", params: spec.params)
        var last = Tensor.zeros([0], device: device)
        let timing = Harness.measure(settings) {
            last = ((x - r) ** 2).sum(axis: 1).sqrt().eval()
        }
        result.record(timing, bytes: Double(n * d + n + d) * 4)

        var rng = SplitMix64(seed: 42)
        let rows = Array(0..<min(n, 10)) + (0..<300).map { _ in rng.below(n) }
        let worst = withFloats(x, r, last) { px, pr, pd in
            rows.map { i in
                var s = 0.0
                for j in 0..<d {
                    let diff = Double(px[i * d + j]) - Double(pr[j])
                    s += diff * diff
                }
                return relativeError(Double(pd[i]), s.squareRoot())
            }.max() ?? 0
        }
        result.validate(maxRelativeError: worst, tolerance: 1e-5)
        return result
    }

    // MARK: - Seed 004: elementwise multiply

    static func multiply(_ spec: WorkloadSpec, _ settings: HarnessSettings, _ device: Device) -> BenchResult {
        let n = spec.n
        let a = uniform([n, n], seed: 2, device)
        let b = uniform([n, n], seed: 3, device)
        var result = BenchResult(workload: "multiply", implementation: "tessera", params: spec.params)
        var last = Tensor.zeros([0], device: device)
        let timing = Harness.measure(settings) {
            last = Tensor.zeros([0], device: device)  // frees the previous product first, as NumPy's out= reuses its buffer
            last = (a * b).eval()
        }
        result.record(timing, bytes: Double(3 * n * n) * 4)

        var rng = SplitMix64(seed: 43)
        let samples = (0..<1000).map { _ in rng.below(n * n) }
        let worst = withFloats(a, b, last) { pa, pb, pc in
            samples.map { relativeError(Double(pc[$0]), Double(pa[$0]) * Double(pb[$0])) }.max() ?? 0
        }
        result.validate(maxRelativeError: worst, tolerance: 1e-6)
        return result
    }

    // MARK: - Seed 003: matmul

    static func matmul(_ spec: WorkloadSpec, _ settings: HarnessSettings, _ device: Device) -> [BenchResult] {
        let n = spec.n
        let a = uniform([n, n], seed: 4, device)
        let b = uniform([n, n], seed: 5, device)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        var rows: [BenchResult] = []

        if spec.gemm != .builtin || device != .cpu {
            let variant = device != .cpu ? "default" : BLAS.loaded == nil ? "builtin" : "blas"
            var result = BenchResult(workload: "matmul", implementation: "tessera", variant: variant, params: spec.params)
            var last = Tensor.zeros([0], device: device)
            let timing = Harness.measure(settings) {
                last = Tensor.zeros([0], device: device)
                last = a.matmul(b).eval()
            }
            result.record(timing, flops: flops)
            result.validate(maxRelativeError: withFloats(a, b, last) { matmulError($0, $1, $2, n: n) }, tolerance: 1e-4)
            rows.append(result)
        }
        // The built-in GEMM is a CPU kernel, timed on its own next to the BLAS that Tensor.matmul uses.
        if device == .cpu && (spec.gemm == .builtin || (spec.gemm == .both && BLAS.loaded != nil)) {
            var result = BenchResult(workload: "matmul", implementation: "tessera", variant: "builtin", params: spec.params)
            let c = Buffer.host(bytes: n * n * 4)
            let pc = c.pointer.bindMemory(to: Float.self, capacity: n * n)
            let error = withFloats(a, b, a) { pa, pb, _ in
                let timing = Harness.measure(settings) {
                    GEMM.multiplyBuiltIn(m: n, n: n, k: n, a: pa, lda: n, transA: false, b: pb, ldb: n, transB: false,
                                         c: pc, ldc: n, accumulate: false)
                }
                result.record(timing, flops: flops)
                return matmulError(pa, pb, pc, n: n)
            }
            result.validate(maxRelativeError: error, tolerance: 1e-4)
            rows.append(result)
        }
        return rows
    }

    /// The largest relative error of 32 sampled elements of `c = a · b`, computed in float64.
    static func matmulError(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, n: Int) -> Double {
        var rng = SplitMix64(seed: 44)
        var worst = 0.0
        for s in 0..<32 {
            let (i, j) = s == 0 ? (0, 0) : (rng.below(n), rng.below(n))
            var sum = 0.0
            for p in 0..<n { sum += Double(a[i * n + p]) * Double(b[p * n + j]) }
            worst = max(worst, relativeError(Double(c[i * n + j]), sum))
        }
        return worst
    }

    // MARK: - Memory floor

    static func bandwidth(_ spec: WorkloadSpec, _ settings: HarnessSettings, _ device: Device) -> [BenchResult] {
        let (n, d) = (spec.n, spec.d)
        let count = n * d
        let x = uniform([n, d], seed: 0, device)

        var sum = BenchResult(workload: "bandwidth", implementation: "tessera", variant: "sum", params: spec.params)
        var total = Tensor.zeros([], device: device)
        let sumTiming = Harness.measure(settings) { total = x.sum().eval() }
        sum.record(sumTiming, bytes: Double(count) * 4)
        let exact = x.withUnsafeElements(as: Float.self) { parallelSum($0.baseAddress!, count: count) }
        sum.validate(maxRelativeError: relativeError(total.item(), exact), tolerance: 1e-5)

        // The backend's own copy within the device (memcpy on all cores on the CPU).
        var copy = BenchResult(workload: "bandwidth", implementation: "tessera", variant: "copy", params: spec.params)
        var target = Tensor.zeros([0], device: device)
        let copyTiming = Harness.measure(settings) {
            target = Tensor.zeros([0], device: device)
            target = x.clone().eval()
        }
        copy.record(copyTiming, bytes: Double(count) * 8)
        var rng = SplitMix64(seed: 45)
        let samples = (0..<1000).map { _ in rng.below(count) }
        let differ = withFloats(x, target, x) { px, pt, _ in
            samples.map { relativeError(Double(pt[$0]), Double(px[$0])) }.max() ?? 0
        }
        copy.validate(maxRelativeError: differ, tolerance: 0)
        return [sum, copy]
    }

    // MARK: - Helpers

    /// Uniform [0, 1) float32 data on `device`, made and realized before any timing.
    static func uniform(_ shape: [Int], seed: UInt64, _ device: Device) -> Tensor {
        Tensor.rand(shape, seed: seed, device: device).eval()
    }

    /// Calls `body` with the float32 elements of three tensors in host memory (copied from the device
    /// when they are elsewhere), for checking answers outside the timed runs.
    static func withFloats<R>(_ a: Tensor, _ b: Tensor, _ c: Tensor,
                              _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
        a.withUnsafeElements(as: Float.self) { pa in
            b.withUnsafeElements(as: Float.self) { pb in
                c.withUnsafeElements(as: Float.self) { pc in body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
            }
        }
    }

    /// The float64 sum of `count` floats, on all cores (blocks of 4096 keep rounding error tiny).
    static func parallelSum(_ p: UnsafePointer<Float>, count: Int) -> Double {
        let chunks = max(1, min(cpuThreadCount, count / 65_536))
        let partials = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partials.deallocate() }
        let out = SendablePointer(partials), input = SendablePointer(UnsafeMutablePointer(mutating: p))
        parallelFor(chunks) { c in
            var s = 0.0
            for i in (count * c / chunks)..<(count * (c + 1) / chunks) { s += Double(input.base[i]) }
            out.base[c] = s
        }
        return (0..<chunks).reduce(0.0) { $0 + partials[$1] }
    }

    static func relativeError(_ got: Double, _ expected: Double) -> Double {
        if got == expected { return 0 }
        return abs(got - expected) / max(abs(expected), Double.leastNormalMagnitude)
    }
}
