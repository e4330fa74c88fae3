import Testing
@testable import Tessera

// backward, grad accumulation, zeroGrad, detach and valueWithGradient on small graphs whose gradients
// are written down by hand (the seed-004 example among them).

@Suite("Autograd")
struct AutogradTests {
    /// The seed notebook's example: g = (x + y) · z at x = 1, y = 2, z = 3.
    @Test func seedExample() {
        let x = Tensor(1.0), y = Tensor(2.0), z = Tensor(3.0)
        for t in [x, y, z] { t.requiresGrad = true }
        ((x + y) * z).backward()
        #expect(x.grad?.item() == 3 && y.grad?.item() == 3 && z.grad?.item() == 3)
    }

    /// Gradients add up over backward passes until `zeroGrad` clears them, as in PyTorch.
    @Test func gradientsAccumulateUntilCleared() {
        let w = Tensor([1.0, -2], dtype: .float64)
        w.requiresGrad = true
        (w * w).sum().backward()
        (w * 3).sum().backward()
        #expect(w.grad?.toArray() == [2 + 3, -4 + 3])
        w.zeroGrad()
        #expect(w.grad == nil)
        (w * w).sum().backward()
        #expect(w.grad?.toArray() == [2, -4])
    }

    /// No gradient flows through a detach; a detach can be a leaf of its own.
    @Test func detachStopsGradients() {
        let x = Tensor([2.0, 5], dtype: .float64)
        x.requiresGrad = true
        (x * x.detach()).sum().backward()
        #expect(x.grad?.toArray() == [2, 5])
        let leaf = (x * 10).detach()
        leaf.requiresGrad = true
        (leaf * leaf).sum().backward()
        #expect(leaf.grad?.toArray() == [40, 100])
        #expect(x.grad?.toArray() == [2, 5], "the detach passes nothing back to x")
    }

    @Test func valueWithGradientAndNoGrad() {
        let (value, gradient) = valueWithGradient(at: Tensor([1.0, 2, 3], dtype: .float64)) { ($0 * $0).sum() }
        #expect(value.item() == 14 && gradient.toArray() == [2, 4, 6])
        let w = Tensor([1.0], dtype: .float64)
        w.requiresGrad = true
        let y = withoutGrad { w * 2 }
        #expect(!y.requiresGrad)
    }
}
