import Testing
import TesseraSelfTest
@testable import Tessera

// Scheduling decisions, checked on a recording backend standing in for cuda:0: what would be launched,
// with its IR, and that nothing runs while scheduling.

/// Host values moved to the recording device (the copy is recorded, nothing is read back).
private func onRecorder(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = SplitMix64(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in rng.uniform(-1, 1) }, dtype: .float32)
        .to(.cuda(0))
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test func schedulingRunsNothing() throws {
        let recorder = RecordingBackend()
        try Backends.using(recorder) {
            let x = onRecorder([100, 8], seed: 1), r = onRecorder([8], seed: 2)
            let d = ((x - r) ** 2).sum(axis: 1).sqrt()
            let schedule = try Scheduler.schedule([d.node])
            #expect(recorder.launches.isEmpty, "\(recorder.launches)")
            #expect(!d.isRealized && !x.isRealized)
            #expect(schedule.kernels.map(\.kernel.name) == ["copy", "copy", "fused"])
        }
    }

    /// The seed-000 distance is one kernel: the difference, square and row sum in the prologue, the
    /// square root in the epilogue; `x` read densely, `r` broadcast along the rows.
    @Test func distanceIsOneKernel() throws {
        let recorder = RecordingBackend()
        Backends.using(recorder) {
            let x = onRecorder([100, 8], seed: 1), r = onRecorder([8], seed: 2)
            ((x - r) ** 2).sum(axis: 1).sqrt().eval()
        }
        let fused = recorder.launches.compactMap { launch -> FusedKernel? in
            if case .fused(let kernel) = launch { return kernel }
            return nil
        }
        #expect(recorder.launches.map(\.name) == ["copy", "copy", "fused"])
        guard let kernel = fused.first else { return }
        #expect(kernel.reduction == KernelReduction(op: .sum, axes: [1]))
        #expect(kernel.main.opNames == ["sub", "mul"])
        #expect(kernel.epilogue?.opNames == ["sqrt"])
        #expect(kernel.inputs.map(\.layout.strides) == [[8, 1], [0, 1]])
        #expect(kernel.outputShape == [100])
    }

    /// The gradient of the distance's sum runs as two fused kernels: the per-row factor (a reduction)
    /// and the elementwise gradient of `x`.
    @Test func gradientsFuse() {
        let recorder = RecordingBackend()
        Backends.using(recorder) {
            let x = onRecorder([100, 8], seed: 3).detach(), r = onRecorder([8], seed: 4)
            x.requiresGrad = true
            ((x - r) ** 2).sum(axis: 1).sqrt().sum().backward()
        }
        let kernels = recorder.launches.filter { $0.name != "copy" }
        #expect(kernels.count == 2, "\(kernels)")
        #expect(kernels.allSatisfy { $0.name == "fused" }, "\(kernels)")
        #expect(kernels.last?.outputShape == [100, 8])
    }

    /// A product that needs no gradient takes the elementwise ops after it (bias, activation) as its
    /// epilogue; one that gradients need stays a kernel of its own.
    @Test func matmulTakesItsEpilogue() {
        let inference = RecordingBackend()
        Backends.using(inference) {
            let x = onRecorder([16, 8], seed: 5), w = onRecorder([8, 4], seed: 6), b = onRecorder([4], seed: 7)
            withoutGrad { (x.matmul(w) + b).relu().eval() }
        }
        let products = inference.launches.filter { $0.name == "matmul" }
        #expect(products.count == 1 && inference.launches.count == 4, "\(inference.launches)")
        if case .matmul(let kernel)? = products.first {
            #expect(kernel.epilogue?.opNames == ["add", "le", "where"])
            #expect(kernel.inputs.count == 3)
        }

        let training = RecordingBackend()
        Backends.using(training) {
            let x = onRecorder([16, 8], seed: 5), w = onRecorder([8, 4], seed: 6).detach()
            w.requiresGrad = true
            x.matmul(w).relu().eval()
        }
        #expect(training.launches.map(\.name).suffix(2) == ["matmul", "fused"], "\(training.launches)")
    }

    @Test func missingKernelIsAnError() {
        let recorder = RecordingBackend(kernels: ["gather"])
        Backends.using(recorder) {
            let x = onRecorder([3, 4], seed: 8)
            #expect(throws: TesseraError(.unsupported, "[argsort] has no kernel on cuda:0")) {
                try Scheduler.schedule([x.argsort(axis: 1).node])
            }
        }
        #expect(recorder.launches.isEmpty)
    }

    /// Building composites that stop gradients or densify views computes nothing.
    @Test func detachAndContiguousAreLazy() {
        let recorder = RecordingBackend()
        Backends.using(recorder) {
            let x = onRecorder([6, 5], seed: 9)
            let softmax = x.softmax(axis: 1), lse = x.logSumExp(axis: 0), dense = x.T[1...].contiguous()
            #expect(recorder.launches.isEmpty, "\(recorder.launches)")
            #expect(!softmax.isRealized && !lse.isRealized && !dense.isRealized)
        }
    }

    /// A reshape that has no strided form copies its input once, then views the copy.
    @Test func reshapeOfTransposeCopiesOnce() {
        let recorder = RecordingBackend()
        Backends.using(recorder) {
            onRecorder([3, 4], seed: 10).T.reshape([12]).exp().eval()
        }
        #expect(recorder.launches.map(\.name) == ["copy", "fused", "fused"], "\(recorder.launches)")
        if case .fused(let copy)? = recorder.launches.dropFirst().first {
            #expect(copy.inputs.map(\.layout.strides) == [[1, 4]])
        }
    }
}
