import FoundationEssentials
import Testing
import Tessera
import TesseraBio

/// What fcsparser 0.2.8 read from one real file (`Fixtures/fcs/fcs_expected.json`, `make_fcs_fixtures.py`).
struct FCSExpected: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var version: String
    var keywords: [String: String]
    var shape: [Int]
    var first: [[Double]]
    var last: [[Double]]
    var sums: [Double]
    var fnv1a64: String

    var testDescription: String { file }

    static let all: [FCSExpected] = {
        guard let bytes = try? AtomicFile.read(fcsFixturePath("fcs_expected.json")),
              let all = try? JSONDecoder().decode([FCSExpected].self, from: Data(bytes)) else { return [] }
        return all
    }()
}

@Suite("FCS reader against fcsparser")
struct FCSReferenceTests {
    @Test func fixtureCoversEveryRealFile() {
        #expect(FCSExpected.all.map(\.file).sorted() == fcsRealFiles.sorted(),
                "Fixtures/fcs/fcs_expected.json is missing or stale: run make_fcs_fixtures.py")
    }

    @Test(arguments: FCSExpected.all)
    func matchesFcsparser(_ expected: FCSExpected) throws {
        guard let folder = fcsDataFolder() else { return }
        let path = folder + "/" + expected.file
        let fcs = try FCSFile.read(path)
        #expect(fcs.version == expected.version)
        #expect(fcs.dataset == 0)
        #expect(try FCSFile.datasets(in: path) == 1)
        #expect(fcs.data.shape == expected.shape)
        #expect([fcs.events, fcs.parameters.count] == expected.shape)
        #expect(fcs.data.dtype == .float32)

        // fcsparser turns $PAR/$TOT into ints (so no padding); names and labels are compared as written.
        for (key, value) in expected.keywords {
            let ours = key == "$PAR" || key == "$TOT" ? fcs[key].map { String(Int(trimmedSpaces($0)) ?? -1) } : fcs[key]
            #expect(ours == value, "keyword \(key)")
            #expect(fcs[key.lowercased()] == fcs[key], "case-insensitive lookup of \(key)")
        }
        for (i, p) in fcs.parameters.enumerated() {
            #expect(p.name == expected.keywords["$P\(i + 1)N"], "parameter \(i + 1) name")
            #expect(p.label == expected.keywords["$P\(i + 1)S"], "parameter \(i + 1) label")
        }

        let values = fcs.data.scalars(as: Float.self)
        let columns = expected.shape[1]
        let rows = expected.shape[0]
        for (r, row) in expected.first.enumerated() {
            let ours = Array(values[r * columns..<(r + 1) * columns])
            let theirs: [Float] = row.map { Float($0) }
            #expect(ours == theirs, "row \(r)")
        }
        for (k, row) in expected.last.enumerated() {
            let r = rows - expected.last.count + k
            let ours = Array(values[r * columns..<(r + 1) * columns])
            let theirs: [Float] = row.map { Float($0) }
            #expect(ours == theirs, "row \(r)")
        }
        for j in 0..<columns {
            var sum = 0.0
            for r in 0..<rows { sum += Double(values[r * columns + j]) }
            let want = expected.sums[j]
            #expect(abs(sum - want) <= 1e-9 * max(1, abs(want)), "column \(j) sum \(sum) vs fcsparser \(want)")
        }
        let hash = fnv1a64(values.lazy.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> ($0 * 8)) } })
        let hex = String(hash, radix: 16)
        #expect(String(repeating: "0", count: 16 - hex.count) + hex == expected.fnv1a64, "hash of every value")
    }

    /// fcsparser drops bytes that are not UTF-8; we read FCS 2.0 TEXT as Mac OS Roman, where 0xAA is "™".
    @Test func macRomanText() throws {
        guard let folder = fcsDataFolder() else { return }
        let fcs = try FCSFile.read(folder + "/Sample_Well_A02.fcs")
        #expect(fcs["CREATOR"] == "CellQuest Pro™ 5.2.1")
        #expect(fcs.parameters.map(\.bits) == Array(repeating: 16, count: 8))
        #expect(fcs.parameters[0].range == 1024)
    }

    /// The supplemental TEXT (`@MB_` keywords) is read after the primary TEXT; cyflow's ZIP "supplemental TEXT" is not.
    @Test func supplementalText() throws {
        guard let folder = fcsDataFolder() else { return }
        let ey = try FCSFile.read(folder + "/EY_2013-07-19_PBS_FCS_3.1_Well_A1.001.fcs")
        #expect(ey["@MB_P1_USERNAME"] == "HDR-T")
        #expect(ey.keywords.contains { $0.key == "$SPILLOVER" })
        let cube = try FCSFile.read(folder + "/cyflow_cube_8.fcs")
        #expect(cube.parameters.map(\.bits) == [16, 16, 16, 16, 16, 16, 16, 16, 32, 8])
        #expect(!cube.keywords.contains { $0.key.hasPrefix("PK") })
    }
}

func trimmedSpaces(_ s: String) -> String {
    String(s.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}
