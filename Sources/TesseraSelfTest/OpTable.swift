import Tessera

/// Every op of the core, as rows that say how to call it, its float64 reference, and the dtypes and
/// shapes to try: the test suite runs it on the device named by `TESSERA_TEST_DEVICE`, and
/// `tessera selftest` on every device at hand.
package enum OpTable {
    /// Every row.
    package static let all: [OpCase] = OpCase.unaryCases + OpCase.binaryCases + OpCase.scalarCases + OpCase.whereCases
        + OpCase.astypeCases + OpCase.reductionCases + OpCase.movementCases + OpCase.kernelCases

    /// The rows with gradients.
    package static let differentiable: [OpCase] = all.filter(\.differentiable)
}
