/// Order statistics by selection: the values that would stand at given positions of a sorted array,
/// found without sorting it.
///
/// This is the one selection algorithm of the project: `Tensor.quantile` runs it on every lane, and
/// TesseraBio's percentiles on whole columns.
public enum OrderStatistics {
    /// The elements that would stand at `ranks` if `buffer` were sorted ascending.
    ///
    /// A multi-rank quickselect: each step partitions a range three ways around the median of three
    /// randomly drawn elements (`< pivot`, `== pivot`, `> pivot`, so runs of equal values are settled
    /// in one step) and goes on only into the parts that still hold wanted ranks. Small ranges are
    /// insertion-sorted, a range whose only wanted rank is its first or last element is scanned for
    /// its minimum or maximum, and a range that keeps partitioning badly is sorted, so the worst case
    /// stays O(n log n). Expected cost: O(n log m) comparisons for m distinct ranks.
    ///
    /// ```swift
    /// var values: [Double] = [5, 1, 4, 2, 3]
    /// let picked = values.withUnsafeMutableBufferPointer { OrderStatistics.select($0, ranks: [2, 4, 0]) }
    /// // picked == [3, 5, 1]; values is reordered
    /// ```
    ///
    /// - Parameters:
    ///   - buffer: The values, reordered in place. It must hold no unordered values (NaN): filter
    ///     them out first.
    ///   - ranks: Positions in `0..<buffer.count`, in any order; repeats are allowed.
    /// - Returns: The value at each rank, in the order of `ranks`.
    @inlinable
    public static func select<T: Comparable>(_ buffer: UnsafeMutableBufferPointer<T>, ranks: [Int]) -> [T] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < buffer.count },
                     "[OrderStatistics.select] ranks \(ranks) must lie in 0..<\(buffer.count)")
        let distinct = Array(Set(ranks)).sorted()
        guard let first = buffer.first, !distinct.isEmpty else { return [] }
        var found = [T](repeating: first, count: distinct.count)
        let pending = UnsafeMutablePointer<PendingRange>.allocate(capacity: distinct.count)
        defer { pending.deallocate() }
        distinct.withUnsafeBufferPointer { sortedRanks in
            found.withUnsafeMutableBufferPointer { found in
                select(buffer, sortedRanks: sortedRanks, into: found.baseAddress!, pending: pending)
            }
        }
        return ranks.map { rank in found[binarySearch(distinct, rank)] }
    }

    /// The allocation-free core of ``select(_:ranks:)``, for callers that select in many buffers.
    ///
    /// - Parameters:
    ///   - v: The values (no NaN), reordered in place.
    ///   - sortedRanks: Distinct ranks in `0..<v.count`, ascending.
    ///   - values: Receives the value at `sortedRanks[i]` at index `i`.
    ///   - pending: Scratch for at least `sortedRanks.count` ranges.
    @inlinable
    package static func select<T: Comparable>(
        _ v: UnsafeMutableBufferPointer<T>, sortedRanks ranks: UnsafeBufferPointer<Int>,
        into values: UnsafeMutablePointer<T>, pending: UnsafeMutablePointer<PendingRange>
    ) {
        guard let p = v.baseAddress, !ranks.isEmpty else { return }
        var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        // About twice the depth of a balanced recursion before giving up on partitioning.
        let budget = 2 * (Int.bitWidth - v.count.leadingZeroBitCount) + 8
        // Every pending range holds at least one wanted rank, so there are never more than ranks.count.
        pending[0] = PendingRange(lo: 0, hi: v.count, firstRank: 0, endRank: ranks.count, budget: budget)
        var top = 1
        while top > 0 {
            top -= 1
            let r = pending[top]
            let (lo, hi) = (r.lo, r.hi)
            if hi - lo <= 16 || r.budget == 0 {
                if hi - lo <= 16 {
                    insertionSort(p, lo, hi)
                } else {
                    var range = UnsafeMutableBufferPointer(rebasing: v[lo..<hi])
                    range.sort()
                }
                for i in r.firstRank..<r.endRank { values[i] = p[ranks[i]] }
                continue
            }
            if r.endRank - r.firstRank == 1 && (ranks[r.firstRank] == lo || ranks[r.firstRank] == hi - 1) {
                var best = p[lo]
                if ranks[r.firstRank] == lo {
                    for i in lo + 1..<hi { best = min(best, p[i]) }
                } else {
                    for i in lo + 1..<hi { best = max(best, p[i]) }
                }
                values[r.firstRank] = best
                continue
            }
            @inline(__always) func draw() -> T { p[lo + rng.below(hi - lo)] }
            let (a, b, c) = (draw(), draw(), draw())
            let pivot = max(min(a, b), min(max(a, b), c))
            // Three-way partition in two branch-free sweeps (a data-dependent branch mispredicts on
            // every other element): [lo, lt) < pivot, then [lt, gt) == pivot and [gt, hi) > pivot.
            var lt = lo
            for i in lo..<hi {
                let x = p[i]
                p[i] = p[lt]
                p[lt] = x
                lt &+= branchFree(x < pivot)
            }
            var gt = lt
            if ranks[r.endRank - 1] >= lt {
                for i in lt..<hi {
                    let x = p[i]
                    p[i] = p[gt]
                    p[gt] = x
                    gt &+= branchFree(!(pivot < x))
                }
            }
            let leftEnd = lowerBound(ranks, lt, from: r.firstRank, to: r.endRank)
            let middleEnd = lowerBound(ranks, gt, from: leftEnd, to: r.endRank)
            for k in leftEnd..<middleEnd { values[k] = pivot }
            if leftEnd > r.firstRank {
                pending[top] = PendingRange(lo: lo, hi: lt, firstRank: r.firstRank, endRank: leftEnd, budget: r.budget - 1)
                top += 1
            }
            if r.endRank > middleEnd {
                pending[top] = PendingRange(lo: gt, hi: hi, firstRank: middleEnd, endRank: r.endRank, budget: r.budget - 1)
                top += 1
            }
        }
    }

    /// A range of the buffer still to search, the ranks wanted in it (indices into the sorted ranks)
    /// and how many more partitions it may take before it is sorted instead.
    @usableFromInline
    package struct PendingRange {
        @usableFromInline var lo: Int, hi: Int, firstRank: Int, endRank: Int, budget: Int

        @inlinable
        package init(lo: Int, hi: Int, firstRank: Int, endRank: Int, budget: Int) {
            (self.lo, self.hi, self.firstRank, self.endRank, self.budget) = (lo, hi, firstRank, endRank, budget)
        }
    }

    /// 1 or 0; a zero-extension, where `cond ? 1 : 0` may compile to a branch.
    @inlinable @inline(__always)
    static func branchFree(_ condition: Bool) -> Int { Int(unsafeBitCast(condition, to: UInt8.self)) }

    @inlinable
    static func insertionSort<T: Comparable>(_ p: UnsafeMutablePointer<T>, _ lo: Int, _ hi: Int) {
        guard hi - lo > 1 else { return }
        for i in lo + 1..<hi {
            let x = p[i]
            var j = i
            while j > lo && x < p[j - 1] {
                p[j] = p[j - 1]
                j -= 1
            }
            p[j] = x
        }
    }

    /// The first index in `from..<to` whose rank is at least `bound` (`to` if none).
    @inlinable
    static func lowerBound(_ ranks: UnsafeBufferPointer<Int>, _ bound: Int, from: Int, to: Int) -> Int {
        var (lo, hi) = (from, to)
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranks[mid] < bound { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    @inlinable
    static func binarySearch(_ sorted: [Int], _ value: Int) -> Int {
        sorted.withUnsafeBufferPointer { lowerBound($0, value, from: 0, to: $0.count) }
    }
}
