/// NumPy's default (linear) percentiles of `values`, exactly, by selection (`values` is reordered).
///
/// Each percentile needs the order statistics at `⌊(n − 1)·q⌋` and the next; all of them are found in one
/// multi-selection (quickselect with three-way partitions, so ties cost nothing), O(n log m) for m
/// percentiles, instead of an O(n log n) sort. `values` must hold no NaN.
func exactPercentiles(_ values: inout [Double], _ percents: [Double]) -> [Double] {
    let n = values.count
    guard n > 0, !percents.isEmpty else { return percents.map { _ in .nan } }
    var plan: [(below: Int, above: Int, gamma: Double)] = []
    var ranks = Set<Int>()
    for p in percents {
        let virtual = Double(n - 1) * (p / 100)
        let floorIndex = virtual >= Double(n - 1) ? -1 : Int(virtual.rounded(.down))
        let below = floorIndex < 0 ? n - 1 : floorIndex
        let above = floorIndex < 0 ? n - 1 : floorIndex + 1
        plan.append((below, above, virtual - Double(floorIndex)))
        ranks.insert(below)
        ranks.insert(above)
    }
    var found: [Int: Double] = [:]
    values.withUnsafeMutableBufferPointer { v in
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        // Work items: a range [lo, hi) of `v` and the sorted ranks inside it.
        var stack: [(lo: Int, hi: Int, ranks: ArraySlice<Int>)] = [(0, n, ArraySlice(ranks.sorted()))]
        while let (lo, hi, ks) = stack.popLast() {
            if ks.isEmpty { continue }
            if hi - lo <= 32 {
                v[lo..<hi].sort()
                for k in ks { found[k] = v[k] }
                continue
            }
            // Median of three random elements as the pivot.
            func draw() -> Double {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return v[lo + Int((rng >> 33) % UInt64(hi - lo))]
            }
            let a = draw(), b = draw(), c = draw()
            let pivot = max(min(a, b), min(max(a, b), c))
            // Three-way partition: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot.
            var lt = lo, i = lo, gt = hi
            while i < gt {
                let x = v[i]
                if x < pivot {
                    v.swapAt(lt, i); lt += 1; i += 1
                } else if x > pivot {
                    gt -= 1; v.swapAt(i, gt)
                } else {
                    i += 1
                }
            }
            let left = ks.prefix { $0 < lt }
            let rest = ks.dropFirst(left.count)
            let middle = rest.prefix { $0 < gt }
            for k in middle { found[k] = pivot }
            stack.append((lo, lt, left))
            stack.append((gt, hi, rest.dropFirst(middle.count)))
        }
    }
    return plan.map { p in
        let lo = found[p.below]!, hi = found[p.above]!
        let diff = hi - lo
        return p.gamma >= 0.5 ? hi - diff * (1 - p.gamma) : lo + diff * p.gamma
    }
}
