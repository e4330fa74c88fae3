import FoundationEssentials
import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

/// Replays the kept libFuzzer corpus (`Fuzz/Corpus`, seeds, merged finds and `crash-*` reproducers) through the
/// readers: each input parses with a consistent shape or throws a `TesseraError` whose description is one line
/// naming the input. The same checks as `Fuzz/Sources/*`, without libFuzzer, so they run in every `swift test`.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    /// The files of `Fuzz/Corpus/<kind>`, sorted by name; records a failure when the folder is missing or small.
    static func corpus(_ kind: String, sourceLocation: SourceLocation = #_sourceLocation) -> [(name: String, bytes: [UInt8])] {
        let folder = TestData.packageRoot() + "/Fuzz/Corpus/" + kind
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            Issue.record("fuzz corpus folder \(folder) is missing", sourceLocation: sourceLocation)
            return []
        }
        let files = names.sorted().compactMap { name -> (name: String, bytes: [UInt8])? in
            guard let bytes = try? AtomicFile.read(folder + "/" + name) else {
                Issue.record("cannot read \(folder)/\(name)", sourceLocation: sourceLocation)
                return nil
            }
            return (name, bytes)
        }
        #expect(files.count >= 10, "only \(files.count) files in \(folder)", sourceLocation: sourceLocation)
        return files
    }

    /// `error` is one line that starts with `name`.
    static func expectOneLine(_ thrown: TesseraError, naming name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = thrown.description
        let namesInput = thrown.location == name && text.hasPrefix(name + ": ") && !thrown.message.isEmpty
        #expect(namesInput, "\(text)", sourceLocation: sourceLocation)
        let oneLine = !text.contains { $0.isNewline }
        #expect(oneLine, "not one line: \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func fcsCorpusParsesOrThrowsOneLine() {
        var outcomes = (parsed: 0, thrown: 0)
        for (name, bytes) in Self.corpus("FCS") {
            for dataset in 0...1 {
                do {
                    let f = try FCSFile.parse(bytes, path: name, dataset: dataset)
                    #expect(f.parameters.count >= 1 && f.data.shape == [f.events, f.parameters.count], "\(name)")
                    #expect(f.data.dtype == (f.dataType == "D" ? .float64 : .float32), "\(name)")
                    outcomes.parsed += 1
                } catch {
                    Self.expectOneLine(error, naming: name)
                    outcomes.thrown += 1
                }
            }
        }
        // The seeds include readable files (the real ones cut to 20 events) and broken ones.
        #expect(outcomes.parsed >= 5 && outcomes.thrown >= 5, "parsed \(outcomes.parsed), thrown \(outcomes.thrown)")
    }

    /// The options that the first byte of a `FuzzDelimited` input selects (see `FuzzDelimited.swift`).
    struct DelimitedOptions {
        var delimiter: LabeledMatrix.Delimiter
        var header: Bool
        var rowNames: LabeledMatrix.RowNames
        var orientation: LabeledMatrix.Orientation
        var dtype: DType

        init(_ flags: UInt8) {
            delimiter = [.auto, .comma, .tab, .byte(UInt8(ascii: ";"))][Int(flags & 3)]
            header = flags & 4 == 0
            rowNames = [.auto, .present, .absent, .auto][Int(flags >> 3 & 3)]
            orientation = flags & 32 != 0 ? .columnsAreSamples : .rowsAreSamples
            dtype = flags & 64 != 0 ? .float64 : .float32
        }
    }

    @Test func delimitedCorpusParsesOrThrowsOneLine() {
        var outcomes = (parsed: 0, thrown: 0)
        for (name, bytes) in Self.corpus("Delimited") where !bytes.isEmpty {
            let o = DelimitedOptions(bytes[0])
            do {
                let m = try LabeledMatrix.parse(Array(bytes.dropFirst()), name: name, delimiter: o.delimiter,
                                                header: o.header, rowNames: o.rowNames, orientation: o.orientation,
                                                dtype: o.dtype)
                #expect(m.values.shape == [m.rows, m.columns] && m.values.dtype == o.dtype, "\(name)")
                #expect(m.missing.count == min(m.missingCount, LabeledMatrix.missingListLimit), "\(name)")
                outcomes.parsed += 1
            } catch {
                Self.expectOneLine(error, naming: name)
                outcomes.thrown += 1
            }
        }
        #expect(outcomes.parsed >= 5 && outcomes.thrown >= 5, "parsed \(outcomes.parsed), thrown \(outcomes.thrown)")
    }
}
