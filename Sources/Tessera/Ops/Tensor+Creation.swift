/// Tensors from Swift values, constants and ranges.
extension Tensor {
    /// A tensor from a (possibly nested) Swift array; the dtype follows the scalar type unless given
    /// (`Int` → int64, `Float`/`Double` → float32, `Bool` → bool).
    ///
    /// ```swift
    /// let x = Tensor([[1, 2, 3], [4, 5, 6]])   // int64, shape [2, 3]
    /// let y = Tensor([0.5, 1.5], dtype: .float64, device: .cuda(0))
    /// ```
    public init<N: NestedArray>(_ values: N, dtype: DType? = nil, device: Device = .cpu) {
        var flat: [N.Scalar] = []
        let shape = values.nestedShape
        flat.reserveCapacity(Shape.count(shape))
        values.flatten(into: &flat, shape: shape[...])
        self.init(shape: shape, scalars: flat, dtype: dtype, device: device)
    }

    /// A tensor of `shape` holding `scalars` in row-major order, on `device` (copied there from the host).
    public init<S: TensorScalar>(shape: [Int], scalars: [S], dtype: DType? = nil, device: Device = .cpu) {
        check(shape.allSatisfy { $0 >= 0 }, "[tensor] negative dimension in shape \(shape)")
        check(Shape.count(shape) == scalars.count,
                     "[tensor] shape \(shape) needs \(Shape.count(shape)) values, got \(scalars.count)")
        let dtype = dtype ?? S.defaultDType
        let buffer = Buffer.host(bytes: Swift.max(1, scalars.count * dtype.byteSize))
        if !scalars.isEmpty && (dtype.storageType == S.self || (dtype == .int64 && S.self == Int.self)) {
            // The Swift type is the storage type: one copy, no per-element conversion.
            scalars.withUnsafeBytes { buffer.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        } else {
            func write<E: StorageElement>(_: E.Type) {
                let p = buffer.pointer.bindMemory(to: E.self, capacity: scalars.count)
                for i in scalars.indices {
                    p[i] = scalars[i].integerValue.map { E(int64: $0) } ?? E(double: scalars[i].doubleValue)
                }
            }
            write(dtype.storageType)
        }
        let host = Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: shape)), dtype: dtype)
        self = host.to(device)
    }

    /// Wraps computed data as a leaf tensor on the buffer's device.
    package init(storage: Storage, dtype: DType) {
        self.init(node: Node(op: .data, inputs: [], shape: storage.layout.shape, dtype: dtype,
                             device: storage.buffer.device, storage: storage))
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "[full] negative dimension in shape \(shape)")
        return constant(converted(value, to: dtype), shape: shape, dtype: dtype, device: device)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        full(shape, 0, dtype: dtype, device: device)
    }
    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        full(shape, 1, dtype: dtype, device: device)
    }
    /// A tensor whose contents will be overwritten (zeros here: lazy constants cost nothing until read).
    public static func empty(_ shape: [Int], dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        zeros(shape, dtype: dtype, device: device)
    }

    /// Zeros with this tensor's shape, dtype and device.
    public func zerosLike() -> Tensor { Tensor.zeros(shape, dtype: dtype, device: device) }
    /// Ones with this tensor's shape, dtype and device.
    public func onesLike() -> Tensor { Tensor.ones(shape, dtype: dtype, device: device) }
    /// `value` everywhere, with this tensor's shape, dtype and device.
    public func fullLike(_ value: Double) -> Tensor { Tensor.full(shape, value, dtype: dtype, device: device) }

    /// Evenly spaced values in `[start, end)`; int64 when all arguments are integers, else float32.
    ///
    /// ```swift
    /// Tensor.arange(0, 10, step: 3)   // [0, 3, 6, 9]
    /// ```
    public static func arange<S: TensorScalar>(_ start: S, _ end: S, step: S, dtype: DType? = nil,
                                               device: Device = .cpu) -> Tensor {
        let (a, b, s) = (start.doubleValue, end.doubleValue, step.doubleValue)
        check(s != 0, "[arange] step must not be zero")
        let n = Swift.max(0, Int(((b - a) / s).rounded(.up)))
        let dtype = dtype ?? (start.integerValue != nil ? .int64 : .defaultFloat)
        return Tensor(shape: [n], scalars: (0..<n).map { a + Double($0) * s }, dtype: dtype, device: device)
    }

    /// `0, 1, …, end - 1` as int64.
    public static func arange(_ end: Int, dtype: DType = .int64, device: Device = .cpu) -> Tensor {
        arange(0, end, step: 1, dtype: dtype, device: device)
    }

    /// `count` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .defaultFloat,
                                device: Device = .cpu) -> Tensor {
        check(count >= 0, "[linspace] count must not be negative, got \(count)")
        let step = count > 1 ? (end - start) / Double(count - 1) : 0
        return Tensor(shape: [count], scalars: (0..<count).map { count > 1 && $0 == count - 1 ? end : start + Double($0) * step },
                      dtype: dtype, device: device)
    }

    /// The `n × m` matrix with ones on the diagonal.
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .defaultFloat, device: Device = .cpu) -> Tensor {
        let m = m ?? n
        return Tensor(shape: [n, m], scalars: (0..<n * m).map { $0 / m == $0 % m ? 1.0 : 0.0 }, dtype: dtype, device: device)
    }
}

/// A Swift array, or array of arrays, that a ``Tensor`` can be made from.
public protocol NestedArray {
    /// The scalar type at the bottom of the nesting.
    associatedtype Scalar: TensorScalar
    /// The dimensions, outermost first.
    var nestedShape: [Int] { get }
    /// Appends the scalars in row-major order, trapping on ragged nesting.
    func flatten(into result: inout [Scalar], shape: ArraySlice<Int>)
}

extension Array: NestedArray where Element: NestedArray {
    public typealias Scalar = Element.Scalar

    public var nestedShape: [Int] { [count] + (first?.nestedShape ?? []) }

    public func flatten(into result: inout [Scalar], shape: ArraySlice<Int>) {
        check(count == shape.first, "[tensor] ragged nested array: a row has \(count) elements, expected \(shape.first ?? 0)")
        for element in self { element.flatten(into: &result, shape: shape.dropFirst()) }
    }
}

extension NestedArray where Self: TensorScalar, Scalar == Self {
    public var nestedShape: [Int] { [] }
    public func flatten(into result: inout [Self], shape: ArraySlice<Int>) {
        check(shape.isEmpty, "[tensor] ragged nested array: found a scalar where a row of \(shape.first ?? 0) was expected")
        result.append(self)
    }
}

extension Float: NestedArray { public typealias Scalar = Float }
extension Double: NestedArray { public typealias Scalar = Double }
extension Float16: NestedArray { public typealias Scalar = Float16 }
extension Int: NestedArray { public typealias Scalar = Int }
extension Int64: NestedArray { public typealias Scalar = Int64 }
extension Int32: NestedArray { public typealias Scalar = Int32 }
extension UInt8: NestedArray { public typealias Scalar = UInt8 }
extension Bool: NestedArray { public typealias Scalar = Bool }
