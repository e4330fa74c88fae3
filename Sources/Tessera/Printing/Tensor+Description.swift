/// Printing tensors the way PyTorch and NumPy do.
extension Tensor: CustomStringConvertible {
    /// The elements as PyTorch prints them (four decimals, aligned columns, NumPy's choice of scientific
    /// notation), followed by the shape, dtype and device.
    ///
    /// ```swift
    /// print(Tensor([[0.6251, 0.2682], [-0.0485, 1.7609]]))
    /// // tensor([[ 0.6251,  0.2682],
    /// //         [-0.0485,  1.7609]], shape=[2, 2], dtype=float32, device=cpu)
    /// ```
    ///
    /// The array part is `np.array2string(a, precision=4, floatmode='fixed', separator=', ',
    /// prefix='tensor(', suffix=')', threshold=1000, edgeitems=3, max_line_width=80)` (see `ArrayFormat`);
    /// the fields follow it as PyTorch's `_add_suffixes` places them, on a new line when the last line
    /// would pass 80 columns. A tensor of more than 1000 elements shows only the first and last three
    /// entries of each long axis, and only those are read: printing a huge tensor costs microseconds
    /// (an unevaluated tensor is evaluated first, though). float16 prints with float16's rules; bfloat16
    /// with float32's. Integers print exactly up to 2^53.
    public var description: String {
        let prefix = "tensor("
        let (values, printedShape) = printedValues()
        var array = ArrayFormat.format(values: values, shape: printedShape, kind: dtype.printKind,
                                       prefix: prefix, suffix: ")")
        array.removeLast()
        return Self.addingFields(to: array, ["shape=\(shape)", "dtype=\(dtype)", "device=\(device)"],
                                 indent: prefix.count)
    }

    /// PyTorch's `_add_suffixes`: each field after `", "`, or on a new line indented by `indent` when the
    /// last line would pass 80 columns (its line-length count, one more than the characters, is kept).
    private static func addingFields(to array: String, _ fields: [String], indent: Int) -> String {
        var lineLength = (array.split(separator: "\n", omittingEmptySubsequences: false).last?.count ?? 0) + 2
        var text = array
        for field in fields {
            if lineLength + field.count + 2 > printLineWidth {
                text += ",\n" + String(repeating: " ", count: indent) + field
                lineLength = indent + field.count
            } else {
                text += ", " + field
                lineLength += field.count + 2
            }
        }
        return text + ")"
    }

    /// The values `ArrayFormat` needs to print this tensor and the shape to print them as.
    ///
    /// Up to the summarizing threshold, every element. Beyond it, a stand-in: each axis longer than six
    /// keeps its first and last three entries around zero-filled middle entries (at least one, so the
    /// axis still elides), and the first such axis grows until the stand-in also passes the threshold,
    /// so `ArrayFormat` summarizes it exactly as it would the whole tensor. The middle entries are never
    /// shown, so only the corners are read, through small slice views.
    private func printedValues() -> (values: [Double], shape: [Int]) {
        let edge = 3, threshold = 1000
        let isLong = shape.map { $0 > 2 * edge }
        guard count > threshold, isLong.contains(true) else { return (scalars(as: Double.self), shape) }
        var printed = shape.enumerated().map { isLong[$0.offset] ? 2 * edge + 1 : $0.element }
        let first = isLong.firstIndex(of: true)!
        let others = Shape.count(printed) / printed[first]
        printed[first] = Swift.max(2 * edge + 1, threshold / others + 1)
        var values = [Double](repeating: 0, count: Shape.count(printed))
        let strides = Shape.contiguousStrides(printed)

        // One block per long axis end (or the whole short axis): source start, length, printed start.
        let blocks: [[(source: Int, length: Int, target: Int)]] = shape.indices.map { axis in
            let n = shape[axis]
            return isLong[axis] ? [(0, edge, 0), (n - edge, edge, printed[axis] - edge)] : [(0, n, 0)]
        }
        var choice = [Int](repeating: 0, count: shape.count)
        while true {
            let chosen = shape.indices.map { blocks[$0][choice[$0]] }
            let corner = self[chosen.map { TensorIndex.slice(start: $0.source, end: $0.source + $0.length, step: 1) }]
            let cornerValues = corner.scalars(as: Double.self)
            // Scatter the corner (row-major over its block lengths) into the printed layout.
            let lengths = chosen.map(\.length)
            var index = [Int](repeating: 0, count: shape.count)
            for value in cornerValues {
                var position = 0
                for axis in shape.indices { position += (chosen[axis].target + index[axis]) * strides[axis] }
                values[position] = value
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < lengths[axis] { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
            // Next combination of blocks, like an odometer.
            var axis = shape.count - 1
            while axis >= 0 {
                choice[axis] += 1
                if choice[axis] < blocks[axis].count { break }
                choice[axis] = 0
                axis -= 1
            }
            if axis < 0 { break }
        }
        return (values, printed)
    }
}

/// The line width PyTorch and NumPy print to.
private let printLineWidth = 80

extension DType {
    /// How `ArrayFormat` prints elements of this dtype.
    var printKind: ArrayFormat.Kind {
        switch self {
        case .bool: .bool
        case .uint8, .int32, .int64: .integer
        case .float16: .float16
        case .bfloat16, .float32: .float32
        case .float64: .float64
        }
    }
}
