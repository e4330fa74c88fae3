import Tessera

/// Exact order statistics of values read in passes (a file larger than memory, or shards on disk),
/// keeping only counts and a bounded set of candidates in memory.
///
/// Each value maps to a 64-bit key that sorts as the value does. A pass counts the keys of every series
/// in 65,536 buckets of their top 16 bits; each wanted rank then lies in one bucket, at a known rank
/// within it. When the buckets still in play hold at most `candidateBudget` values, one more pass
/// collects them and they are ordered in memory; otherwise the next 16 bits are counted inside those
/// buckets. Typical data needs two or three passes.
///
/// ```swift
/// let medians = try StreamingSelection.orderStatistics(series: 32, ranks: Array(repeating: [n / 2], count: 32)) { visit in
///     for block in blocks { visit(block, block.count / 32) }   // row-major [rows, 32] doubles
/// }
/// ```
public enum StreamingSelection {
    /// The `ranks[s]`-th smallest values (0-based) of each series `s`.
    ///
    /// - Parameters:
    ///   - series: How many series the blocks interleave (the columns of each row-major block).
    ///   - ranks: Per series, the ranks wanted; each in `0..<count`.
    ///   - candidateBudget: The most values held in memory at once.
    ///   - pass: Delivers every value once per call, as row-major `[rows, series]` blocks in any order,
    ///     the same values on every call; it must hold no NaN.
    /// - Returns: Per series, the values at `ranks[s]`, in the same order.
    public static func orderStatistics(
        series: Int, ranks: [[Int]], candidateBudget: Int = 1 << 23,
        pass: ((UnsafeBufferPointer<Double>, Int) -> Void) throws(TesseraError) -> Void
    ) throws(TesseraError) -> [[Double]] {
        precondition(ranks.count == series, "[StreamingSelection] \(ranks.count) rank lists for \(series) series")
        // A target: one wanted rank, at `rank` within its bucket of `population` values.
        struct Target { var bucket: Bucket; var rank: Int; var population: Int }
        var targets: [Target] = []
        for (s, list) in ranks.enumerated() {
            for r in list { targets.append(Target(bucket: Bucket(series: s, prefix: 0, known: 0), rank: r, population: Int.max)) }
        }
        var answers = [Double?](repeating: nil, count: targets.count)
        while true {
            let open = targets.indices.filter { answers[$0] == nil }
            if open.isEmpty { break }
            var groups: [Bucket] = [], groupOf: [Bucket: Int] = [:], population = 0
            for t in open where groupOf[targets[t].bucket] == nil {
                groupOf[targets[t].bucket] = groups.count
                groups.append(targets[t].bucket)
                // Saturating: before the first count every bucket is "everything".
                let (total, overflow) = population.addingReportingOverflow(targets[t].population)
                population = overflow ? Int.max : total
            }
            if population <= candidateBudget {
                // Collect the candidates and select the ranks among them in memory.
                var collected = [[Double]](repeating: [], count: groups.count)
                try visitMatches(groups, series: series, pass: pass) { g, value in collected[g].append(value) }
                for g in collected.indices {
                    let mine = open.filter { groupOf[targets[$0].bucket] == g }
                    let values = collected[g].withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: mine.map { targets[$0].rank }) }
                    for (t, v) in zip(mine, values) { answers[t] = v }
                }
                continue
            }
            // Count the next 16 bits inside each group's bucket.
            var histograms = [[Int]](repeating: [Int](repeating: 0, count: 1 << 16), count: groups.count)
            try visitMatches(groups, series: series, pass: pass) { g, value in
                let digit = Int((key(value) << UInt64(groups[g].known)) >> 48)
                histograms[g][digit] += 1
            }
            for t in open {
                let counts = histograms[groupOf[targets[t].bucket]!]
                var rank = targets[t].rank
                var digit = 0
                while rank >= counts[digit] { rank -= counts[digit]; digit += 1 }
                targets[t].bucket.prefix = targets[t].bucket.prefix << 16 | UInt64(digit)
                targets[t].bucket.known += 16
                targets[t].rank = rank
                targets[t].population = counts[digit]
                if targets[t].bucket.known == 64 { answers[t] = value(ofKey: targets[t].bucket.prefix) }
            }
        }
        var result = ranks.map { _ in [Double]() }
        for (t, target) in targets.enumerated() { result[target.bucket.series].append(answers[t]!) }
        return result
    }

    /// The values of one series whose keys start with the `known` bits of `prefix`.
    struct Bucket: Hashable {
        var series: Int
        var prefix: UInt64
        var known: Int
    }

    /// Runs one pass, calling `body(group, value)` for every value inside a group's bucket.
    private static func visitMatches(
        _ groups: [Bucket], series: Int,
        pass: ((UnsafeBufferPointer<Double>, Int) -> Void) throws(TesseraError) -> Void,
        _ body: @escaping (Int, Double) -> Void
    ) throws(TesseraError) {
        let bySeries = (0..<series).map { s in groups.indices.filter { groups[$0].series == s } }
        try pass { block, rows in
            for s in 0..<series where !bySeries[s].isEmpty {
                let mine = bySeries[s]
                for r in 0..<rows {
                    let v = block[r * series + s]
                    let k = key(v)
                    for g in mine where groups[g].known == 0 || k >> UInt64(64 - groups[g].known) == groups[g].prefix {
                        body(g, v)
                    }
                }
            }
        }
    }

    /// A key that orders as the value: negative values have every bit flipped, others the sign bit set.
    @inline(__always)
    static func key(_ v: Double) -> UInt64 {
        let bits = v.bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    /// The value of a key.
    static func value(ofKey k: UInt64) -> Double {
        Double(bitPattern: k >> 63 == 1 ? k & ~(1 << 63) : ~k)
    }
}

/// NumPy's default (linear) percentile from the order statistics: the ranks each percent needs, and how
/// to interpolate between them.
public struct PercentilePlan: Sendable {
    /// Per percent: the order statistics below and above, and the weight of the upper one.
    public var steps: [(below: Int, above: Int, gamma: Double)]

    /// The plan for `percents` (each in `0...100`) of `count` values.
    public init(count n: Int, percents: [Double]) {
        steps = percents.map { p in
            let virtual = Double(n - 1) * (p / 100)
            let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
            let below = floorIndex < 0 ? n - 1 : floorIndex
            let above = floorIndex < 0 ? n - 1 : floorIndex + 1
            return (below, above, virtual - Double(floorIndex))
        }
    }

    /// Every rank the plan reads, sorted, without repeats.
    public var ranks: [Int] { Array(Set(steps.flatMap { [$0.below, $0.above] })).sorted() }

    /// The percentiles, given the value at each rank of ``ranks``.
    public func percentiles(_ valueAt: (Int) -> Double) -> [Double] {
        steps.map { s in
            let lo = valueAt(s.below), hi = valueAt(s.above)
            let diff = hi - lo
            return s.gamma >= 0.5 ? hi - diff * (1 - s.gamma) : lo + diff * s.gamma
        }
    }
}
