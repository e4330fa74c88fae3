import Testing
import TesseraTestSupport
import Tessera
@testable import TesseraBio

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ProfileRun`: the logic of `tessera profile`, against float64 computations done here.
@Suite struct ProfileRunTests {
    /// Euclidean distances of every row to the column means, in float64.
    static func referenceDistances(_ m: TestMatrix, reference: [Double]) -> [Double] {
        (0..<m.rows).map { r in squaredDistance(m.row(r), reference).squareRoot() }
    }

    @Test func summaryPercentilesAndOutliersMatchFloat64() throws {
        let m = TestMatrix(rows: 1003, cols: 7, seed: 11)
        let options = try ProfileOptions(percentiles: "1,5,25,50,75,95,99", outliers: "percentile:95")
        let run = try ProfileRun.run(m.tensor, channels: (0..<7).map { "c\($0)" }, options: options)
        let mean = (0..<m.cols).map { referenceMean(m.column($0)) }
        let want = Self.referenceDistances(m, reference: mean)
        expectClose(run.reference, mean, 1e-12, "reference")
        expectClose(run.distances.tensor!.toArray(), want, 1e-12, "distances")
        #expect(run.rows == 1003)
        #expect(run.summary.count == 1003)
        expectClose(run.summary.mean, referenceMean(want), 1e-12, "mean")
        expectClose(run.summary.std, referencePopulationStd(want), 1e-12, "std")
        expectClose(run.summary.min, want.min()!, 1e-12, "min")
        expectClose(run.summary.max, want.max()!, 1e-12, "max")
        let percents = [1.0, 5, 25, 50, 75, 95, 99]
        #expect(run.summary.percentiles.map(\.percent) == percents)
        expectClose(run.summary.percentiles.map(\.value), percents.map { referenceQuantile(want, $0 / 100) }, 1e-12, "percentiles")
        let cut = referenceQuantile(want, 0.95)
        let wantRows = want.indices.filter { (i: Int) -> Bool in want[i] > cut }
        #expect(run.outliers?.indices == wantRows)
        expectClose(run.outliers?.threshold ?? .nan, cut, 1e-12, "threshold")
        #expect(run.kMeans == nil)
    }

    @Test func madOutliersMedianReferenceAndFloat32() throws {
        let m = TestMatrix(rows: 500, cols: 5, seed: 3)
        // A few rows far from the rest.
        var data = m.data
        for r in [17, 230, 499] { for c in 0..<5 { data[r * 5 + c] += 40 } }
        let x = Tensor(shape: [500, 5], scalars: data, dtype: .float64)
        let options = try ProfileOptions(reference: "median", outliers: "mad:3.5")
        let run = try ProfileRun.run(x, channels: ["a", "b", "c", "d", "e"], options: options)
        let columns = (0..<5).map { c in (0..<500).map { data[$0 * 5 + c] } }
        let median = columns.map { referenceQuantile($0, 0.5) }
        expectClose(run.reference, median, 1e-12, "median reference")
        let want: [Double] = (0..<500).map { r in squaredDistance(Array(data[r * 5..<(r + 1) * 5]), median).squareRoot() }
        expectClose(run.distances.tensor!.toArray(), want, 1e-12, "distances")
        let dMedian = referenceQuantile(want, 0.5)
        let mad = referenceQuantile(want.map { (v: Double) -> Double in Swift.abs(v - dMedian) }, 0.5)
        let flagged = want.indices.filter { (i: Int) -> Bool in Swift.abs(want[i] - dMedian) / (1.4826 * mad) > 3.5 }
        #expect(run.outliers?.indices == flagged)
        #expect([17, 230, 499].allSatisfy { run.outliers?.indices.contains($0) == true })

        // float32 input: distances agree with float64 to float32 precision.
        let run32 = try ProfileRun.run(x.astype(.float32), channels: ["a", "b", "c", "d", "e"], options: options)
        #expect(run32.distances.dtype == .float32)
        expectClose(run32.distances.tensor!.toArray(), want, 1e-5, "float32 distances")
    }

    @Test func transformMetricRowReferenceAndKMeans() throws {
        let m = TestMatrix(rows: 300, cols: 4, seed: 5, scale: 100, offset: 60)
        let options = try ProfileOptions(transform: "asinh:5", reference: "row:7", metric: "sqeuclidean",
                                         outliers: "none", kMeans: 3, seed: 2)
        let run = try ProfileRun.run(m.tensor, channels: ["w", "x", "y", "z"], options: options)
        let t: [Double] = m.data.map { v in asinh(v / 5.0) }
        let ref = Array(t[7 * 4..<8 * 4])
        let want: [Double] = (0..<300).map { r in squaredDistance(Array(t[r * 4..<(r + 1) * 4]), ref) }
        expectClose(run.reference, ref, 1e-12, "row reference")
        expectClose(run.distances.tensor!.toArray(), want, 1e-10, "squared distances")
        #expect(run.outliers == nil)
        let km = try #require(run.kMeans)
        #expect(km.sizes.count == 3 && km.sizes.reduce(0, +) == 300)
        // Inertia from the assignments and centroids, in float64.
        let assign = km.assignments.scalars(as: Int.self)
        let centroids = km.centroids.toArray()
        var inertia = 0.0
        for r in 0..<300 {
            inertia += squaredDistance(Array(t[r * 4..<(r + 1) * 4]), Array(centroids[assign[r] * 4..<(assign[r] + 1) * 4]))
        }
        expectClose(km.inertia, inertia, 1e-9, "inertia")
        // CSV and JSON carry every row and the cluster sizes.
        let csvPath = "/tmp/tessera-profile-\(getpid())-clusters.csv"
        defer { unlink(csvPath) }
        try run.writeDistances(to: csvPath)
        let csv = String(decoding: try AtomicFile.read(csvPath), as: UTF8.self).split(separator: "\n")
        #expect(csv.first == "row,distance,cluster,outlier")
        #expect(csv.count == 301)
        #expect(run.json().contains("\"sizes\": [\(km.sizes.map(String.init).joined(separator: ", "))]"))
        #expect(run.summaryText().contains("k-means     k 3"))
    }

    @Test func exactPercentilesBySelectionMatchSorting() {
        var g = SplitMix64(seed: 9)
        let percents = [0.0, 0.1, 1, 5, 25, 33.3, 50, 75, 95, 99, 99.9, 100]
        for n in [1, 2, 3, 31, 32, 33, 100, 1001, 20_000] {
            for ties in [false, true] {
                // With ties: only a handful of distinct values (integer-valued FCS channels look like this).
                let v: [Double] = (0..<n).map { _ in
                    let u = Double(g.next() >> 11) / Double(1 << 53)
                    return ties ? (u * 4).rounded(.down) : u * 1000 - 500
                }
                var work = v
                let got = exactPercentiles(&work, percents)
                #expect(work.sorted() == v.sorted())
                expectClose(got, percents.map { referenceQuantile(v, $0 / 100) }, 1e-12, "n \(n) ties \(ties)")
            }
        }
    }

    @Test func nanDistancesGiveNaNStatisticsAndNoOutliers() throws {
        let x = Tensor(shape: [4, 2], scalars: [1.0, 2, 3, .nan, 5, 6, 7, 8], dtype: .float64)
        let run = try ProfileRun.run(x, channels: ["a", "b"], options: ProfileOptions(reference: "values:0,0"))
        #expect(run.summary.mean.isNaN)
        #expect(run.summary.percentiles.allSatisfy { $0.value.isNaN })
        #expect(run.outliers?.indices == [])
        #expect(run.json().contains("\"mean\": null"))
    }

    @Test func realFCSFileRowsAndChannels() throws {
        guard let folder = fcsDataFolder() else { return }
        let path = folder + "/FCS3.0_Custom_Compatible.fcs"
        let fcs = try FCSFile.read(path)
        #expect(fcs["$TOT"] == "10000")
        let names = ["SSC-A", "FSC-A", "B1-H"]
        let options = try ProfileOptions(channels: names.joined(separator: ","), transform: "asinh:150")
        let run = try ProfileRun.run(path: path, options: options)
        #expect(run.rows == 10000)
        #expect(run.rows == fcs.events)
        #expect(run.channels == names)
        // The selected columns, transformed and measured in float64 here.
        let all = fcs.data.astype(.float64).toArray()
        let columns = names.map { n in fcs.parameters.firstIndex { $0.name == n }! }
        let x: [[Double]] = (0..<fcs.events).map { r in columns.map { c in asinh(all[r * 16 + c] / 150.0) } }
        let mean: [Double] = (0..<3).map { c in referenceMean(x.map { $0[c] }) }
        let want: [Double] = x.map { row in squaredDistance(row, mean).squareRoot() }
        expectClose(run.reference, mean, 1e-5, "reference")
        expectClose(run.distances.tensor!.toArray(), want, 1e-5, "distances")
        expectClose(run.summary.percentiles.map(\.value), [1.0, 5, 25, 50, 75, 95, 99].map { referenceQuantile(want, $0 / 100) },
                    1e-5, "percentiles")

        // All channels by default; a missing one lists what the file has.
        let every = try ProfileRun.run(path: path, options: ProfileOptions())
        #expect(every.channels.count == 16)
        do {
            _ = try ProfileRun.run(path: path, options: ProfileOptions(channels: "FSC-A,CD99"))
            Issue.record("expected an unknown-channel error")
        } catch {
            #expect(error.description.contains("no channel 'CD99'; available: HDR-T, FSC-A"))
            #expect(!error.description.contains("\n"))
        }
        // inspect's loader reports the version and every channel.
        let input = try ProfileInput.load(path)
        #expect(input.format == "FCS 3.0")
        #expect(input.values.shape == [10000, 16])
        #expect(input.channelNames == fcs.parameters.map(\.name))
    }

    @Test(arguments: [
        (["metric": "manhattan"], "--metric 'manhattan': unknown metric"),
        (["transform": "asinh:x"], "--transform 'asinh:x': expected asinh:COFACTOR"),
        (["transform": "asinh:0"], "--transform 'asinh:0': expected asinh:COFACTOR"),
        (["transform": "sqrt"], "--transform 'sqrt': unknown transform"),
        (["reference": "row:-1"], "--reference 'row:-1': expected row:N"),
        (["reference": "values:1,x"], "--reference '1,x': 'x' is not a number"),
        (["reference": "mode"], "--reference 'mode': unknown reference"),
        (["percentiles": "5,101"], "--percentiles '5,101': each must be in 0…100"),
        (["percentiles": "5,,9"], "--percentiles '5,,9': '' is not a number"),
        (["outliers": "percentile:abc"], "--outliers 'percentile:abc': expected percentile:P"),
        (["outliers": "mad:-2"], "--outliers 'mad:-2': expected mad:Z with Z > 0"),
        (["outliers": "iqr"], "--outliers 'iqr': unknown rule"),
        (["kmeans": "0"], "--kmeans must be at least 1, got 0"),
        (["channels": "a,,b"], "--channels 'a,,b': expected names separated by commas"),
        (["dataset": "-1"], "--dataset must be ≥ 0, got -1"),
    ])
    func badOptions(_ option: [String: String], _ message: String) {
        do {
            _ = try ProfileOptions(
                dataset: option["dataset"].flatMap { Int($0) } ?? 0, channels: option["channels"],
                transform: option["transform"] ?? "none", reference: option["reference"] ?? "mean",
                metric: option["metric"] ?? "euclidean", percentiles: option["percentiles"] ?? "50",
                outliers: option["outliers"] ?? "percentile:99", kMeans: option["kmeans"].flatMap { Int($0) })
            Issue.record("expected an error for \(option)")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.hasPrefix(message), "got: \(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func badInputsAfterLoading() throws {
        let x = TestMatrix(rows: 10, cols: 3, seed: 1).tensor
        for (options, message) in [
            (try ProfileOptions(reference: "row:10"), "--reference row:10 is out of range for 10 rows"),
            (try ProfileOptions(reference: "values:1,2"), "--reference values: has 2 values for 3 channels"),
            (try ProfileOptions(kMeans: 11), "--kmeans 11 is more than the 10 rows"),
        ] {
            do {
                _ = try ProfileRun.run(x, channels: ["a", "b", "c"], options: options, file: "m.csv")
                Issue.record("expected: \(message)")
            } catch {
                #expect(error.description == "m.csv: " + message)
            }
        }
        // Not an FCS file, though named like one: the reader's one-line error.
        let path = "/tmp/tessera-profile-\(getpid())-bad.fcs"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        _ = "garbage\n".withCString { write(fd, $0, 8) }
        close(fd)
        defer { unlink(path) }
        do {
            _ = try ProfileRun.run(path: path, options: ProfileOptions())
            Issue.record("expected a bad-file error")
        } catch {
            #expect(error.description.hasPrefix("\(path): offset 0: expected \"FCS\""), "got: \(error.description)")
        }
    }
}


/// `Σ (a − b)²` in float64.
private func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for i in a.indices {
        let d: Double = a[i] - b[i]
        sum += d * d
    }
    return sum
}
