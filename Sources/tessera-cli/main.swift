import Glibc
import Tessera
let x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
let r = Tensor([1.0, 1.0, 1.0])
let d = ((x - r) ** 2).sum(axis: 1).sqrt()
print(d.toArray(), d.shape, d.dtype)
print((x * 2 + 1).toArray())
print(x.sum().toArray(), x.max(axis: 0).toArray(), x.argmax(axis: 1).toArray(), x.mean(axis: 1).toArray())
print(x.T.toArray(), x[0..<1].toArray())
let w = Tensor([0.5, -1.0, 2.0]); w.requiresGrad = true
let loss = ((x * w).sum(axis: 1) ** 2).sum()
loss.backward()
print(loss.item(), w.grad!.toArray())
let n = 5_000_000, dd = 32
let big = Tensor(shape: [n, dd], scalars: (0..<n*dd).map { Float($0 % 97) * 0.01 })
let ref = Tensor(shape: [dd], scalars: (0..<dd).map { Float($0) * 0.03 })
for _ in 0..<5 {
  let t0 = monotonic(); let dist = ((big - ref) ** 2).sum(axis: 1).sqrt().eval(); let t1 = monotonic()
  print("distance ms", (t1 - t0) * 1000, dist.shape)
}
for _ in 0..<3 {
  let t0 = monotonic(); let s = big.sum().eval(); let t1 = monotonic()
  print("sum ms", (t1 - t0) * 1000, s.item())
}
let kernels = KernelTrace.record { _ = ((big - ref) ** 2).sum(axis: 1).sqrt().eval() }
print(kernels)
func monotonic() -> Double { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9 }
