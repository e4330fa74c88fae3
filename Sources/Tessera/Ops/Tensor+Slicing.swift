/// One entry of a subscript: an integer, a range, a stride, `.ellipsis` or `.newAxis`.
///
/// ```swift
/// x[0..<10, 3]                       // rows 0–9 of column 3
/// x[.ellipsis, 1]                    // index 1 of the last axis
/// x[.stride(from: nil, to: nil, by: -1)]   // reversed (a view with a negative stride)
/// ```
public enum TensorIndex: Sendable, Equatable {
    /// One position (negative counts from the end); the axis is removed.
    case index(Int)
    /// Positions `start, start+step, …` before `end`, Python-style (nil ends mean the whole axis).
    case slice(start: Int?, end: Int?, step: Int)
    /// As many whole axes as needed to make the other entries reach the last axes (`.ellipsis`).
    case remainingAxes
    /// A new axis of size 1 (`.newAxis`).
    case insertedAxis
}

/// A value that can stand in a tensor subscript.
public protocol TensorIndexConvertible {
    /// The subscript entry it means.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// Every index of the remaining axes, like Python's `...`.
    public static var ellipsis: TensorIndex { .remainingAxes }
    /// A new axis of size 1, like NumPy's `None`.
    public static var newAxis: TensorIndex { .insertedAxis }
    /// The whole axis, like Python's `:`.
    public static var all: TensorIndex { .slice(start: nil, end: nil, step: 1) }
    /// Python's `start:end:step`.
    public static func stride(from start: Int?, to end: Int?, by step: Int) -> TensorIndex {
        .slice(start: start, end: end, step: step)
    }
}

extension Int: TensorIndexConvertible {
    public var tensorIndex: TensorIndex { .index(self) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound, step: 1) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: nil, step: 1) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound, step: 1) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound == -1 ? nil : upperBound + 1, step: 1) }
}

extension Tensor {
    /// A view selected by integers, ranges, strides, `.ellipsis` and `.newAxis` (NumPy basic indexing);
    /// no data is copied.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        self[indices.map(\.tensorIndex)]
    }

    /// A view selected by a list of subscript entries.
    public subscript(_ indices: [TensorIndex]) -> Tensor {
        let ellipses = indices.filter { $0 == .remainingAxes }.count
        check(ellipses <= 1, "[subscript] at most one ellipsis is allowed")
        let consuming = indices.filter { $0 != .remainingAxes && $0 != .insertedAxis }.count
        check(consuming <= rank, "[subscript] \(consuming) indices for a tensor of rank \(rank) (shape \(shape))")
        var expanded: [TensorIndex] = []
        for index in indices {
            if index == .remainingAxes {
                expanded += Array(repeating: .slice(start: nil, end: nil, step: 1), count: rank - consuming)
            } else {
                expanded.append(index)
            }
        }
        var axis = 0
        var slices: [AxisSlice] = []
        var finalShape: [Int] = []
        for index in expanded {
            switch index {
            case .insertedAxis:
                finalShape.append(1)
            case .index(let i):
                let size = shape[axis]
                let j = i < 0 ? i + size : i
                check(j >= 0 && j < size, "[subscript] index \(i) is out of range for axis \(axis) of size \(size)")
                slices.append(AxisSlice(start: j, step: 1, count: 1))
                axis += 1
            case .slice(let start, let end, let step):
                let s = Self.resolve(start: start, end: end, step: step, size: shape[axis], axis: axis)
                slices.append(s)
                finalShape.append(s.count)
                axis += 1
            case .remainingAxes:
                break
            }
        }
        while axis < rank {
            slices.append(AxisSlice(start: 0, step: 1, count: shape[axis]))
            finalShape.append(shape[axis])
            axis += 1
        }
        let isIdentity = slices.enumerated().allSatisfy { $0.element == AxisSlice(start: 0, step: 1, count: shape[$0.offset]) }
        let sliced = isIdentity ? self : view(.slice(slices))
        return sliced.reshape(finalShape)
    }

    /// Python's slice semantics: negative positions count from the end, out-of-range ends clamp.
    private static func resolve(start: Int?, end: Int?, step: Int, size: Int, axis: Int) -> AxisSlice {
        check(step != 0, "[subscript] slice step cannot be zero (axis \(axis))")
        func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(v, low), high) }
        if step > 0 {
            let s = start.map { clamp($0 < 0 ? $0 + size : $0, 0, size) } ?? 0
            let e = end.map { clamp($0 < 0 ? $0 + size : $0, 0, size) } ?? size
            return AxisSlice(start: s, step: step, count: e > s ? (e - s + step - 1) / step : 0)
        }
        let s = start.map { clamp($0 < 0 ? $0 + size : $0, -1, size - 1) } ?? size - 1
        let e = end.map { clamp($0 < 0 ? $0 + size : $0, -1, size - 1) } ?? -1
        return AxisSlice(start: s, step: step, count: s > e ? (s - e - step - 1) / -step : 0)
    }
}
