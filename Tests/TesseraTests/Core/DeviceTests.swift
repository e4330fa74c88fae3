import Testing
@testable import Tessera

@Suite("Devices")
struct DeviceTests {
    @Test func parsingAndSpelling() {
        #expect(Device(parsing: "cpu") == .cpu)
        #expect(Device(parsing: "cuda") == .cuda(0))
        #expect(Device(parsing: "cuda:3") == .cuda(3))
        for bad in ["gpu", "cuda:", "cuda:-1", "cuda:x", "CPU"] { #expect(Device(parsing: bad) == nil, "\(bad)") }
        #expect(Device.cuda(2).description == "cuda:2" && Device.cpu.description == "cpu")
    }

    @Test func toTheSameDeviceIsTheTensorItself() {
        let x = Tensor([1.0, 2, 3])
        #expect(x.to(.cpu).node === x.node && x.cpu().node === x.node)
    }

    /// `clone` copies into new memory; its gradient flows back unchanged.
    @Test func cloneCopiesAndPassesGradients() {
        let x = Tensor([[1.0, -2], [3, 0.5]], dtype: .float64)
        let copy = x.clone().eval()
        #expect(copy.toArray() == x.toArray())
        #expect(copy.node.storage!.buffer !== x.node.storage!.buffer)
        let leaf = x.detach()
        leaf.requiresGrad = true
        (leaf.clone() * leaf).sum().backward()
        #expect(leaf.grad?.toArray() == x.toArray().map { 2 * $0 })
    }

    /// A strided view is cloned densely.
    @Test func cloneOfAViewIsDense() {
        let x = Tensor(shape: [3, 4], scalars: (0..<12).map(Double.init), dtype: .float32)
        let t = x.T.clone().eval()
        #expect(t.node.storage!.layout.isContiguous)
        #expect(t.toArray() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    }
}
