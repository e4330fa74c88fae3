#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraSelfTest
@testable import Tessera

// The seed-004 example: a tiny MLP fitted by plain gradient descent.
//
// ```swift
// import Tessera
//
// // 64 samples of 4 features, and a target that is partly linear, partly not.
// let X = Tensor.randn([64, 4], seed: 4)
// let y = (X[.all, 0..<1] * 0.8 - X[.all, 1..<2] * 0.5 + (X[.all, 2..<3] * X[.all, 3..<4]).tanh() * 0.3)
//
// var W1 = Tensor.randn([4, 16], seed: 5) * 0.5, b1 = Tensor.zeros([16])
// var W2 = Tensor.randn([16, 1], seed: 6) * 0.25, b2 = Tensor.zeros([1])
// let lr = 0.05
// for step in 0..<200 {
//     for p in [W1, b1, W2, b2] { p.requiresGrad = true }
//     let pred = (X.matmul(W1) + b1).relu().matmul(W2) + b2
//     let loss = ((pred - y) ** 2).mean()
//     loss.backward()
//     withoutGrad {
//         W1 = (W1 - lr * W1.grad!).detach(); b1 = (b1 - lr * b1.grad!).detach()
//         W2 = (W2 - lr * W2.grad!).detach(); b2 = (b2 - lr * b2.grad!).detach()
//     }
//     if step % 50 == 0 { print(step, loss.item()) }
// }
// ```
//
// The test makes its inputs with a small LCG instead of `randn` so that the plain-Swift reference
// below can recompute the first forward pass and loss independently.

private struct MLPData {
    var x: [Double]   // [64, 4]
    var y: [Double]   // [64, 1]
    var w1: [Double]  // [4, 16]
    var b1: [Double]  // [16]
    var w2: [Double]  // [16, 1]
    var b2: [Double]  // [1]

    static let (n, d, h) = (64, 4, 16)

    static func make() -> MLPData {
        var rng = SplitMix64(seed: 4)
        let x = (0..<n * d).map { _ in rng.uniform(-1, 1) }
        let y = (0..<n).map { i in
            let r = Array(x[i * d..<(i + 1) * d])
            return 0.8 * r[0] - 0.5 * r[1] + 0.3 * tanh(2 * r[2] * r[3]) + 0.1
        }
        let w1 = (0..<d * h).map { _ in rng.uniform(-0.8, 0.8) }
        let b1 = (0..<h).map { _ in rng.uniform(-0.1, 0.1) }
        let w2 = (0..<h).map { _ in rng.uniform(-0.4, 0.4) }
        return MLPData(x: x, y: y, w1: w1, b1: b1, w2: w2, b2: [0.05])
    }

    /// The MSE loss computed with plain loops in float64.
    func referenceLoss() -> Double {
        var total = 0.0
        for i in 0..<MLPData.n {
            var out = b2[0]
            for j in 0..<MLPData.h {
                var z = b1[j]
                for k in 0..<MLPData.d { z += x[i * MLPData.d + k] * w1[k * MLPData.h + j] }
                out += Swift.max(z, 0) * w2[j]
            }
            total += (out - y[i]) * (out - y[i])
        }
        return total / Double(MLPData.n)
    }
}

/// relu(X·W1 + b1)·W2 + b2, and the mean squared error against `y`.
private func mlpLoss(_ x: Tensor, _ y: Tensor, _ p: [Tensor]) -> Tensor {
    let pred = (x.matmul(p[0]) + p[1]).relu().matmul(p[2]) + p[3]
    return ((pred - y) ** 2).mean()
}

@Suite("MLP example (seed 004)")
struct MLPExampleTests {
    @Test func firstStepGradientsMatchFiniteDifferences() {
        let data = MLPData.make()
        let (n, d, h) = (MLPData.n, MLPData.d, MLPData.h)
        let x = Tensor(shape: [n, d], scalars: data.x, dtype: .float64)
        let y = Tensor(shape: [n, 1], scalars: data.y, dtype: .float64)
        let values = [data.w1, data.b1, data.w2, data.b2]
        let shapes = [[d, h], [h], [h, 1], [1]]

        // The loss itself against plain loops.
        let loss0 = withoutGrad { mlpLoss(x, y, zip(shapes, values).map { Tensor(shape: $0, scalars: $1, dtype: .float64) }) }
        #expect(abs(loss0.item() - data.referenceLoss()) <= 1e-12 * (1 + data.referenceLoss()))

        do { expectGradientsMatchFiniteDifferences(
            "MLP first step", inputs: zip(shapes, values).map { OpRef(shape: $0, data: $1) },
            dtypes: [.float64, .float64, .float64, .float64], differentiable: [true, true, true, true],
            { mlpLoss(x, y, $0) }, seed: "mlp") }
    }

    @Test func gradientDescentReducesLossTenfold() {
        let data = MLPData.make()
        let (n, d, h) = (MLPData.n, MLPData.d, MLPData.h)
        let x = Tensor(shape: [n, d], scalars: data.x, dtype: .float32)
        let y = Tensor(shape: [n, 1], scalars: data.y, dtype: .float32)
        var params = [Tensor(shape: [d, h], scalars: data.w1, dtype: .float32),
                      Tensor(shape: [h], scalars: data.b1, dtype: .float32),
                      Tensor(shape: [h, 1], scalars: data.w2, dtype: .float32),
                      Tensor(shape: [1], scalars: data.b2, dtype: .float32)]
        let lr = 0.1
        var losses: [Double] = []
        for _ in 0..<200 {
            for p in params { p.requiresGrad = true }
            let loss = mlpLoss(x, y, params)
            loss.backward()
            losses.append(loss.item())
            params = withoutGrad {
                params.map { p in
                    #expect(p.grad?.shape == p.shape)
                    return (p - lr * p.grad!).detach()
                }
            }
        }
        // The first loss is the float64 reference's, to float32 precision.
        #expect(abs(losses[0] - data.referenceLoss()) <= 1e-5 * (1 + data.referenceLoss()), "\(losses[0])")
        #expect(losses.last! * 10 <= losses[0], "loss went from \(losses[0]) to \(losses.last!)")
        #expect(losses.allSatisfy { $0.isFinite })
        // The trained parameters were updated outside the graph: fresh leaves without gradients.
        #expect(params.allSatisfy { !$0.requiresGrad && $0.grad == nil })
    }
}
