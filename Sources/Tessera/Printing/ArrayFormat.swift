/// Renders tensors the way NumPy and PyTorch do.
///
/// The output equals `prefix + np.array2string(a, precision=4, floatmode='fixed', suppress_small=False,
/// separator=', ', prefix=prefix, suffix=suffix, threshold=1000, edgeitems=3, max_line_width=80) + suffix`,
/// which is what `print(torch_tensor)` shows:
///
/// ```
/// tensor([[ 0.6251,  0.2682, -0.0485],
///         [ 1.7609,  0.0925,  0.1266]])
/// ```
///
/// The port follows `numpy/_core/arrayprint.py` (NumPy 2.x): `FloatingFormat.fillFormat`, `IntegerFormat`,
/// `BoolFormat` and `_formatArray`, with the same names where it helps to compare.
package enum ArrayFormat {
    /// How elements print; floating kinds also decide where scientific notation starts.
    package enum Kind: Sendable {
        /// Doubles; scientific from 1e8 up (NumPy's cutoff is `10^min(8, finfo.precision)`).
        case float64
        /// Floats; scientific from 1e6 up, and NumPy's switch tests are done in Float arithmetic.
        /// Use it for bfloat16 too (NumPy has none; its values are all Floats).
        case float32
        /// Halves; scientific from 1e3 up, tests in Float16 arithmetic.
        case float16
        /// Integers, right-aligned to the widest (exact up to 2^53, as values arrive as doubles).
        case integer
        /// `True`/`False`; nonzero is true.
        case bool
    }

    /// Formats a row-major tensor.
    ///
    /// - Parameters:
    ///   - values: The elements in row-major order, `shape.reduce(1, *)` of them.
    ///   - shape: The dimensions; `[]` for a 0-d tensor, which prints without brackets.
    ///   - kind: How to print each element.
    ///   - prefix: Text before the array, e.g. `"tensor("`; continuation lines are indented past it.
    ///   - suffix: Text after it, e.g. `")"`; it counts against the 80-column line width.
    /// - Returns: `prefix + array + suffix`. Tensors of more than 1000 elements show only the first and
    ///   last three entries of each long axis, with `...` between; empty tensors print as `[]`.
    package static func format(values: [Double], shape: [Int], kind: Kind, prefix: String, suffix: String) -> String {
        let count = shape.reduce(1, *)
        check(values.count == count, "[ArrayFormat] \(values.count) values for shape \(shape)")
        if count == 0 { return prefix + "[]" + suffix }
        let layout = PrintLayout(shape: shape, summarize: count > threshold)
        let element = elementFormatter(kind: kind, shown: layout.shownValues(values), zeroDimensional: shape.isEmpty)
        let body = layout.render(
            values: values, element: element, lineWidth: maxLineWidth - suffix.count,
            nextLinePrefix: String(repeating: " ", count: 1 + prefix.count))
        return prefix + body + suffix
    }

    // NumPy's array2string arguments.
    fileprivate static let precision = 4
    fileprivate static let threshold = 1000
    fileprivate static let edgeItems = 3
    fileprivate static let maxLineWidth = 80

    /// The element printer, sized from the values actually shown (the corners when summarized), as NumPy does.
    private static func elementFormatter(kind: Kind, shown: [Double], zeroDimensional: Bool) -> (Double) -> String {
        switch kind {
        case .float64: return FloatFormat(shown, Double.self, decimalDigits: 15).callAsFunction
        case .float32: return FloatFormat(shown, Float.self, decimalDigits: 6).callAsFunction
        case .float16:
            #if arch(x86_64) && !os(Linux)
            // No Float16 on Intel Macs; Float keeps the same cutoffs save at the last bit.
            return FloatFormat(shown, Float.self, decimalDigits: 3).callAsFunction
            #else
            return FloatFormat(shown, Float16.self, decimalDigits: 3).callAsFunction
            #endif
        case .integer:
            let width = shown.map { String(Int64($0)).count }.max() ?? 0
            return { leftPad(String(Int64($0)), to: width) }
        case .bool:
            let trueText = zeroDimensional ? "True" : " True"
            return { $0 != 0 ? trueText : "False" }
        }
    }
}

// MARK: - Floats

/// NumPy's `FloatingFormat` for `floatmode='fixed'`, `sign='-'`, `suppress_small=False`.
private struct FloatFormat {
    var scientific = false
    /// Characters left of the point, and right of it (exponent included), that every element is padded to.
    var padLeft = 0
    var padRight = 0
    /// Exponent digits in scientific mode.
    var exponentDigits = 0

    init<F: BinaryFloatingPoint>(_ values: [Double], _ type: F.Type, decimalDigits: Int) {
        let precision = ArrayFormat.precision
        let finite = values.filter(\.isFinite)
        // Scientific when the nonzero magnitudes are large or span a wide range, compared in the dtype.
        let magnitudes = finite.filter { $0 != 0 }.map { F($0.magnitude) }
        if let maxValue = magnitudes.max(), let minValue = magnitudes.min() {
            let cutoff = F((0..<min(8, decimalDigits)).reduce(1.0) { power, _ in power * 10 })
            scientific = maxValue >= cutoff || minValue < F(0.0001) || maxValue / minValue > 1000
        }
        if scientific {
            let parts = finite.map { splitScientific(NumberFormat.scientific($0, fractionDigits: precision)) }
            exponentDigits = parts.map(\.exponent.count).max() ?? 0
            padLeft = parts.map(\.integer.count).max() ?? 0
            padRight = precision + 2 + exponentDigits  // fraction, "e", sign, digits
        } else if !finite.isEmpty {
            padLeft = finite.map { NumberFormat.fixed($0, fractionDigits: precision).prefix { $0 != "." }.count }.max() ?? 0
            padRight = precision
        }
        if finite.count != values.count {
            // Room for "nan", "inf" and "-inf" across the whole field (the +1 is the point).
            let negativeInfinity = values.contains { $0.isInfinite && $0 < 0 } ? 1 : 0
            padLeft = max(padLeft, 3 - (padRight + 1), 3 + negativeInfinity - (padRight + 1))
        }
    }

    func callAsFunction(_ x: Double) -> String {
        if !x.isFinite {
            return leftPad(x.isNaN ? "nan" : x < 0 ? "-inf" : "inf", to: padLeft + padRight + 1)
        }
        if scientific {
            let parts = splitScientific(NumberFormat.scientific(x, fractionDigits: ArrayFormat.precision))
            let exponent = String(repeating: "0", count: exponentDigits - parts.exponent.count) + parts.exponent
            return leftPad(parts.integer, to: padLeft) + "." + parts.fraction + "e" + parts.exponentSign + exponent
        }
        let text = NumberFormat.fixed(x, fractionDigits: ArrayFormat.precision)
        let integerCount = text.prefix { $0 != "." }.count
        return String(repeating: " ", count: max(0, padLeft - integerCount)) + text
    }
}

/// `"-1.2346e+05"` → integer `"-1"`, fraction `"2346"`, exponent sign `"+"`, exponent `"05"`.
private func splitScientific(_ text: String) -> (integer: Substring, fraction: Substring, exponentSign: Substring, exponent: Substring) {
    let point = text.firstIndex(of: ".") ?? text.endIndex
    let e = text.firstIndex(of: "e") ?? text.endIndex
    let fractionStart = point == text.endIndex ? point : text.index(after: point)
    let sign = text.index(after: e)
    return (text[..<point], text[fractionStart..<e], text[sign...sign], text[text.index(after: sign)...])
}

private func leftPad<S: StringProtocol>(_ text: S, to width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

// MARK: - Layout

/// NumPy's `_leading_trailing` and `_formatArray`: which elements show, and how rows wrap and nest.
private struct PrintLayout {
    let shape: [Int]
    let strides: [Int]
    let summarize: Bool
    let edgeItems = ArrayFormat.edgeItems

    init(shape: [Int], summarize: Bool) {
        self.shape = shape
        self.summarize = summarize
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in shape.indices.reversed().dropFirst() { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        self.strides = strides
    }

    /// The indices along `axis` that print: all, or the first and last `edgeItems` when summarizing.
    private func shownIndices(axis: Int) -> [Int] {
        let n = shape[axis]
        return summarize && n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
    }

    func shownValues(_ values: [Double]) -> [Double] {
        var offsets = [0]
        for axis in shape.indices {
            let indices = shownIndices(axis: axis)
            offsets = offsets.flatMap { base in indices.map { base + $0 * strides[axis] } }
        }
        return offsets.map { values[$0] }
    }

    func render(values: [Double], element: (Double) -> String, lineWidth: Int, nextLinePrefix: String) -> String {
        func recurse(_ index: [Int], hangingIndent: String, width: Int) -> String {
            let axis = index.count
            if axis == shape.count {
                return element(values[zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }])
            }
            let length = shape[axis]
            let showSummary = summarize && 2 * edgeItems < length
            let leading = showSummary ? edgeItems : 0
            let trailing = showSummary ? edgeItems : length
            // Positions in NumPy's order: leading items, the "..." (nil), trailing items.
            let positions: [Int?] = Array(0..<leading) + (showSummary ? [nil] : []) + Array((length - trailing)..<length)
            let nextIndent = hangingIndent + " "
            var s = ""
            if axis == shape.count - 1 {
                // The last axis fills lines, leaving room for the "," or "]" after each element.
                let elementWidth = width - 1
                var line = hangingIndent
                for (n, position) in positions.enumerated() {
                    let word = position.map { recurse(index + [$0], hangingIndent: nextIndent, width: width - 1) } ?? "..."
                    let wraps = line.count + word.count > elementWidth && line.count > hangingIndent.count
                    if wraps {
                        s += trimmingTrailingSpaces(line) + "\n"
                        line = hangingIndent
                    }
                    line += word
                    if n < positions.count - 1 { line += ", " }
                }
                s += line
            } else {
                // Outer axes put each sub-array on its own line, with a blank line per extra level.
                let lineSeparator = "," + String(repeating: "\n", count: shape.count - axis - 1)
                s = positions.map { position in
                    hangingIndent + (position.map { recurse(index + [$0], hangingIndent: nextIndent, width: width - 1) } ?? "...")
                }.joined(separator: lineSeparator)
            }
            return "[" + s.dropFirst(hangingIndent.count) + "]"
        }
        return recurse([], hangingIndent: nextLinePrefix, width: lineWidth)
    }
}

private func trimmingTrailingSpaces(_ line: String) -> Substring {
    line[..<(line.lastIndex { $0 != " " }.map(line.index(after:)) ?? line.startIndex)]
}
