import Testing
@testable import Tessera

@Suite("Recording backend")
struct RecordingBackendTests {
    @Test func recordsTransfersAndKernelsInOrder() {
        let recorder = RecordingBackend()
        Backends.using(recorder) {
            let x = Tensor([[1.0, 2], [3, 4]]).to(.cuda(0))
            #expect(x.device == .cuda(0))
            (x * 2).eval()
        }
        #expect(recorder.launches.map(\.description) == ["copy 16 bytes", "fused[mul] inputs=1 out=[2, 2]"])
    }

    @Test func standsInOnlyWithinItsScope() throws {
        let recorder = RecordingBackend()
        Backends.using(recorder) { #expect(Device.cuda(0).isAvailable) }
        #expect(!Device.cuda(0).isAvailable)
        #expect(throws: TesseraError(.library, "this Tessera build has no CUDA backend", location: "cuda:0")) {
            try Device.cuda(0).checkAvailable()
        }
        #expect(Device.available == [.cpu])
    }

    @Test func randomDrawsRunOnTheirDevice() {
        let recorder = RecordingBackend()
        Backends.using(recorder) { Tensor.randn([4, 3], seed: 1, device: .cuda(0)).eval() }
        #expect(recorder.launches.map(\.name) == ["randn"])
        #expect(recorder.launches.first?.outputShape == [4, 3])
    }
}
