import Tessera

/// NumPy's default (linear) percentiles of `values`, exactly, by selection (`values` is reordered).
///
/// Each percentile needs the order statistics at `⌊(n − 1)·q⌋` and the next; all of them come from one
/// ``OrderStatistics/select(_:ranks:)`` (O(n log m) for m percentiles) instead of an O(n log n) sort.
/// `values` must hold no NaN.
func exactPercentiles(_ values: inout [Double], _ percents: [Double]) -> [Double] {
    let n = values.count
    guard n > 0, !percents.isEmpty else { return percents.map { _ in .nan } }
    let plan = percents.map { p -> (below: Int, above: Int, gamma: Double) in
        let virtual = Double(n - 1) * (p / 100)
        let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
        return floorIndex < 0 ? (n - 1, n - 1, virtual - Double(floorIndex))
            : (floorIndex, floorIndex + 1, virtual - Double(floorIndex))
    }
    let found = values.withUnsafeMutableBufferPointer { v in
        OrderStatistics.select(v, ranks: plan.flatMap { [$0.below, $0.above] })
    }
    return plan.indices.map { i in
        let (lo, hi, gamma) = (found[2 * i], found[2 * i + 1], plan[i].gamma)
        let diff = hi - lo
        return gamma >= 0.5 ? hi - diff * (1 - gamma) : lo + diff * gamma
    }
}
