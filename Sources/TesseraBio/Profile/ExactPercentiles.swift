import Tessera

/// NumPy's default (linear) percentiles of `values`, exactly, by selection (`values` is reordered).
///
/// Each percentile needs the order statistics at `⌊(n − 1)·q⌋` and the next (``PercentilePlan``); all of
/// them come from one ``OrderStatistics/select(_:ranks:)`` (O(n log m) for m percentiles) instead of an
/// O(n log n) sort. `values` must hold no NaN.
func exactPercentiles(_ values: inout [Double], _ percents: [Double]) -> [Double] {
    guard !values.isEmpty, !percents.isEmpty else { return percents.map { _ in .nan } }
    let plan = PercentilePlan(count: values.count, percents: percents)
    let ranks = plan.ranks
    let found = values.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: ranks) }
    return plan.percentiles { found[ranks.firstIndex(of: $0)!] }
}
