/// Where the elements of a tensor sit in its buffer: element `[i0, i1, …]` is at
/// `offset + i0·strides[0] + i1·strides[1] + …` (in elements, not bytes). Strides may be 0 (broadcast)
/// or negative (reversed slices).
package struct Layout: Hashable, Sendable {
    package var shape: [Int]
    package var strides: [Int]
    package var offset: Int

    /// A dense row-major layout.
    package init(contiguous shape: [Int]) {
        self.init(shape: shape, strides: Shape.contiguousStrides(shape), offset: 0)
    }

    package init(shape: [Int], strides: [Int], offset: Int) {
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// Whether elements are dense and in row-major order (size-1 dims may have any stride).
    package var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// The same elements seen through `view`, or nil when a reshape needs a copy.
    package func applying(_ view: ViewOp) -> Layout? {
        switch view {
        case .reshape(let newShape): return reshaped(newShape)
        case .permute(let order):
            return Layout(shape: order.map { shape[$0] }, strides: order.map { strides[$0] }, offset: offset)
        case .expand(let newShape):
            let lead = newShape.count - shape.count
            let newStrides = newShape.indices.map { i -> Int in
                i < lead || (shape[i - lead] == 1 && newShape[i] != 1) ? 0 : strides[i - lead]
            }
            return Layout(shape: newShape, strides: newStrides, offset: offset)
        case .slice(let ranges):
            var result = Layout(shape: [], strides: [], offset: offset)
            for (axis, r) in ranges.enumerated() {
                result.offset += r.start * strides[axis]
                result.shape.append(r.count)
                result.strides.append(r.step * strides[axis])
            }
            return result
        }
    }

    /// Strides for a new shape over the same elements, when they exist without a copy (PyTorch's
    /// `computeStride`: each run of merged old dims must be contiguous within itself).
    private func reshaped(_ newShape: [Int]) -> Layout? {
        if isContiguous { return Layout(shape: newShape, strides: Shape.contiguousStrides(newShape), offset: offset) }
        if Shape.count(shape) == 0 { return Layout(contiguous: newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBase = strides.last ?? 1
        var tensorNumel = 1, viewNumel = 1
        for tensorD in stride(from: shape.count - 1, through: 0, by: -1) {
            tensorNumel *= shape[tensorD]
            if tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBase = strides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
        }
        return viewD == -1 ? Layout(shape: newShape, strides: newStrides, offset: offset) : nil
    }
}

/// A strided slice of one axis: `count` elements starting at `start`, `step` apart (step may be negative).
package struct AxisSlice: Hashable, Sendable {
    package var start: Int
    package var step: Int
    package var count: Int
}

/// A view: a new shape over the same elements, no copy.
package enum ViewOp: Hashable, Sendable {
    /// Same elements in row-major order, new shape.
    case reshape([Int])
    /// Axes reordered: output axis `i` is input axis `order[i]`.
    case permute([Int])
    /// Size-1 (or missing leading) axes repeated with stride 0.
    case expand([Int])
    /// One ``AxisSlice`` per axis.
    case slice([AxisSlice])

    /// The view's name in messages.
    var name: String {
        switch self {
        case .reshape: "reshape"
        case .permute: "permute"
        case .expand: "broadcast"
        case .slice: "slice"
        }
    }

    /// The output shape of this view applied to `shape`.
    func outputShape(_ shape: [Int]) -> [Int] {
        switch self {
        case .reshape(let s), .expand(let s): s
        case .permute(let order): order.map { shape[$0] }
        case .slice(let ranges): ranges.map(\.count)
        }
    }
}
