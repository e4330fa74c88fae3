import Testing
import TesseraTestSupport
import Tessera
import TesseraBio

private func parse(_ text: String, name: String = "t.csv", delimiter: LabeledMatrix.Delimiter = .auto,
                   header: Bool = true, rowNames: LabeledMatrix.RowNames = .auto,
                   columns: [String]? = nil, missingValues: [String] = LabeledMatrix.defaultMissingValues)
    throws(TesseraError) -> LabeledMatrix {
    try LabeledMatrix.parse(Array(text.utf8), name: name, delimiter: delimiter, header: header, rowNames: rowNames,
                            missingValues: missingValues, columns: columns, dtype: .float64)
}

private func errorText(_ text: String, name: String = "t.csv", header: Bool = true,
                       columns: [String]? = nil, missingValues: [String] = LabeledMatrix.defaultMissingValues) -> String? {
    thrownDescription { _ = try parse(text, name: name, header: header, columns: columns, missingValues: missingValues) }
}

@Suite("Delimited matrices")
struct DelimitedMatrixTests {
    @Test func quotingFollowsRFC4180() throws {
        let text = """
        name,"a ""quoted"" x","b,c"
        "cell, 1",1.5,"-2"
        "cell
        two",3,4e2
        plain,"5",6

        """
        let m = try parse(text)
        #expect(m.columnNames == ["a \"quoted\" x", "b,c"])
        #expect(m.rowNames == ["cell, 1", "cell\ntwo", "plain"])
        #expect(m.values.toArray() == [1.5, -2, 3, 400, 5, 6])
    }

    @Test func crlfCommentsBlankLinesAndBOM() throws {
        let text = "\u{FEFF}# made by hand\r\nx,y\r\n\r\n1,2\r\n# a comment between rows\r\n 3 , 4 \r\n"
        let m = try parse(text)
        #expect(m.columnNames == ["x", "y"])
        #expect(m.rowNames == nil)
        #expect(m.values.shape == [2, 2])
        #expect(m.values.toArray() == [1, 2, 3, 4])
        // No final line break, bare CR line ends.
        let old = try parse("x,y\r1,2\r3,4")
        #expect(old.values.toArray() == [1, 2, 3, 4])
    }

    @Test func missingValuesBecomeNaNAndAreReported() throws {
        let text = "g,s1,s2,s3\nr1,1,NA,3\nr2,,5,NaN\nr3,nan,null,9\nr4,inf,-inf,1e-3\n"
        let m = try parse(text)
        #expect(m.values.shape == [4, 3])
        #expect(m.missingCount == 5)
        #expect(m.missing == [.init(row: 0, column: 1), .init(row: 1, column: 0), .init(row: 1, column: 2),
                              .init(row: 2, column: 0), .init(row: 2, column: 1)])
        let v = m.values.toArray()
        #expect(v[1].isNaN && v[3].isNaN && v[5].isNaN && v[6].isNaN && v[7].isNaN)
        #expect(v[9] == .infinity && v[10] == -.infinity && v[11] == 1e-3)
        // Transposing moves the positions too.
        let t = m.transposed()
        #expect(t.missing.first == .init(row: 0, column: 1))
        #expect(t.rowNames == ["s1", "s2", "s3"])
    }

    @Test func numericMissingTokenWins() throws {
        let m = try parse("a,b\n-999,2\n", missingValues: ["-999"])
        #expect(m.missingCount == 1)
        #expect(m.values.toArray()[0].isNaN)
    }

    @Test func rowNamesAreDetected() throws {
        // R's write.table: the header has no field for the row names.
        let r = try parse("a\tb\nx\t1\t2\ny\t3\t4\n", name: "r.txt")
        #expect(r.rowNames == ["x", "y"])
        #expect(r.columnNames == ["a", "b"])
        // Numeric first column: data, unless told otherwise.
        let numeric = try parse("id,v\n1,2\n3,4\n")
        #expect(numeric.rowNames == nil && numeric.values.shape == [2, 2])
        let forced = try parse("id,v\n1,2\n3,4\n", rowNames: .present)
        #expect(forced.rowNames == ["1", "3"] && forced.columnNames == ["v"] && forced.values.toArray() == [2, 4])
        // No header: generated nothing, names stay nil.
        let bare = try parse("1,2\n3,4\n", header: false)
        #expect(bare.columnNames == nil && bare.values.toArray() == [1, 2, 3, 4])
    }

    @Test func delimiters() throws {
        #expect(try parse("a\tb\n1\t2\n", name: "x.txt").values.toArray() == [1, 2])
        #expect(try parse("a,b\n1,2\n", name: "x.txt").values.toArray() == [1, 2])
        #expect(try parse("a;b\n1.5;2\n", name: "x.txt", delimiter: .byte(UInt8(ascii: ";")))
            .values.shape == [1, 2])
        // .tsv by extension, though commas appear in a name.
        #expect(try parse("a,x\tb\n1\t2\n", name: "x.tsv").columnNames == ["a,x", "b"])
    }

    @Test func columnsAreChosenByName() throws {
        let m = try parse("id,kind,x,y\na,cat,1,2\nb,dog,3,4\n", columns: ["y", "x"])
        #expect(m.columnNames == ["y", "x"])
        #expect(m.values.toArray() == [2, 1, 4, 3])
    }

    @Test func errorsNameFileLineColumnAndText() {
        #expect(errorText("a,b,c,d\n1,2,3,4\n5,6,7,abc\n", name: "exprsData.txt")
                == "exprsData.txt: line 3, column 4: expected a number, found \"abc\"")
        #expect(errorText("# c\nn,a,b\nr1,1,2\nr2,3\n")
                == "t.csv: line 4: expected 3 fields, found 2")
        #expect(errorText("a,b\n1,2,3,4\n")
                == "t.csv: line 2: expected 2 fields as in the header, found 4")
        #expect(errorText("a,b\n1,\"2\n3,4\n")
                == "t.csv: line 2, column 2: quoted field is not closed before the end of the file")
        #expect(errorText("a,b\n1,\"2\"x\n")
                == "t.csv: line 2, column 2: expected a delimiter or a line end after a closing quote, found \"x\"")
        #expect(errorText("a,b\n1,2\n", header: true, columns: ["z"])
                == "t.csv: no column named \"z\"; the columns are a, b")
        #expect(errorText("") == "t.csv: no header line: the file holds no records")
        #expect(thrownDescription { _ = try LabeledMatrix.read("/nonexistent/m.csv") }?
            .hasPrefix("/nonexistent/m.csv: cannot open for reading") == true)
    }

    /// Found by Fuzz/FuzzDelimited (kept as Fuzz/Corpus/Delimited/crash-vertical-tab-in-error-message): control
    /// characters and line breaks of a cell went into the message as they were, splitting its one line.
    @Test func errorsWriteControlCharactersEscaped() {
        #expect(errorText("a,b\n1,2\u{0B}3\n") == "t.csv: line 2, column 2: expected a number, found \"2\\u{B}3\"")
        #expect(errorText("a,b\n1,\"x\ny\"\n") == "t.csv: line 2, column 2: expected a number, found \"x\\ny\"")
        #expect(errorText("a,b\n1,\"2\"\u{0C}\n")
                == "t.csv: line 2, column 2: expected a delimiter or a line end after a closing quote, found \"\\u{C}\"")
        #expect(errorText("a,\"b\r\nc\"\n1,2\n", columns: ["z\u{2028}"])
                == "t.csv: no column named \"z\\u{2028}\"; the columns are a, b\\r\\nc")
    }

    /// `Double(_:)` reads a C string and stopped at a NUL, so a cell "1<NUL>2" was read as 1.
    @Test func aNulInsideANumberIsNotANumber() {
        #expect(errorText("a,b\n1,1\u{0}2\n") == "t.csv: line 2, column 2: expected a number, found \"1\\u{0}2\"")
        #expect(errorText("a,b\n1,1e400\u{0}\n") == "t.csv: line 2, column 2: expected a number, found \"1e400\\u{0}\"")
    }

    @Test func headerOnlyGivesAnEmptyMatrix() throws {
        let m = try parse("a,b,c\n")
        #expect(m.values.shape == [0, 3])
        #expect(m.columnNames == ["a", "b", "c"])
    }

    @Test func readsFromDiskAndNPY() throws {
        let csv = temporaryFile("m.csv", "x,y\n1,2\n3,4\n")
        defer { removeTemporaryFile(csv) }
        let m = try LabeledMatrix.read(csv)
        #expect(m.values.dtype == .float32 && m.values.toArray() == [1, 2, 3, 4])

        let npyPath = temporaryFile("m.npy", bytes: [])
        defer { removeTemporaryFile(npyPath) }
        try Tensor([[1.0, .nan, 3], [4, 5, .nan]], dtype: .float64).save(npy: npyPath)
        let n = try LabeledMatrix.read(npyPath, orientation: .columnsAreSamples, dtype: .float64)
        #expect(n.values.shape == [3, 2])
        #expect(n.missingCount == 2)
        #expect(n.missing == [.init(row: 1, column: 0), .init(row: 2, column: 1)])
        #expect(n.rowNames == nil && n.columnNames == nil)
    }

    /// Every number the fast parser takes must be bit-for-bit what `Double(String)` gives.
    @Test func numbersParseExactlyAsDoubleString() throws {
        var generator = SplitMix64(seed: 7)
        var lines: [String] = []
        for k in 0..<60_000 {
            let bits = generator.next()
            switch k % 6 {
            case 0: lines.append(String(Double(bitPattern: bits & 0x7FEF_FFFF_FFFF_FFFF)))
            case 1: lines.append(String(Double(Int64(bitPattern: bits) % 10_000_000) / 1000))
            case 2: lines.append(String(Float(bitPattern: UInt32(truncatingIfNeeded: bits) & 0x7F7F_FFFF)))
            case 3:
                // Up to 20 digits with a point somewhere and an exponent sometimes.
                let digits = String(bits).prefix(Int(bits % 20) + 1)
                let cut = Int(bits >> 40) % (digits.count + 1)
                let mantissa = digits.prefix(cut) + "." + digits.dropFirst(cut)
                let exponent = bits & 1 == 0 ? "" : "e\(Int(bits >> 50 & 63) - 32)"
                lines.append((bits & 2 == 0 ? "-" : "") + mantissa + exponent)
            case 4: lines.append(String(Int64(bitPattern: bits) >> Int64(bits % 63)))
            default: lines.append("0x1.\(String(bits >> 12, radix: 16))p\(Int(bits % 40) - 20)")
            }
        }
        let m = try parse("v\n" + lines.joined(separator: "\n") + "\n")
        let got = m.values.toArray()
        for (line, value) in zip(lines, got) {
            guard let want = Double(line) else { Issue.record("Double(\"\(line)\") is nil"); return }
            if want.bitPattern != value.bitPattern {
                Issue.record("\"\(line)\" parsed as \(value), Double(String) gives \(want)")
                return
            }
        }
        #expect(got.count == lines.count)
    }
}

