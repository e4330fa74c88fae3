import Testing
import Tessera
@testable import TesseraBio

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tessera profile` in row blocks (a file "larger than memory", forced by a small budget) gives the same
/// bits as the run in memory; references from a sample name, a profile file and several named profiles.
@Suite struct ProfilePipelineTests {
    static func temporary(_ name: String) -> String { "/tmp/tessera-pipeline-\(getpid())-\(name)" }

    @Test(arguments: ["mean", "median", "row:5"], ["none", "zscore"])
    func blocksOnDiskGiveTheSameBitsAsInMemory(reference: String, transform: String) throws {
        // 140,000 rows: two full chunks and a partial one.
        let m = TestMatrix(rows: 140_000, cols: 3, seed: 21, scale: 6)
        let path = Self.temporary("cells-\(reference)-\(transform).npy")
        defer { unlink(path) }
        try m.tensor.astype(.float32).save(npy: path)
        let inMemory = try ProfileRun.run(path: path, options: ProfileOptions(transform: transform, reference: reference,
                                                                              outliers: "mad:3"))
        #expect(inMemory.distances.file == nil)
        var blocked = try ProfileOptions(transform: transform, reference: reference, outliers: "mad:3", blockRows: 65_536,
                                         memory: "1M")
        blocked.scratchDirectory = "/tmp"
        let onDisk = try ProfileRun.run(path: path, options: blocked)
        #expect(onDisk.distances.file != nil, "1M budget: distances kept on disk")
        #expect(onDisk.reference == inMemory.reference)
        #expect(onDisk.summary == inMemory.summary)
        #expect(onDisk.outliers == inMemory.outliers)
        var disk: [Double] = []
        try onDisk.distances.forEachBlock(rows: 50_000) { _, b in disk += b.toArray() }
        #expect(disk == inMemory.distances.tensor!.toArray())
        // And both against float64 math on the float32 values.
        let x = m.tensor.astype(.float32).astype(.float64)
        if reference == "mean" && transform == "none" {
            let mean = x.mean(axis: 0).toArray()
            expectClose(inMemory.reference, mean, 1e-12, "mean reference")
            let want = ((x - Tensor(shape: [3], scalars: mean, dtype: .float64)).square().sum(axis: 1)).sqrt().toArray()
            expectClose(disk, want, 1e-6, "distances")
            expectClose(inMemory.summary.percentiles.map(\.value),
                        DistanceSummary.defaultPercents.map { referenceQuantile(disk, $0 / 100) }, 1e-12, "percentiles")
        }
        if reference == "median" && transform == "none" {
            expectClose(inMemory.reference, (0..<3).map { referenceQuantile(x[.all, $0].toArray(), 0.5) }, 1e-7, "median reference")
        }
    }

    @Test func anEmptyNPYIsAOneLineErrorInBlocksToo() throws {
        let path = Self.temporary("empty.npy")
        defer { unlink(path) }
        try Tensor.zeros([0, 4]).save(npy: path)
        for options in [try ProfileOptions(), try ProfileOptions(kMeans: 1)] {   // read in blocks, and loaded whole
            #expect { try ProfileRun.run(path: path, options: options) } throws: {
                "\($0)" == "\(path): expected a non-empty [rows, channels] matrix, found shape [0, 4]"
            }
        }
    }

    @Test func kMeansInBlocksIsRefused() throws {
        let path = Self.temporary("kmeans.npy")
        defer { unlink(path) }
        try TestMatrix(rows: 70_000, cols: 2, seed: 2).tensor.save(npy: path)
        do {
            _ = try ProfileRun.run(path: path, options: ProfileOptions(kMeans: 2, blockRows: 65_536))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(path): --kmeans needs the whole matrix in memory"))
        }
    }

    /// A genes × samples TSV with row names.
    static func expressionFile() throws -> String {
        let path = temporary("expr.tsv")
        let text = "gene\ts1\ts2\ts3\ts4\ng1\t1\t2\t3\t10\ng2\t4\t4\t5\t0\ng3\t0\t1\t0\t7\n"
        try AtomicFile.write(Array(text.utf8), to: path)
        return path
    }

    @Test func orientationAndSampleReference() throws {
        let path = try Self.expressionFile()
        defer { unlink(path) }
        let options = try ProfileOptions(reference: "sample:s1", outliers: "none", orientation: "features-by-samples")
        let run = try ProfileRun.run(path: path, options: options)
        #expect(run.rows == 4)
        #expect(run.channels == ["g1", "g2", "g3"])
        #expect(run.referenceName == "sample s1")
        #expect(run.reference == [1, 4, 0])
        let samples: [[Double]] = [[1, 4, 0], [2, 4, 1], [3, 5, 0], [10, 0, 7]]
        let want = samples.map { s in zip(s, [1.0, 4, 0]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        expectClose(run.distances.tensor!.toArray(), want, 1e-6, "distances")
        do {
            _ = try ProfileRun.run(path: path, options: ProfileOptions(reference: "sample:s9", orientation: "features-by-samples"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(path): --reference sample:s9: no such row (rows: s1, s2, s3, s4)")
        }
    }

    @Test func profileFileWithSeveralProfilesClassifiesEachRow() throws {
        let path = try Self.expressionFile()
        let profiles = Self.temporary("types.csv")
        // Columns in another order than the data's, plus one the data lacks.
        try AtomicFile.write(Array("type,g3,extra,g1,g2\nlow,0,9,1,4\nhigh,7,9,10,0\n".utf8), to: profiles)
        defer { unlink(path); unlink(profiles) }
        let options = try ProfileOptions(reference: "file:" + profiles, outliers: "none", orientation: "features-by-samples")
        let run = try ProfileRun.run(path: path, options: options)
        let nearest = try #require(run.nearest)
        #expect(nearest.names == ["low", "high"])
        #expect(nearest.profiles == [[1, 4, 0], [10, 0, 7]])
        #expect(nearest.counts == [3, 1])
        #expect(nearest.assignments.tensor!.scalars(as: Int.self) == [0, 0, 0, 1])
        expectClose(run.distances.tensor!.toArray(), [0, 2.0.squareRoot(), 5.0.squareRoot(), 0], 1e-6, "nearest distances")
        let csvPath = Self.temporary("nearest.csv")
        defer { unlink(csvPath) }
        try run.writeDistances(to: csvPath)
        let lines = String(decoding: try AtomicFile.read(csvPath), as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "row,distance,profile,outlier")
        #expect(lines.last == "3,0.0,high,0")
    }

    @Test func reportDetailsMatchFloat64AndAreTheSameInBlocks() throws {
        let m = TestMatrix(rows: 140_000, cols: 3, seed: 33)
        let path = Self.temporary("report.npy")
        defer { unlink(path) }
        try m.tensor.save(npy: path)
        var options = try ProfileOptions(outliers: "percentile:95")
        options.reportDetails = true
        let run = try ProfileRun.run(path: path, options: options)
        let histogram = try #require(run.histogram)
        #expect(histogram.counts.reduce(0, +) == 140_000)
        #expect(histogram.edges.first == run.summary.min && histogram.edges.last == run.summary.max)
        let flagged = Set(try #require(run.outliers).indices)
        let means = try #require(run.channelMeans)
        for c in 0..<3 {
            let col = m.column(c)
            expectClose(means.outliers[c], referenceMean(col.indices.filter { flagged.contains($0) }.map { col[$0] }), 1e-12, "outlier mean \(c)")
            expectClose(means.rest[c], referenceMean(col.indices.filter { !flagged.contains($0) }.map { col[$0] }), 1e-12, "rest mean \(c)")
        }
        options.blockRows = 65_536
        options.memoryBudget = 1 << 20
        let blocked = try ProfileRun.run(path: path, options: options)
        #expect(blocked.histogram == run.histogram)
        #expect(blocked.channelMeans?.outliers == means.outliers && blocked.channelMeans?.rest == means.rest)
        let data = run.reportData(file: path, generator: "test")
        #expect(data.outliers?.total == flagged.count && data.outliers?.rows.count == 100)
        #expect(data.format == "npy" && data.rows == 140_000)
    }
}
