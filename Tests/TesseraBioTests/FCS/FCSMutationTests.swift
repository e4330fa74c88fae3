import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

/// Seeded mutations of the real files: each must throw a `TesseraError` or parse with a consistent shape.
/// A crash or hang fails the whole run, which is the point.
@Suite("FCS reader under mutation")
struct FCSMutationTests {
    /// Mutates `bytes` in one of several ways, mostly in HEADER and TEXT where the parser makes decisions.
    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = original
        let textEnd = min(b.count, (Int(String(decoding: b[18..<26], as: UTF8.self).filter { $0 != " " }) ?? 2000) + 2)
        switch rng.below(7) {
        case 0:   // flip bytes in HEADER/TEXT
            for _ in 0...rng.below(4) { b[rng.below(textEnd)] ^= UInt8(truncatingIfNeeded: 1 << rng.below(8) | rng.below(256)) }
        case 1:   // truncate anywhere
            b.removeSubrange(rng.below(b.count)...)
        case 2:   // rewrite one HEADER offset field
            let field = 10 + 8 * rng.below(6)
            let values = [0, 1, 57, 58, b.count - 1, b.count, b.count + 1, 99_999_999, rng.below(b.count)]
            let s = String(values[rng.below(values.count)])
            b.replaceSubrange(field..<field + 8, with: Array((String(repeating: " ", count: max(0, 8 - s.count)) + s).utf8.prefix(8)))
        case 3:   // rewrite the digits after a numeric keyword
            let keys = ["$TOT", "$PAR", "$BEGINDATA", "$ENDDATA", "$NEXTDATA", "$BEGINSTEXT", "$ENDSTEXT", "$P1B", "$P2B", "$P1R", "$BYTEORD"]
            let key = Array(keys[rng.below(keys.count)].utf8)
            guard let at = (0..<max(0, textEnd - key.count)).first(where: { b[$0..<$0 + key.count].elementsEqual(key) }) else { break }
            var i = at + key.count + 1
            let replacements: [[UInt8]] = [[0x30], [0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39, 0x39], [0x2D, 0x31], [0x31], [0x20]]
            let r = replacements[rng.below(replacements.count)]
            for byte in r where i < textEnd { b[i] = byte; i += 1 }
        case 4:   // change the delimiter at TEXT start or a random delimiter-like byte
            let start = min(b.count - 1, 58 + rng.below(max(1, textEnd - 58)))
            b[start] = [0x2F, 0x5C, 0x0C, 0x20, 0x00][rng.below(5)]
        case 5:   // flip bytes anywhere (DATA included)
            for _ in 0...rng.below(8) { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        default:  // duplicate or delete a span of TEXT
            let lo = rng.below(textEnd), hi = min(textEnd, lo + rng.below(40))
            if rng.below(2) == 0 { b.removeSubrange(lo..<hi) } else { b.insert(contentsOf: b[lo..<hi], at: lo) }
        }
        return b
    }

    @Test func mutatedRealFilesThrowOrParse() throws {
        guard let folder = fcsDataFolder() else { return }
        var rng = SplitMix64(seed: 2026)
        var parsed = 0, thrown = 0
        for name in fcsRealFiles {
            let original = try AtomicFile.read(folder + "/" + name)
            for _ in 0..<400 {
                let bytes = Self.mutate(original, &rng)
                for dataset in [0, 1] {
                    do {
                        let f = try FCSFile.parse(bytes, path: name, dataset: dataset)
                        #expect(f.data.shape == [f.events, f.parameters.count], "\(name)")
                        #expect(f.parameters.count >= 1)
                        parsed += 1
                    } catch {
                        #expect(error.location == name && !error.message.isEmpty && !error.message.contains("\n"))
                        thrown += 1
                    }
                }
            }
        }
        print("FCS mutations: parsed \(parsed), thrown \(thrown)")
        // Both outcomes must actually occur, or the mutations are not exercising the reader.
        #expect(parsed > 500 && thrown > 500, "parsed \(parsed), thrown \(thrown)")
    }

    /// The same on a hand-made two-data-set file with 24-bit big-endian and float64 data.
    @Test func mutatedTwoDataSetFileThrowsOrParses() {
        var first = FCSBuilder()
        first.keywords = FCSBuilder.keywords(datatype: "I", byteord: "4,3,2,1", tot: 20, bits: [24, 8])
        first.data = (0..<80).map { UInt8($0) }
        var second = FCSBuilder()
        second.headerDataZero = true
        second.keywords = FCSBuilder.keywords(datatype: "D", byteord: "1,2,3,4", tot: 5, bits: [64, 64])
        second.data = (0..<80).map { UInt8($0 * 3 % 256) }
        let original = first.bytes(nextData: first.bytes().count) + second.bytes()
        var rng = SplitMix64(seed: 7)
        var outcomes = [0, 0]
        for _ in 0..<1500 {
            let bytes = Self.mutate(original, &rng)
            for dataset in [0, 1, 2] {
                do {
                    let f = try FCSFile.parse(bytes, path: "two.fcs", dataset: dataset)
                    #expect(f.data.shape == [f.events, f.parameters.count])
                    outcomes[0] += 1
                } catch {
                    #expect(error.location == "two.fcs" && !error.message.isEmpty)
                    outcomes[1] += 1
                }
            }
        }
        #expect(outcomes[0] > 300 && outcomes[1] > 300, "parsed \(outcomes[0]), thrown \(outcomes[1])")
    }
}
