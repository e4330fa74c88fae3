/// An n-dimensional array of numbers on a device, with NumPy's operations and reverse-mode autograd.
///
/// A `Tensor` is a value: operations build a lazy graph whose shapes and dtypes are checked at once,
/// and the data is computed when it is read (``scalars(as:)``, ``item(as:)``, printing) or on ``eval()``.
/// Chains of elementwise operations and a trailing reduction run as one pass over memory.
///
/// ```swift
/// let x = Tensor.randn([5, 3], seed: 0)
/// let r = Tensor([0.5, 0.5, 0.5])
/// let d = ((x - r) ** 2).sum(axis: 1).sqrt()   // one fused kernel
/// print(d)
/// ```
public struct Tensor: Sendable {
    package let node: Node

    package init(node: Node) { self.node = node }

    /// The size of each dimension.
    public var shape: [Int] { node.shape }
    /// The element type.
    public var dtype: DType { node.dtype }
    /// Where the data lives.
    public var device: Device { node.device }
    /// The number of dimensions.
    public var rank: Int { node.shape.count }
    /// The number of elements.
    public var count: Int { node.elementCount }

    /// Computes the data now (and everything it depends on); returns `self` for chaining.
    @discardableResult
    public func eval() -> Tensor {
        _ = node.realize()
        return self
    }

    /// Computes several tensors in one schedule; their shared inputs are computed once.
    public static func eval(_ tensors: Tensor...) {
        Runtime.realize(tensors.map(\.node))
    }

    /// Whether the data has been computed.
    public var isRealized: Bool { node.storage != nil }

    /// The computed elements, dense and row-major in host memory (copied from the device when needed).
    package func hostStorage() -> Storage {
        (device == .cpu ? self : to(.cpu)).contiguous().node.realize()
    }

    /// The elements in row-major order, converted to `T`.
    ///
    /// ```swift
    /// Tensor([[1, 2], [3, 4]]).scalars(as: Float.self)   // [1, 2, 3, 4]
    /// ```
    public func scalars<T: TensorScalar>(as type: T.Type = T.self) -> [T] {
        let storage = hostStorage()
        let base = storage.buffer.pointer + storage.layout.offset * dtype.byteSize
        if dtype.storageType == T.self || (T.self == Int.self && dtype == .int64) {
            // Stored as T already: one copy.
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: count * dtype.byteSize) }
                initialized = count
            }
        }
        return readScalars(base, dtype.storageType, count: count)
    }

    /// Calls `body` with the elements in row-major order in host memory, in place when the tensor is a
    /// dense CPU tensor (no copy).
    ///
    /// The buffer is valid only inside `body`; the tensor's storage outlives the call.
    ///
    /// - Precondition: `T` is the dtype's storage type (`Float` for float32, `Double` for float64, …).
    package func withUnsafeElements<T, R>(as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        check(dtype.storageType == T.self, "[withUnsafeElements] \(dtype) is not stored as \(T.self)")
        let storage = hostStorage()
        let base = (storage.buffer.pointer + storage.layout.offset * dtype.byteSize).assumingMemoryBound(to: T.self)
        return try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// The elements as `Double` (exact for every dtype but int64 values beyond 2^53).
    public func toArray() -> [Double] {
        if dtype == .float64 { return scalars(as: Double.self) }
        let storage = hostStorage()
        return dtype.visit(DoublesReader(base: storage.buffer.pointer + storage.layout.offset * dtype.byteSize, count: count))
    }

    /// The value of a one-element tensor.
    public func item<T: TensorScalar>(as type: T.Type = Double.self) -> T {
        check(count == 1, "[item] needs a tensor with one element, got shape \(shape)")
        return scalars(as: T.self)[0]
    }
}

/// Reads every element as a Double, specialized per storage type.
private struct DoublesReader: StorageVisitor {
    let base: UnsafeMutableRawPointer, count: Int

    func visit<S: StorageElement>(_: S.Type) -> [Double] {
        let p = base.assumingMemoryBound(to: S.self)
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = p[i].double }
            initialized = count
        }
    }
}

private func readScalars<S: StorageElement, T: TensorScalar>(
    _ base: UnsafeMutableRawPointer, _: S.Type, count: Int) -> [T] {
    let p = base.assumingMemoryBound(to: S.self)
    if T.isIntegral && !S.dtype.isFloatingPoint { return (0..<count).map { T(fromInt64: p[$0].int64) } }
    return (0..<count).map { T(fromDouble: p[$0].double) }
}

/// A Swift scalar type that tensors are made from and read into.
public protocol TensorScalar: Sendable {
    /// The dtype a tensor made from these values gets by default.
    static var defaultDType: DType { get }
    /// Whether the type holds integers (read from integer tensors without a detour through Double).
    static var isIntegral: Bool { get }
    /// The nearest value (integers truncate toward zero, as NumPy's `astype`).
    init(fromDouble: Double)
    /// The value, wrapping to narrower integer types.
    init(fromInt64: Int64)
    /// The value as a double (exact for everything but large 64-bit integers).
    var doubleValue: Double { get }
    /// The value as an integer, when the type is integral.
    var integerValue: Int64? { get }
}

extension TensorScalar where Self: BinaryFloatingPoint {
    public static var isIntegral: Bool { false }
    public init(fromDouble double: Double) { self.init(double) }
    public init(fromInt64 int64: Int64) { self.init(int64) }
    public var integerValue: Int64? { nil }
    public var doubleValue: Double { Double(self) }
}

extension TensorScalar where Self: FixedWidthInteger {
    public static var isIntegral: Bool { true }
    public init(fromDouble double: Double) { self.init(truncatingIfNeeded: truncatingToInt64(double)) }
    public init(fromInt64 int64: Int64) { self.init(truncatingIfNeeded: int64) }
    public var doubleValue: Double { Double(self) }
    public var integerValue: Int64? { Int64(self) }
}

extension Float: TensorScalar {
    public static var defaultDType: DType { .float32 }
}

extension Double: TensorScalar {
    public static var defaultDType: DType { .float32 }
}

extension Float16: TensorScalar {
    public static var defaultDType: DType { .float16 }
}

extension Int: TensorScalar {
    public static var defaultDType: DType { .int64 }
}

extension Int64: TensorScalar {
    public static var defaultDType: DType { .int64 }
}

extension Int32: TensorScalar {
    public static var defaultDType: DType { .int32 }
}

extension UInt8: TensorScalar {
    public static var defaultDType: DType { .uint8 }
}

extension Bool: TensorScalar {
    public static var defaultDType: DType { .bool }
    public static var isIntegral: Bool { true }
    public init(fromDouble double: Double) { self = double != 0 }
    public init(fromInt64 int64: Int64) { self = int64 != 0 }
    public var doubleValue: Double { self ? 1 : 0 }
    public var integerValue: Int64? { self ? 1 : 0 }
}
