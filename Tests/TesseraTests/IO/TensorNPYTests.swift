#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import Tessera

/// A fresh empty directory under /tmp for one test.
private func temporaryDirectory() -> String {
    var template = Array("/tmp/tessera-npy-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

/// The values NumPy stored in `fixture` (its sidecar hex), as doubles in row-major order, and the dtype
/// Tessera should load them as. Decoded here independently of the loader.
private func expectedValues(_ fixture: NPYFixture) -> (values: [Double], dtype: DType) {
    let descr = Array(fixture.descr.utf8)
    let bigEndian = descr[0] == UInt8(ascii: ">")
    let kind = Character(Unicode.Scalar(descr[1]))
    let size = Int(String(decoding: descr[2...], as: UTF8.self))!
    let data = fixture.data
    let count = data.count / size
    var fileOrder: [Double] = []
    for i in 0..<count {
        var bytes = Array(data[(i * size)..<((i + 1) * size)])
        if bigEndian { bytes.reverse() }
        let bits = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let value: Double = switch (kind, size) {
        case ("b", _), ("u", _): Double(bits)
        case ("i", _): Double(Int64(bitPattern: bits << (64 - 8 * UInt64(size))) >> (64 - 8 * Int64(size)))
        case ("f", 2): Double(Float16(bitPattern: UInt16(bits)))
        case ("f", 4): Double(Float(bitPattern: UInt32(bits)))
        default: Double(bitPattern: bits)
        }
        fileOrder.append(value)
    }
    var values = fileOrder
    if fixture.fortranOrder && fixture.shape.count > 1 {
        // File position of C index (i0, i1, …) is i0 + n0·(i1 + n1·(…)).
        let shape = fixture.shape
        for c in 0..<count {
            var rest = c, position = 0, scale = 1
            var index = [Int](repeating: 0, count: shape.count)
            for axis in shape.indices.reversed() { index[axis] = rest % shape[axis]; rest /= shape[axis] }
            for axis in shape.indices { position += index[axis] * scale; scale *= shape[axis] }
            values[c] = fileOrder[position]
        }
    }
    let dtype: DType = switch (kind, size) {
    case ("b", _): .bool
    case ("u", 1): .uint8
    case ("i", 1), ("i", 2), ("i", 4), ("u", 2): .int32
    case ("i", 8), ("u", 4), ("u", 8): .int64
    case ("f", 2): .float16
    case ("f", 4): .float32
    default: .float64
    }
    return (values, dtype)
}

@Suite("Tensor .npy/.npz")
struct TensorNPYTests {
    @Test("loads every NumPy fixture", arguments: NPYFixture.all)
    func loadsFixture(_ fixture: NPYFixture) throws {
        let tensor: Tensor
        if let member = fixture.member {
            let name = String(member.dropLast(4))
            let loaded = try Tensor.loadDictionary(npz: fixturePath("npy/\(fixture.file)"))
            tensor = try #require(loaded[name], "\(fixture.file) has no member \(name)")
        } else {
            tensor = try Tensor.load(npy: fixturePath("npy/\(fixture.file)"))
        }
        let (values, dtype) = expectedValues(fixture)
        #expect(tensor.shape == fixture.shape)
        #expect(tensor.dtype == dtype)
        #expect(tensor.toArray() == values)
    }

    @Test func fixturesCoverTheCases() {
        let descrs = Set(NPYFixture.all.map(\.descr))
        for descr in ["|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8", ">f8", ">i4"] {
            #expect(descrs.contains(descr), "no fixture with descr \(descr)")
        }
        #expect(NPYFixture.all.contains { $0.fortranOrder })
        #expect(NPYFixture.all.contains { $0.shape.isEmpty })
        #expect(NPYFixture.all.contains { $0.data.isEmpty })
    }

    @Test func npzKeepsArchiveOrder() throws {
        let loaded = try Tensor.load(npz: fixturePath("npy/savez.npz"))
        #expect(loaded.map(\.name) == ["a", "b", "c"])
        #expect(loaded[2].tensor.shape == [] && loaded[2].tensor.dtype == .bool)
    }

    // MARK: Layouts and conversions

    @Test func fortranBigEndianFloat() throws {
        let t = try Tensor.load(npy: fixturePath("npy/tensor/load_fortran_be_f4.npy"))
        #expect(t.shape == [2, 3, 4] && t.dtype == .float32)
        #expect(t.scalars(as: Float.self) == (0..<24).map(Float.init))
    }

    @Test func fortranWidenedInt16() throws {
        let t = try Tensor.load(npy: fixturePath("npy/tensor/load_fortran_i2.npy"))
        #expect(t.shape == [2, 3, 4] && t.dtype == .int32)
        #expect(t.scalars(as: Int32.self) == (0..<24).map { Int32($0 - 12) })
    }

    @Test func fortranBigEndianUInt16() throws {
        let t = try Tensor.load(npy: fixturePath("npy/tensor/load_fortran_be_u2.npy"))
        #expect(t.shape == [2, 3] && t.dtype == .int32)
        #expect(t.scalars(as: Int32.self) == [0, 10000, 20000, 30000, 40000, 50000])
    }

    @Test func uint32WidensToInt64() throws {
        let t = try Tensor.load(npy: fixturePath("npy/tensor/load_u4.npy"))
        #expect(t.dtype == .int64)
        #expect(t.scalars(as: Int64.self) == [0, 4_294_967_295, 7])
    }

    @Test func uint64WithinInt64Loads() throws {
        let t = try Tensor.load(npy: fixturePath("npy/tensor/load_u8_max_ok.npy"))
        #expect(t.dtype == .int64)
        #expect(t.scalars(as: Int64.self) == [0, .max])
    }

    @Test func uint64AboveInt64MaxThrows() throws {
        let path = fixturePath("npy/tensor/load_u8_overflow.npy")
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .unsupported)
        #expect(error.location == path)
        #expect(error.offset == 128 + 8)
        #expect(error.description.contains("9223372036854775808"), "\(error)")
    }

    @Test func nonzeroBoolBytesBecomeTrue() throws {
        var bytes = NPYFormat.encodeHeader(NPYHeader(type: .bool, shape: [3]))
        bytes += [0, 1, 7]
        let t = try Tensor.decodeNPY(bytes, file: "b.npy")
        #expect(t.scalars(as: UInt8.self) == [0, 1, 1])
        #expect((t .== Tensor([false, true, true])).scalars(as: Bool.self) == [true, true, true])
    }

    // MARK: Saving

    /// The tensors `make_tensor_fixtures.py` saved with NumPy, built here from the same values.
    static let savedCases: [(file: String, tensor: @Sendable () -> Tensor)] = [
        ("saved_f4.npy", { grid().astype(.float32) }),
        ("saved_f8.npy", { grid().astype(.float64) }),
        ("saved_f2.npy", { grid().astype(.float16) }),
        ("saved_bf16.npy", { grid().astype(.bfloat16) }),
        ("saved_i4.npy", { Tensor.arange(-6, 6, step: 1).reshape([3, 4]).astype(.int32) }),
        ("saved_i8.npy", { Tensor([-(1 << 62), -1, 0, (1 << 62) + 3], dtype: .int64) }),
        ("saved_u1.npy", { Tensor.arange(250, 256, step: 1).reshape([2, 3]).astype(.uint8) }),
        ("saved_b1.npy", { Tensor([[true, false, true], [false, false, true]]) }),
        ("saved_0d.npy", { Tensor(shape: [], scalars: [3.25], dtype: .float64) }),
        ("saved_empty.npy", { Tensor.zeros([0, 3]) }),
        ("saved_4d.npy", { Tensor.arange(120).reshape([2, 3, 4, 5]) }),
        ("saved_transposed.npy", { Tensor.arange(6, dtype: .float32).reshape([2, 3]).T }),
        ("saved_sliced.npy", {
            Tensor.arange(30, dtype: .int32).reshape([5, 6])[TensorIndex.stride(from: 1, to: nil, by: 2),
                                                             TensorIndex.stride(from: nil, to: nil, by: -2)]
        }),
    ]

    /// `np.arange(12).reshape(3, 4) * 0.5 - 2`, in float64 (exact in every float type).
    static func grid() -> Tensor {
        Tensor(shape: [3, 4], scalars: (0..<12).map { Double($0) * 0.5 - 2 }, dtype: .float64)
    }

    @Test("saves the bytes NumPy saves", arguments: savedCases.indices)
    func savesNumPyBytes(_ index: Int) throws {
        let (file, make) = Self.savedCases[index]
        let expected = try fixtureBytes("npy/tensor/\(file)")
        #expect(make().npyBytes() == expected, "\(file)")
        let path = temporaryDirectory() + "/" + file
        try make().save(npy: path)
        #expect(try AtomicFile.read(path) == expected, "\(file)")
    }

    @Test("round-trips every dtype", arguments: DType.allCases)
    func roundTrip(_ dtype: DType) throws {
        let dir = temporaryDirectory()
        let shapes: [[Int]] = [[], [0], [2, 0, 3], [7], [3, 5], [2, 3, 4]]
        for shape in shapes {
            let n = shape.reduce(1, *)
            let t = Tensor(shape: shape, scalars: (0..<n).map { Double($0 % 7) - 2.5 + (dtype == .bool ? 0.5 : 0) }, dtype: dtype)
            let path = "\(dir)/t.npy"
            try t.save(npy: path)
            let back = try Tensor.load(npy: path)
            #expect(back.shape == shape)
            if dtype == .bfloat16 {
                // Saved as raw bits (<u2), which load as int32 holding them.
                #expect(back.dtype == .int32)
                let bits = t.astype(.float32).scalars(as: Float.self).map { Int32(BFloat16($0).bitPattern) }
                #expect(back.scalars(as: Int32.self) == bits)
            } else {
                #expect(back.dtype == dtype)
                #expect(back.toArray() == t.toArray(), "\(dtype) \(shape)")
            }
        }
    }

    @Test func roundTripsNonContiguousViews() throws {
        let dir = temporaryDirectory()
        let base = Tensor.arange(60, dtype: .float64).reshape([3, 4, 5])
        let views = [
            base.permute([2, 0, 1]),
            base[1..., TensorIndex.stride(from: nil, to: nil, by: -1), TensorIndex.stride(from: 0, to: nil, by: 2)],
            base[.all, 2],
            Tensor.arange(4, dtype: .float64).reshape([4, 1]).broadcast(to: [4, 3]),
            Tensor.full([2, 2], 1.5),
        ]
        for view in views {
            try view.save(npy: "\(dir)/v.npy")
            let back = try Tensor.load(npy: "\(dir)/v.npy")
            #expect(back.shape == view.shape)
            #expect(back.toArray() == view.toArray())
        }
    }

    @Test func largeFileRoundTrips() throws {
        // Several copy/read chunks per core.
        let n = 6_000_003
        let t = Tensor.arange(0, n, step: 1, dtype: .float32)
        let path = temporaryDirectory() + "/big.npy"
        try t.save(npy: path)
        let back = try Tensor.load(npy: path)
        #expect(back.shape == [n])
        let values = back.scalars(as: Float.self)
        #expect(values.count == n)
        #expect(values.enumerated().allSatisfy { $0.element == Float($0.offset) })
    }

    @Test func npzRoundTripKeepsOrderAndNames() throws {
        let path = temporaryDirectory() + "/m.npz"
        let tensors: [(String, Tensor)] = [
            ("zeta", Tensor([1.5, 2.5])), ("alpha", Tensor([[1, 2], [3, 4]], dtype: .int32)),
            ("flag", Tensor(shape: [], scalars: [true])), ("empty", Tensor.zeros([0])),
        ]
        try Tensor.save(npz: path, tensors)
        let back = try Tensor.load(npz: path)
        #expect(back.map(\.name) == ["zeta", "alpha", "flag", "empty"])
        for ((_, t), (_, u)) in zip(tensors, back) {
            #expect(u.shape == t.shape && u.dtype == t.dtype && u.toArray() == t.toArray())
        }
        try Tensor.save(npz: path, ["b": Tensor([2.0]), "a": Tensor([1.0])])
        #expect(try Tensor.load(npz: path).map(\.name) == ["a", "b"])
        #expect(try Tensor.loadDictionary(npz: path)["b"]?.toArray() == [2.0])
    }

    @Test func npzMembersMatchNumPy() throws {
        let numpy = try ZIPArchive.read(fixtureBytes("npy/tensor/savez_pair.npz"), file: "savez_pair.npz")
        let grid = Self.grid().astype(.float32)
        let ints = Tensor.arange(-6, 6, step: 1).reshape([3, 4]).astype(.int32)
        #expect(numpy.map(\.name) == ["grid.npy", "ints.npy"])
        #expect(numpy[0].data == grid.npyBytes())
        #expect(numpy[1].data == ints.npyBytes())
        let path = temporaryDirectory() + "/pair.npz"
        try Tensor.save(npz: path, [("grid", grid), ("ints", ints)])
        let ours = try ZIPArchive.read(AtomicFile.read(path), file: path)
        #expect(ours.map(\.name) == numpy.map(\.name))
        #expect(ours.map(\.data) == numpy.map(\.data))
    }

    @Test func npzRejectsBadNames() throws {
        let path = temporaryDirectory() + "/bad.npz"
        let repeated = try #require(throws: TesseraError.self) {
            try Tensor.save(npz: path, [("a", Tensor([1.0])), ("a", Tensor([2.0]))])
        }
        #expect(repeated.kind == .invalidArgument && repeated.description.contains("'a'"))
        #expect(throws: TesseraError.self) { try Tensor.save(npz: path, [("", Tensor([1.0]))]) }
    }

    // MARK: Errors

    @Test func truncatedFileNamesTheFile() throws {
        let path = temporaryDirectory() + "/short.npy"
        let bytes = try fixtureBytes("npy/dtype_f4.npy")
        try AtomicFile.write(Array(bytes.dropLast(3)), to: path)
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .badFile)
        #expect(error.location == path)
        #expect(error.offset == 128)
        #expect(error.description.hasPrefix(path + ": offset 128: "), "\(error)")
    }

    @Test func truncatedHeaderNamesTheFile() throws {
        let path = temporaryDirectory() + "/header.npy"
        try AtomicFile.write(Array(try fixtureBytes("npy/dtype_f4.npy").prefix(40)), to: path)
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .badFile && error.location == path, "\(error)")
    }

    @Test func wrongMagicNamesTheFile() throws {
        let path = temporaryDirectory() + "/magic.npy"
        var bytes = try fixtureBytes("npy/dtype_f4.npy")
        bytes[1] = UInt8(ascii: "X")
        try AtomicFile.write(bytes, to: path)
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .badFile && error.offset == 0)
        #expect(error.description.hasPrefix(path + ": offset 0: expected magic"), "\(error)")
        let empty = temporaryDirectory() + "/empty.npy"
        try AtomicFile.write([], to: empty)
        let emptyError = try #require(throws: TesseraError.self) { try Tensor.load(npy: empty) }
        #expect(emptyError.location == empty && emptyError.description.contains("0 bytes"), "\(emptyError)")
    }

    @Test("unsupported dtypes name the file and type",
          arguments: ["unsupported_c8.npy", "unsupported_object.npy", "unsupported_structured.npy"])
    func unsupportedDType(_ file: String) throws {
        let path = fixturePath("npy/\(file)")
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .unsupported && error.location == path, "\(error)")
    }

    @Test func missingFileIsAnIOError() throws {
        let path = temporaryDirectory() + "/none.npy"
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npy: path) }
        #expect(error.kind == .io && error.location == path)
        let npzError = try #require(throws: TesseraError.self) { try Tensor.load(npz: path) }
        #expect(npzError.kind == .io && npzError.location == path)
    }

    @Test func badNPZMemberNamesArchiveAndMember() throws {
        let path = temporaryDirectory() + "/member.npz"
        var member = Tensor([1.0, 2.0]).npyBytes()
        member.removeLast()
        try AtomicFile.write(ZIPArchive.write([(name: "w.npy", data: member)]), to: path)
        let error = try #require(throws: TesseraError.self) { try Tensor.load(npz: path) }
        #expect(error.kind == .badFile && error.location == "\(path)[w.npy]", "\(error)")
    }
}
