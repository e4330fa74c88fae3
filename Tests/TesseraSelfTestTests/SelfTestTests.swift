import Testing
import TesseraSelfTest
@testable import Tessera

// The checks themselves: a wrong reference or a wrong gradient must fail, naming what and where.

@Suite("Self-test checks")
struct SelfTestTests {
    /// `x * x` checked against `x * x + 1`: every element is off by one.
    @Test func aWrongReferenceFails() {
        var row = OpTable.all.first { $0.name == "mul" }!
        row.ref = { OpRef.zip($0) { $0[0] * $0[1] + 1 } }
        row.dtypes = [.float32]
        let failures = row.forwardFailures()
        #expect(failures.count == 3 * 4, "three shape sets, three elements and a count each: \(failures)")
        #expect(failures.first?.hasPrefix("mul float32 shapes [[3, 4], [3, 4]] on cpu: at [0, 0] expected") == true,
                "\(failures.first ?? "")")
    }

    /// A product with one factor detached has half the gradient of `x²`; the finite differences see all of it.
    @Test func aWrongGradientFails() {
        var row = OpTable.all.first { $0.name == "square" }!
        row.op = { $0[0].detach() * $0[0] }
        let failures = row.gradientFailures()
        #expect(failures.count == row.shapes.count, "\(failures)")
        #expect(failures.first?.contains("autograd") == true && failures.first?.contains("finite difference") == true)
    }

    /// A shape mismatch is reported as such, not element by element.
    @Test func aWrongShapeFails() {
        var row = OpTable.all.first { $0.name == "neg" }!
        row.op = { -$0[0].reshape([-1]) }
        row.dtypes = [.float64]
        #expect(row.forwardFailures() == ["neg float64 shapes [[2, 3]] on cpu: shape [6], expected [2, 3]",
                                          "neg float64 shapes [[]] on cpu: shape [1], expected []"])
    }

    /// One forward check per row and one gradient check per differentiable row, all passing on the CPU.
    @Test func runCoversEveryRow() {
        let results = SelfTest.run(on: .cpu, filter: "sum")
        let rows = OpTable.all.filter { $0.name.contains("sum") }
        #expect(results.count == rows.count + rows.filter(\.differentiable).count)
        #expect(results.filter { !$0.passed }.isEmpty, "\(results.filter { !$0.passed })")
        #expect(Set(results.map(\.check)) == ["forward", "gradient"])
    }
}
