import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Profile transforms, references and distances")
struct TransformAndDistanceTests {
    @Test func asinhMatchesLibmAcrossMagnitudes() {
        let xs: [Double] = [0, -0.0, 1e-300, -1e-30, 1e-8, 0.3, -1, 2.5, 5, -150, 1e3, 1e7, 2.6e8, -2.7e8, 1e12, -1e200,
                            1.7e308, .infinity, -.infinity]
        let got = ProfileTransform.asinh(Tensor(shape: [xs.count], scalars: xs, dtype: .float64)).toArray()
        expectClose(got, xs.map { Glibc.asinh($0) }, 4e-16, "asinh float64")
        // float32: within a few float32 ulps of the float64 truth, including where y² overflows float32.
        let fs: [Double] = [0, 1e-20, -0.5, 3, 1e4, -1e18, 1e20, 3e38]
        let f32 = ProfileTransform.asinh(Tensor(shape: [fs.count], scalars: fs, dtype: .float32)).toArray()
        expectClose(f32, fs.map { Glibc.asinh(Double(Float($0))) }, 3e-7, "asinh float32")
        #expect(ProfileTransform.asinh(Tensor([Double.nan], dtype: .float64)).toArray()[0].isNaN)
    }

    @Test func transformsMatchFloat64Loops() {
        let m = TestMatrix(rows: 40, cols: 5, seed: 1, scale: 2000, offset: 900)
        let x = m.tensor
        let mass = ProfileTransform.asinh(cofactor: ProfileTransform.massCytometryCofactor).apply(x).toArray()
        expectClose(mass, m.data.map { Glibc.asinh($0 / 5) }, 1e-15, "asinh/5")
        let flow = ProfileTransform.asinh(cofactor: 150).apply(x).toArray()
        expectClose(flow, m.data.map { Glibc.asinh($0 / 150) }, 1e-15, "asinh/150")
        let positive = TestMatrix(rows: 10, cols: 3, seed: 2, scale: 100, offset: 60)
        expectClose(ProfileTransform.log1p.apply(positive.tensor).toArray(), positive.data.map { Glibc.log1p($0) },
                    1e-15, "log1p")
        #expect(ProfileTransform.identity.apply(x).toArray() == m.data)

        var constant = m
        for r in 0..<m.rows { constant.data[r * m.cols + 2] = 7 }
        let z = ProfileTransform.zScore.apply(constant.tensor).toArray()
        var want = [Double](repeating: 0, count: m.rows * m.cols)
        for c in 0..<m.cols where c != 2 {
            let column = constant.column(c)
            let mean = referenceMean(column), std = referencePopulationStd(column)
            for r in 0..<m.rows { want[r * m.cols + c] = (column[r] - mean) / std }
        }
        expectClose(z, want, 1e-13, "zScore")
    }

    @Test func referenceProfilesMatchLoops() {
        let m = TestMatrix(rows: 31, cols: 4, seed: 3)
        let x = m.tensor
        expectClose(ReferenceProfile.mean.profile(of: x).toArray(), (0..<4).map { referenceMean(m.column($0)) },
                    1e-14, "mean profile")
        expectClose(ReferenceProfile.median.profile(of: x).toArray(), (0..<4).map { referenceQuantile(m.column($0), 0.5) },
                    0, "median profile")
        // An even row count interpolates the two middle values.
        let even = TestMatrix(rows: 8, cols: 2, seed: 4)
        expectClose(ReferenceProfile.median.profile(of: even.tensor).toArray(),
                    (0..<2).map { referenceQuantile(even.column($0), 0.5) }, 1e-15, "even median")
        // Taller than one 1024-row block, and not a multiple of it.
        let tall = TestMatrix(rows: 2500, cols: 3, seed: 16, offset: 4)
        expectClose(ReferenceProfile.mean.profile(of: tall.tensor).toArray(),
                    (0..<3).map { referenceMean(tall.column($0)) }, 1e-14, "tall mean profile")
        let z = ProfileTransform.zScore.apply(tall.tensor).toArray()
        let c1 = tall.column(1), mean1 = referenceMean(c1), std1 = referencePopulationStd(c1)
        expectClose((0..<2500).map { z[$0 * 3 + 1] }, c1.map { ($0 - mean1) / std1 }, 1e-13, "tall zScore")
        #expect(ReferenceProfile.row(5).profile(of: x).toArray() == m.row(5))
        #expect(ReferenceProfile.vector([1, 2, 3, 4]).profile(of: x).toArray() == [1, 2, 3, 4])
    }

    @Test(arguments: DistanceMetric.allCases)
    func distancesMatchFloat64Loops(_ metric: DistanceMetric) {
        let m = TestMatrix(rows: 50, cols: 7, seed: 5, offset: 3)
        let r = TestMatrix(rows: 1, cols: 7, seed: 6).data
        let got = metric.distances(m.tensor, to: Tensor(shape: [7], scalars: r, dtype: .float64)).toArray()
        let want = (0..<m.rows).map { referenceDistance(metric, m.row($0), r) }
        expectClose(got, want, 1e-13, metric.rawValue)

        // Pairwise against three profiles.
        let p = TestMatrix(rows: 3, cols: 7, seed: 7)
        let pairwise = metric.pairwiseDistances(m.tensor, p.tensor)
        #expect(pairwise.shape == [50, 3])
        let wantPairs = (0..<m.rows).flatMap { i in (0..<3).map { referenceDistance(metric, m.row(i), p.row($0)) } }
        expectClose(pairwise.toArray(), wantPairs, 1e-12, "pairwise \(metric.rawValue)")
    }

    @Test func euclideanIsTheSeedKernelInFloat32() {
        let m = TestMatrix(rows: 1000, cols: 32, seed: 8, scale: 1, offset: 0.5)
        let r = TestMatrix(rows: 1, cols: 32, seed: 9, scale: 1, offset: 0.5).data
        let x = Tensor(shape: [1000, 32], scalars: m.data.map { Float($0) }, dtype: .float32)
        let d = DistanceMetric.euclidean.distances(x, to: Tensor(shape: [32], scalars: r.map { Float($0) }))
        #expect(d.dtype == .float32 && d.shape == [1000])
        let want = (0..<1000).map { i in
            referenceDistance(.euclidean, m.row(i).map { Double(Float($0)) }, r.map { Double(Float($0)) })
        }
        expectClose(d.toArray(), want, 1e-6, "float32 euclidean")
    }

    @Test func seedDistanceIsOneFusedKernel() {
        // An odd shape, so kernels of tests running alongside are told apart by their output shape.
        let x = Tensor.rand([4099, 37], seed: 1)
        let r = Tensor.rand([37], seed: 2)
        x.eval()
        r.eval()
        let kernels = KernelTrace.record { _ = DistanceMetric.euclidean.distances(x, to: r).eval() }
            .filter { $0.outputShape == [4099] || $0.outputShape == [4099, 37] }
        #expect(kernels.count == 1, "\(kernels)")
        #expect(kernels.first?.name == "fused" && kernels.first?.inputs == 2, "\(kernels)")
        // The asinh transform fuses into the same pass.
        let transformed = KernelTrace.record {
            _ = DistanceMetric.euclidean.distances(ProfileTransform.asinh(cofactor: 5).apply(x), to: r).eval()
        }.filter { $0.outputShape == [4099] || $0.outputShape == [4099, 37] }
        #expect(transformed.count == 1, "\(transformed)")
    }

    @Test func pairwiseAndHistogramDoNotMaterializeBroadcasts() {
        let x = Tensor.rand([4097, 33], seed: 3).eval()
        let p = Tensor.rand([3, 33], seed: 4).eval()
        let kernels = KernelTrace.record { _ = DistanceMetric.euclidean.pairwiseDistances(x, p).eval() }
        #expect(!kernels.contains { $0.outputShape == [4097, 3, 33] }, "\(kernels)")
        let d = Tensor.rand([4093], seed: 5).eval()
        let histogramKernels = KernelTrace.record { _ = Histogram(of: d, bins: 17) }
        #expect(!histogramKernels.contains { $0.outputShape == [4093, 17] }, "\(histogramKernels)")
    }

    @Test func nearestProfileCountsAndAssignments() {
        // 3 phenotypes; cells are noisy copies with known memberships.
        let profiles: [[Double]] = [[0, 0, 0, 0], [10, 0, 10, 0], [0, 10, 0, 10]]
        let members = [12, 30, 7]
        var cells: [Double] = [], truth: [Int] = []
        var g = SplitMix64(seed: 10)
        for (p, count) in members.enumerated() {
            for _ in 0..<count {
                cells += profiles[p].map { $0 + (Double(g.next() >> 11) / Double(1 << 53) - 0.5) }
                truth.append(p)
            }
        }
        let set = ProfileSet(names: ["naive", "activated", "exhausted"],
                             profiles: Tensor(shape: [3, 4], scalars: profiles.flatMap { $0 }, dtype: .float64))
        let x = Tensor(shape: [truth.count, 4], scalars: cells, dtype: .float64)
        for metric in [DistanceMetric.euclidean, .squaredEuclidean] {
            let result = set.assign(x, metric: metric)
            #expect(result.counts == members, "\(metric)")
            #expect(result.indices.scalars(as: Int.self) == truth, "\(metric)")
            let want = (0..<truth.count).map { i in
                referenceDistance(metric, Array(cells[i * 4..<(i + 1) * 4]), profiles[truth[i]])
            }
            expectClose(result.distances.toArray(), want, 1e-13, "nearest distance \(metric)")
        }
    }
}

func referenceDistance(_ metric: DistanceMetric, _ x: [Double], _ r: [Double]) -> Double {
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    switch metric {
    case .euclidean: return zip(x, r).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    case .squaredEuclidean: return zip(x, r).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    case .cosine: return 1 - dot(x, r) / (dot(x, x).squareRoot() * dot(r, r).squareRoot())
    case .correlation:
        let xm = referenceMean(x), rm = referenceMean(r)
        let xc = x.map { $0 - xm }, rc = r.map { $0 - rm }
        return 1 - dot(xc, rc) / (dot(xc, xc).squareRoot() * dot(rc, rc).squareRoot())
    }
}
