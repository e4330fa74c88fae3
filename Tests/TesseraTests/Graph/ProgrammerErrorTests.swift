import Testing
@testable import Tessera

/// Mistakes in code trap at graph-build time with a message naming the user's op and the shapes.
/// Each case runs in a child process (an exit test), which must capture nothing.
@Suite struct ProgrammerErrorTests {
    private static func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test func broadcastMismatchNamesOpAndShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([3, 4]) + Tensor.zeros([5])
        }
        #expect(Self.stderrText(result).contains("[add] shapes [3, 4] and [5] cannot be broadcast"))
    }

    @Test func matmulInnerDimensionMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
        }
        #expect(Self.stderrText(result).contains("[matmul] inner dimensions differ: shapes [2, 3] and [4, 5]"))
    }

    @Test func reshapeToWrongCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).reshape([4, 2])
        }
        #expect(Self.stderrText(result).contains("[reshape] cannot reshape [2, 3] (6 elements) into [4, 2]"))
    }

    @Test func axisOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).sum(axis: 2)
        }
        #expect(Self.stderrText(result).contains("[sum] axis 2 is out of range for a tensor of rank 2"))
    }

    @Test func subscriptOutOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3])[5]
        }
        #expect(Self.stderrText(result).contains("[subscript] index 5 is out of range for axis 0 of size 2"))
    }

    @Test func whereShapesMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.where(Tensor.zeros([2], dtype: .bool), Tensor.zeros([3]), Tensor.zeros([2]))
        }
        #expect(Self.stderrText(result).contains("[where] shapes [2] and [3] and [2] cannot be broadcast"))
    }
}
