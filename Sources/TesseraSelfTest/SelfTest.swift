import Tessera

/// `tessera selftest`: the op table's forward and gradient checks on a device, against float64, and —
/// off the CPU — that random draws give the CPU's numbers.
package enum SelfTest {
    /// One check of one op on one device.
    package struct Result: Codable, Sendable {
        package let device: String
        /// `forward`, `gradient` or `random`.
        package let check: String
        package let op: String
        /// What went wrong; empty when it passed.
        package let failures: [String]

        package var passed: Bool { failures.isEmpty }
    }

    /// Runs every row of `cases` whose name contains `filter` (all when nil) on `device`: the forward
    /// check, and the gradient check where the row has one and `gradients` is set. `progress` hears
    /// each check's name before it runs.
    package static func run(on device: Device, cases: [OpCase] = OpTable.all, filter: String? = nil,
                            gradients: Bool = true, progress: (String) -> Void = { _ in }) -> [Result] {
        var results: [Result] = []
        for row in cases where filter.map({ row.name.contains($0) }) ?? true {
            progress("\(row.name) forward")
            results.append(Result(device: device.description, check: "forward", op: row.name,
                                  failures: row.forwardFailures(on: device)))
            if gradients && row.differentiable {
                progress("\(row.name) gradient")
                results.append(Result(device: device.description, check: "gradient", op: row.name,
                                      failures: row.gradientFailures(on: device)))
            }
        }
        if device != .cpu && filter == nil {
            progress("random draws")
            results.append(Result(device: device.description, check: "random", op: "rand, randn, randint",
                                  failures: randomFailures(on: device)))
        }
        return results
    }

    /// Where draws on `device` differ from the CPU's: the same seed must give the same numbers
    /// (bit for bit for uniform and integer draws, to a few ulps for normals).
    static func randomFailures(on device: Device) -> [String] {
        var failures: [String] = []
        for dtype in [DType.float32, .float64, .float16] {
            let here = Tensor.rand([1000], seed: 3, dtype: dtype, device: device).toArray()
            if here != Tensor.rand([1000], seed: 3, dtype: dtype).toArray() { failures.append("rand \(dtype) differs from the CPU's") }
            let normals = zip(Tensor.randn([1000], seed: 4, dtype: dtype, device: device).toArray(),
                              Tensor.randn([1000], seed: 4, dtype: dtype).toArray())
            if normals.contains(where: { !opTableClose($0, $1, tol: 4 * opTableTolerance(dtype)) }) {
                failures.append("randn \(dtype) differs from the CPU's")
            }
        }
        if Tensor.randint(-5, 5, [1000], seed: 5, device: device).toArray() != Tensor.randint(-5, 5, [1000], seed: 5).toArray() {
            failures.append("randint differs from the CPU's")
        }
        return failures
    }
}
