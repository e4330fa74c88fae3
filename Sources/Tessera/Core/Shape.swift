/// Shape arithmetic shared by every op: element counts, strides, broadcasting, axis normalization.
enum Shape {
    /// The number of elements of a tensor with `shape` (1 for a 0-d tensor).
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major (C order) strides, in elements.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= max(shape[axis], 1)
        }
        return strides
    }

    /// The NumPy broadcast of two shapes, or nil when a pair of dimensions differs and neither is 1.
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                return nil
            }
        }
        return result
    }

    /// Broadcasts `shapes`, trapping with a message that names `op` and the shapes when they don't fit.
    static func broadcast(_ shapes: [[Int]], op: String) -> [Int] {
        var result: [Int] = []
        for shape in shapes {
            guard let next = broadcast(result, shape) else {
                let listed = shapes.map { "\($0)" }.joined(separator: " and ")
                fatalError("[\(op)] shapes \(listed) cannot be broadcast")
            }
            result = next
        }
        return result
    }

    /// Maps a possibly negative axis into `0..<rank`, trapping with the op's name when out of range.
    static func normalize(axis: Int, rank: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        check(a >= 0 && a < max(rank, 1) && (rank > 0 || a == 0),
                     "[\(op)] axis \(axis) is out of range for a tensor of rank \(rank)")
        return a
    }

    /// Normalized, sorted, de-duplicated axes; `nil` means every axis.
    static func normalize(axes: [Int]?, rank: Int, op: String) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let normalized = Set(axes.map { normalize(axis: $0, rank: rank, op: op) })
        check(normalized.count == axes.count, "[\(op)] repeated axis in \(axes)")
        return normalized.sorted()
    }
}
