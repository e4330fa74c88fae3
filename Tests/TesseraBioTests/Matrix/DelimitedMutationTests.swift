import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

/// Random byte edits of small valid files must give a matrix or a `TesseraError`, never a crash or hang.
@Suite("Delimited matrices under mutation")
struct DelimitedMutationTests {
    static let seeds = [
        "# comment\nname,\"a \"\"b\"\"\",c\r\n\"r,1\",1.5,NA\nr2,-2e3,\"4\"\n\nr3,,0x1p3\n",
        "Feature\tA\tB\nAFFX-1\t192.742\t-8.68811\nAFFX-2\t1e-300\tnan\n",
        "x;y\n1;2\n3;4",
    ]

    @Test(arguments: seeds.indices)
    func mutantsNeverCrash(_ seedIndex: Int) {
        let original = Array(Self.seeds[seedIndex].utf8)
        let alphabet = Array("\"\r\n\t,;#.-+eE0123456789 NAx".utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF]
        var g = SplitMix64(seed: UInt64(seedIndex) + 100)
        var parsed = 0, rejected = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int(g.next() % 4) + 1 {
                let position = Int(g.next() % UInt64(bytes.count + 1))
                let byte = alphabet[Int(g.next() % UInt64(alphabet.count))]
                switch g.next() % 3 {
                case 0 where position < bytes.count: bytes[position] = byte
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: bytes.insert(byte, at: position)
                }
            }
            if g.next() % 8 == 0 { bytes = Array(bytes.prefix(Int(g.next() % UInt64(bytes.count + 1)))) }
            do {
                let m = try LabeledMatrix.parse(bytes, name: "mutant.csv", delimiter: seedIndex == 2 ? .byte(59) : .auto)
                #expect(m.values.rank == 2)
                #expect(m.rowNames == nil || m.rowNames!.count == m.rows)
                #expect(m.columnNames == nil || m.columnNames!.count == m.columns)
                parsed += 1
            } catch {
                #expect(error.location == "mutant.csv")
                rejected += 1
            }
        }
        #expect(parsed + rejected == 3000)
    }
}
