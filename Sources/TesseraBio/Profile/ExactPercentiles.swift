import Tessera

/// NumPy's default (linear) percentiles of `values`, exactly, by selection (`values` is reordered).
///
/// Each percentile needs the order statistics at `⌊(n − 1)·q⌋` and the next (``PercentilePlan``); all of
/// them come from one ``OrderStatistics/select(_:ranks:)`` (O(n log m) for m percentiles) instead of an
/// O(n log n) sort, in the values' own type (the order statistics of float32 values are float32 values).
/// `values` must hold no NaN.
func exactPercentiles<T: BinaryFloatingPoint>(_ values: inout [T], _ percents: [Double]) -> [Double] {
    guard !values.isEmpty, !percents.isEmpty else { return percents.map { _ in .nan } }
    let plan = PercentilePlan(count: values.count, percents: percents)
    let ranks = plan.ranks
    let found = values.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: ranks) }
    return plan.percentiles { Double(found[ranks.firstIndex(of: $0)!]) }
}
