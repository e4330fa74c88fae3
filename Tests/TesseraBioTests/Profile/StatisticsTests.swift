import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

@Suite("Profile statistics, outliers and k-means")
struct StatisticsTests {
    @Test func summaryMatchesFloat64Loops() {
        let m = TestMatrix(rows: 1001, cols: 1, seed: 11, scale: 50, offset: 20)
        for tensor in [m.tensor, m.tensor.astype(.float32)] {
            let values = tensor.toArray()
            let s = DistanceSummary(of: tensor)
            #expect(s.count == 1001)
            expectClose(s.mean, referenceMean(values), 1e-13, "mean")
            expectClose(s.std, referencePopulationStd(values), 1e-13, "std")
            #expect(s.min == values.min() && s.max == values.max())
            #expect(s.percentiles.map(\.percent) == DistanceSummary.defaultPercents)
            expectClose(s.percentiles.map(\.value),
                        DistanceSummary.defaultPercents.map { referenceQuantile(values, $0 / 100) }, 1e-14, "percentiles")
        }
    }

    @Test func histogramMatchesTheDefinition() {
        let m = TestMatrix(rows: 5000, cols: 1, seed: 12, scale: 7, offset: 1)
        let values = m.data
        let h = Histogram(of: m.tensor, bins: 13)
        #expect(h.edges.count == 14 && h.edges.first == values.min() && h.edges.last == values.max())
        var want = [Int](repeating: 0, count: 13)
        for v in values {
            for b in 0..<13 where v >= h.edges[b] && (v < h.edges[b + 1] || (b == 12 && v <= h.edges[13])) {
                want[b] += 1
                break
            }
        }
        #expect(h.counts == want)
        #expect(h.counts.reduce(0, +) == 5000)

        // A fixed range: values outside it and NaN are left out; values on edges go right, the last edge left.
        let fixed = Histogram(of: Tensor([0.0, 0.5, 1, 1.5, 2, 2.5, -1, .nan, 4], dtype: .float64), bins: 4, range: 0...2)
        #expect(fixed.edges == [0, 0.5, 1, 1.5, 2])
        #expect(fixed.counts == [1, 1, 1, 2])
        #expect(Histogram(of: Tensor([3.0, 3, 3]), bins: 2).counts == [0, 3])
    }

    @Test func outliersByMADFindThePlantedRows() {
        var m = TestMatrix(rows: 400, cols: 1, seed: 13, scale: 2, offset: 10)
        let planted = [17, 123, 250, 399]
        for (i, row) in planted.enumerated() { m.data[row] = i.isMultiple(of: 2) ? 60 : -40 }
        let result = Outliers.mad(m.tensor.flatten(), threshold: 3.5)
        #expect(result.indices == planted)
        let median = referenceQuantile(m.data, 0.5)
        let mad = referenceQuantile(m.data.map { Swift.abs($0 - median) }, 0.5)
        expectClose(result.median ?? .nan, median, 0, "median")
        expectClose(result.mad ?? .nan, mad, 0, "mad")
        expectClose(result.scores.toArray(), m.data.map { Swift.abs($0 - median) / (1.4826 * mad) }, 1e-14, "scores")
    }

    @Test func outliersByPercentile() {
        let m = TestMatrix(rows: 200, cols: 1, seed: 14)
        let result = Outliers.percentile(m.tensor.flatten(), above: 95)
        let cut = referenceQuantile(m.data, 0.95)
        #expect(result.threshold == cut)
        #expect(result.indices == m.data.indices.filter { m.data[$0] > cut })
        #expect(result.indices.count == 10)
    }

    /// Three well-separated blobs of different sizes in 5 dimensions.
    private func blobs() -> (x: Tensor, data: [Double], truth: [Int], sizes: [Int]) {
        let centres: [[Double]] = [[0, 0, 0, 0, 0], [40, 40, 0, 0, 0], [-40, 0, 40, 0, 40]]
        let sizes = [60, 150, 90]
        var g = SplitMix64(seed: 15)
        var data: [Double] = [], truth: [Int] = []
        for (b, size) in sizes.enumerated() {
            for _ in 0..<size {
                data += centres[b].map { $0 + 4 * (Double(g.next() >> 11) / Double(1 << 53) - 0.5) }
                truth.append(b)
            }
        }
        return (Tensor(shape: [truth.count, 5], scalars: data, dtype: .float64), data, truth, sizes)
    }

    @Test func kMeansRecoversBlobs() {
        let (x, data, truth, sizes) = blobs()
        let km = KMeans.fit(x, k: 3, seed: 1)
        #expect(km.converged)
        #expect(km.sizes.sorted() == sizes.sorted())
        let assigned = km.assignments.scalars(as: Int.self)
        // Every blob maps to one cluster, and different blobs to different clusters.
        var label: [Int: Int] = [:]
        for (row, blob) in truth.enumerated() {
            if let known = label[blob] { #expect(assigned[row] == known, "row \(row) of blob \(blob)") } else { label[blob] = assigned[row] }
        }
        #expect(Set(label.values).count == 3)
        // Centroids are the blob means, and inertia is the float64 sum of squared distances to them.
        let centroids = km.centroids.toArray()
        var inertia = 0.0
        for row in 0..<truth.count {
            let c = assigned[row]
            for j in 0..<5 { inertia += (data[row * 5 + j] - centroids[c * 5 + j]) * (data[row * 5 + j] - centroids[c * 5 + j]) }
        }
        expectClose(km.inertia, inertia, 1e-12, "inertia")
        for (blob, size) in sizes.enumerated() {
            let c = label[blob]!
            let rows = truth.indices.filter { truth[$0] == blob }
            let mean = (0..<5).map { j in rows.reduce(0.0) { $0 + data[$1 * 5 + j] } / Double(size) }
            expectClose(Array(centroids[c * 5..<(c + 1) * 5]), mean, 1e-12, "centroid of blob \(blob)")
        }
    }

    @Test func kMeansPlusPlusIsDeterministicPerSeed() {
        let (x, _, _, _) = blobs()
        let a = KMeans.fit(x.astype(.float32), k: 4, seed: 7)
        let b = KMeans.fit(x.astype(.float32), k: 4, seed: 7)
        #expect(a.centroids.toArray() == b.centroids.toArray())
        #expect(a.assignments.scalars(as: Int.self) == b.assignments.scalars(as: Int.self))
        #expect(a.inertia == b.inertia && a.sizes == b.sizes)
        #expect(a.sizes.reduce(0, +) == 300)
        // Different seeds choose different first centres.
        let seeds = Set((0..<6).map { KMeans.fit(x, k: 3, seed: $0, maxIterations: 0).centroids.toArray() })
        #expect(seeds.count > 1)
        // k = rows: every row is its own centre and inertia is 0.
        let small = Tensor([[0.0, 1], [5, 5], [9, 0]], dtype: .float64)
        let each = KMeans.fit(small, k: 3, seed: 3)
        #expect(each.sizes == [1, 1, 1] && each.inertia == 0)
    }
}

/// `KMeans.fit`'s Lloyd iterations against a float64 Lloyd written here, from the same seeds.
@Suite("k-means against a float64 reference")
struct KMeansReferenceTests {
    /// Lloyd's algorithm in plain float64: nearest centre by squared distance (first on ties), then the
    /// mean of each cluster (an empty one keeps its centre), until no assignment changes or (with
    /// `tolerance`) the squared centre shift is at most `tolerance` × the mean channel variance.
    static func lloyd(_ data: [Double], d: Int, centres start: [Double], maxIterations: Int, tolerance: Double = 0)
        -> (assignments: [Int], centres: [Double], iterations: Int) {
        let n = data.count / d, k = start.count / d
        let variances = (0..<d).map { p -> Double in
            let column = (0..<n).map { data[$0 * d + p] }
            let mean = column.reduce(0, +) / Double(n)
            return column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        }
        let limit = tolerance * variances.reduce(0, +) / Double(d)
        var centres = start
        func assign() -> [Int] {
            (0..<n).map { i in
                var best = 0, bestDistance = Double.infinity
                for j in 0..<k {
                    let distance = (0..<d).reduce(0.0) { $0 + (data[i * d + $1] - centres[j * d + $1]) * (data[i * d + $1] - centres[j * d + $1]) }
                    if distance < bestDistance { (best, bestDistance) = (j, distance) }
                }
                return best
            }
        }
        var assignments = assign(), iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let before = centres
            for j in 0..<k {
                let rows = (0..<n).filter { assignments[$0] == j }
                if rows.isEmpty { continue }
                for p in 0..<d { centres[j * d + p] = rows.reduce(0.0) { $0 + data[$1 * d + p] } / Double(rows.count) }
            }
            let next = assign()
            let shift = zip(centres, before).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            let done = next == assignments || (tolerance > 0 && shift <= limit)
            assignments = next
            if done { break }
        }
        return (assignments, centres, iterations)
    }

    @Test(arguments: [(k: 4, seed: UInt64(3)), (k: 6, seed: 11), (k: 2, seed: 5)])
    func matchesFloat64Lloyd(_ c: (k: Int, seed: UInt64)) {
        // Overlapping blobs, so Lloyd needs several steps.
        var g = SplitMix64(seed: 20 + c.seed)
        let d = 3
        let data = (0..<600).flatMap { i -> [Double] in
            let centre = Double(i % 5) * 1.5
            return (0..<d).map { _ in centre + 2 * (Double(g.next() >> 11) / Double(1 << 53) - 0.5) }
        }
        let x = Tensor(shape: [600, d], scalars: data, dtype: .float64)
        let seeds = KMeans.fit(x, k: c.k, seed: c.seed, maxIterations: 0).centroids.toArray()
        let want = Self.lloyd(data, d: d, centres: seeds, maxIterations: 100)
        let got = KMeans.fit(x, k: c.k, seed: c.seed, tolerance: 0)
        #expect(got.converged && got.iterations == want.iterations, "iterations \(got.iterations), want \(want.iterations)")
        #expect(got.assignments.scalars(as: Int.self) == want.assignments)
        expectClose(got.centroids.toArray(), want.centres, 1e-12, "centroids")
        #expect(got.sizes == (0..<c.k).map { j in want.assignments.filter { $0 == j }.count })
        // float32 data (computed in float32) against float64 Lloyd on the same rounded data and seeds.
        let x32 = x.astype(.float32)
        let seeds32 = KMeans.fit(x32, k: c.k, seed: c.seed, maxIterations: 0).centroids.toArray()
        let want32 = Self.lloyd(x32.toArray(), d: d, centres: seeds32, maxIterations: 100)
        let single = KMeans.fit(x32, k: c.k, seed: c.seed, tolerance: 0)
        #expect(single.assignments.scalars(as: Int.self) == want32.assignments)
        expectClose(single.centroids.toArray(), want32.centres, 1e-6, "float32 centroids")
    }

    @Test func toleranceStopsWhenCentroidsSettle() {
        var g = SplitMix64(seed: 77)
        let d = 2
        let data = (0..<2000).flatMap { _ in (0..<d).map { _ in Double(g.next() >> 11) / Double(1 << 53) } }   // uniform: slow to settle
        let x = Tensor(shape: [2000, d], scalars: data, dtype: .float64)
        let seeds = KMeans.fit(x, k: 5, seed: 2, maxIterations: 0).centroids.toArray()
        let exact = Self.lloyd(data, d: d, centres: seeds, maxIterations: 200)
        let want = Self.lloyd(data, d: d, centres: seeds, maxIterations: 200, tolerance: 1e-3)
        let got = KMeans.fit(x, k: 5, seed: 2, maxIterations: 200, tolerance: 1e-3)
        #expect(want.iterations < exact.iterations, "the tolerance should stop earlier: \(want.iterations) vs \(exact.iterations)")
        #expect(got.converged && got.iterations == want.iterations, "iterations \(got.iterations), want \(want.iterations)")
        #expect(got.assignments.scalars(as: Int.self) == want.assignments)
        expectClose(got.centroids.toArray(), want.centres, 1e-12, "centroids")
    }
}
