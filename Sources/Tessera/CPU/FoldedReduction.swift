import TesseraCPUKernels

/// A sum whose last elementwise steps are folded into the reduction loop, so their values are never
/// stored: `sum(a * b)` (a dot product) and `sum((a - b) * (a - b))` (a squared distance).
struct FoldedReduction {
    let kind: RowFold
    let a: Int
    let b: Int
    /// The values the reduction computes itself.
    let skipped: Set<Int>

    static func match(_ region: CPURegion, _ op: ReduceOp) -> FoldedReduction? {
        let values = region.values
        let result = region.result
        /// Whether `id` feeds `user` and nothing else.
        func usedOnlyBy(_ id: Int, _ user: Int?) -> Bool {
            !values.indices.contains { $0 != user && values[$0].instruction.operands.contains(id) }
        }
        guard op == .sum, case .binary(let mul, let a, let b) = values[result].instruction,
              mul == .mul, !values[result].needsNarrowing, usedOnlyBy(result, nil) else { return nil }
        if a == b, case .binary(let sub, let p, let q) = values[a].instruction, sub == .sub,
           !values[a].needsNarrowing, usedOnlyBy(a, result) {
            return FoldedReduction(kind: .squaredDifference, a: p, b: q, skipped: [result, a])
        }
        return FoldedReduction(kind: .dot, a: a, b: b, skipped: [result])
    }
}
