#if canImport(Glibc)
import Glibc
#endif
import Testing
import TesseraSelfTest
@testable import Tessera

// The op table (TesseraSelfTest/OpTable): every op's forward pass against its float64 reference in every
// dtype it lists, and its gradients against float64 central differences, on the device named by
// TESSERA_TEST_DEVICE (`cpu` by default; `tessera selftest` runs the same table on every device).

/// The device the op table runs on: `TESSERA_TEST_DEVICE`, else the CPU.
private let testDevice: Device = {
    guard let name = getenv("TESSERA_TEST_DEVICE").map({ String(cString: $0) }) else { return .cpu }
    guard let device = Device(parsing: name) else { fatalError("TESSERA_TEST_DEVICE=\(name) names no device") }
    return device
}()

extension OpCase: CustomTestStringConvertible {
    public var testDescription: String { name }
}

@Suite("Op table: forward vs float64 reference, gradients vs finite differences")
struct OpTableTests {
    @Test("forward", arguments: OpTable.all)
    func forward(_ c: OpCase) {
        for failure in c.forwardFailures(on: testDevice) { Issue.record(Comment(rawValue: failure)) }
    }

    @Test("gradient", arguments: OpTable.differentiable)
    func gradient(_ c: OpCase) {
        for failure in c.gradientFailures(on: testDevice) { Issue.record(Comment(rawValue: failure)) }
    }

    /// Every elementwise primitive has a row checked against its own float64 math.
    @Test func everyPrimitiveHasARow() {
        let checked = Set(OpTable.all.compactMap(\.primitive))
        let declared = UnaryOp.all.map(\.name) + BinaryOp.all.map(\.name)
        #expect(declared.filter { !checked.contains($0) }.isEmpty, "primitives without an op-table row")
        #expect(Set(declared).count == declared.count, "two primitives share a name")
    }

    /// Every elementwise primitive has a CUDA expression for each register type it computes in, using
    /// each operand and balanced in its parentheses.
    @Test func everyPrimitiveHasACUDAExpression() {
        func balanced(_ s: String) -> Bool {
            var depth = 0
            for c in s {
                if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                if depth < 0 { return false }
            }
            return depth == 0
        }
        for op in UnaryOp.all {
            for kind in [ComputeKind.f32, .f64] + (op.hasIntegerMath ? [.i64] : []) {
                let expression = op.function.cuda("v0", kind)
                #expect(expression.contains("v0") && balanced(expression), "\(op.name) \(kind): \(expression)")
            }
        }
        for op in BinaryOp.all {
            for kind in [ComputeKind.f32, .f64] + (op.hasIntegerMath ? [.i64] : []) {
                let expression = op.function.cuda("v0", "v1", kind)
                #expect(expression.contains("v0") && expression.contains("v1") && balanced(expression),
                        "\(op.name) \(kind): \(expression)")
            }
        }
        #expect(UnaryOp.exp.function.cuda("v0", .f32) == "expf(v0)")
        #expect(BinaryOp.add.function.cuda("a", "b", .i64) == "(long long)((unsigned long long)(a) + (unsigned long long)(b))")
    }

    /// Integer arithmetic wraps like NumPy's fixed-width integers.
    @Test func integerArithmeticWraps() {
        let u = Tensor([200, 255, 3] as [Int], dtype: .uint8)
        #expect((u + Tensor([100, 1, 5] as [Int], dtype: .uint8)).toArray() == [44, 0, 8])
        #expect((-u).toArray() == [56, 1, 253])
        let i = Tensor([Int(Int32.max), 65_536] as [Int], dtype: .int32)
        #expect((i + Tensor([1, 0] as [Int], dtype: .int32)).toArray() == [Double(Int32.min), 65_536])
        #expect((i * Tensor([1, 65_536] as [Int], dtype: .int32)).toArray() == [Double(Int32.max), 0])
        let l = Tensor([Int64.max], dtype: .int64)
        #expect((l + Tensor([Int64(1)], dtype: .int64)).scalars(as: Int64.self) == [Int64.min])
    }

    /// A cast's gradient flows back in the source dtype: through float32, c rounded to float32.
    @Test func astypeGradient() {
        let values: [Double] = [0.1, -1.7, 2.3]
        let c: [Double] = [0.123456789, -0.987654321, 1.0 / 3.0]
        let x = Tensor(shape: [3], scalars: values, dtype: .float64)
        x.requiresGrad = true
        (x.astype(.float32) * Tensor(shape: [3], scalars: c, dtype: .float64)).sum().backward()
        #expect(x.grad?.dtype == .float64)
        #expect(x.grad?.toArray() == c.map { Double(Float($0)) })
    }
}
