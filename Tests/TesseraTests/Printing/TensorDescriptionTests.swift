import FoundationEssentials
import Testing
@testable import Tessera

@Suite("Tensor printing")
struct TensorDescriptionTests {
    /// Every case of `Fixtures/printing/tensor_description.json`; none if it is unreadable, which
    /// `fixturesCoverTheCases` reports.
    static let cases: [Case] = {
        let url = URL(fileURLWithPath: fixturePath("printing/tensor_description.json"))
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    /// Each small case is built from all its values and compared with NumPy's rendering.
    @Test(arguments: cases.filter { $0.corners.isEmpty })
    func matchesNumPy(_ c: Case) throws {
        let dtype = try #require(DType(rawValue: c.dtype))
        let tensor: Tensor
        if dtype.isFloatingPoint {
            tensor = Tensor(shape: c.shape, scalars: try c.values.map { try #require(Double($0), "\($0)") }, dtype: dtype)
        } else {
            tensor = Tensor(shape: c.shape, scalars: try c.values.map { try #require(Int64($0), "\($0)") }, dtype: dtype)
        }
        let got = tensor.description
        #expect(got == c.expected, "\(c.name):\n\(got)\nwant:\n\(c.expected)")
    }

    /// Huge tensors whose memory is never touched except at the corners: printing must read nothing
    /// else, and take next to no time.
    @Test(arguments: cases.filter { !$0.corners.isEmpty })
    func hugeTensorReadsOnlyCorners(_ c: Case) throws {
        let dtype = try #require(DType(rawValue: c.dtype))
        let count = c.shape.reduce(1, *)
        // Fresh, untouched memory: only the corners are written, so reading anything else would show.
        let buffer = Buffer.host(bytes: count * dtype.byteSize)
        let strides = Shape.contiguousStrides(c.shape)
        for corner in c.corners {
            let index = corner.index.enumerated().reduce(0) { $0 + $1.element * strides[$1.offset] }
            let value = try #require(Double(corner.value))
            switch dtype {
            case .float32: buffer.pointer.assumingMemoryBound(to: Float.self)[index] = Float(value)
            case .float64: buffer.pointer.assumingMemoryBound(to: Double.self)[index] = value
            case .int64: buffer.pointer.assumingMemoryBound(to: Int64.self)[index] = Int64(value)
            default: Issue.record("no huge case for \(dtype)")
            }
        }
        let tensor = Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: c.shape)), dtype: dtype)
        let start = monotonicSeconds()
        let got = tensor.description
        let seconds = monotonicSeconds() - start
        #expect(got == c.expected, "\(c.name):\n\(got)\nwant:\n\(c.expected)")
        // About a millisecond in a debug build (more when other tests share the cores); merely faulting in
        // these 640 MB–1.3 GB of untouched memory would take longer than the bound.
        #expect(seconds < 0.2, "printing \(c.shape) took \(seconds) s")
    }

    /// The corner gathering gives what `ArrayFormat` prints from all the values, for many shapes.
    @Test(arguments: [[1001], [7, 150], [150, 7], [2, 3, 400], [9, 9, 13], [20, 1, 60], [6, 6, 6, 6, 6],
                      [7, 6, 7, 6], [3, 1000, 2], [1, 1, 1200]])
    func summarizedMatchesFullFormat(_ shape: [Int]) {
        let n = shape.reduce(1, *)
        let t = Tensor.arange(n, dtype: .float64).reshape(shape) * 0.37 - 11
        let full = ArrayFormat.format(values: t.toArray(), shape: shape, kind: .float64, prefix: "tensor(", suffix: ")")
        #expect(t.description.hasPrefix(String(full.dropLast())), "\(shape):\n\(t)\nwant:\n\(full)")
    }

    @Test func viewsPrintTheirOwnElements() {
        let x = Tensor.arange(2000, dtype: .int32).reshape([40, 50])
        let t = x.T[TensorIndex.stride(from: nil, to: nil, by: -1)]
        let full = ArrayFormat.format(values: t.toArray(), shape: t.shape, kind: .integer, prefix: "tensor(", suffix: ")")
        // The last line has no room for the dtype, so it and the device go on a new line.
        #expect(t.description == String(full.dropLast()) + ", shape=[50, 40],\n       dtype=int32, device=cpu)")
        #expect("\(Tensor([1, 2]))" == "tensor([1, 2], shape=[2], dtype=int64, device=cpu)")
    }

    @Test func fixturesCoverTheCases() {
        #expect(Self.cases.count >= 50)
        for dtype in DType.allCases {
            #expect(Self.cases.contains { $0.dtype == dtype.rawValue }, "no case for \(dtype)")
        }
        #expect(Self.cases.contains { $0.expected.contains(",\n       shape=") || $0.expected.contains(",\n       dtype=") })
        #expect(Self.cases.filter { !$0.corners.isEmpty }.count >= 3)
    }
}

extension TensorDescriptionTests {
    /// One tensor and its expected printout.
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let dtype: String
        let shape: [Int]
        let values: [String]
        let corners: [Corner]
        let expected: String

        var testDescription: String { name }
    }

    /// One element of a huge tensor: its index and value.
    struct Corner: Decodable, Sendable {
        let index: [Int]
        let value: String

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            index = try container.decode([Int].self)
            value = try container.decode(String.self)
        }
    }
}
