/// A brain floating-point number: float32's sign and exponent with 7 fraction bits.
public struct BFloat16: Sendable, Hashable, CustomStringConvertible {
    /// The raw bits.
    public var bitPattern: UInt16

    /// Wraps raw bits.
    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// Rounds a float32 to the nearest bfloat16 (ties to even); NaN stays NaN.
    @inline(__always)
    public init(_ x: Float) {
        let bits = x.bitPattern
        if x.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x40
        } else {
            let rounding = 0x7FFF &+ ((bits >> 16) & 1)
            bitPattern = UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
        }
    }

    /// The exact float32 value.
    @inline(__always)
    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { floatValue.description }
}

/// A Swift type that stores the elements of one ``DType`` in memory.
///
/// Conversions follow NumPy's `astype`: floats to integers truncate toward zero (NaN and out-of-range
/// values become the integer minimum), integers wrap to narrower integers, anything non-zero is `true`.
package protocol StorageElement: Sendable {
    /// The dtype stored with this Swift type.
    static var dtype: DType { get }
    @inline(__always) var float: Float { get }
    @inline(__always) var double: Double { get }
    @inline(__always) var int64: Int64 { get }
    @inline(__always) init(float: Float)
    @inline(__always) init(double: Double)
    @inline(__always) init(int64: Int64)
}

@inline(__always)
func truncatingToInt64(_ x: Double) -> Int64 {
    x.isFinite && x > -9.223372036854775e18 && x < 9.223372036854775e18 ? Int64(x) : .min
}

extension Float: StorageElement {
    package static var dtype: DType { .float32 }
    package var float: Float { self }
    package var double: Double { Double(self) }
    package var int64: Int64 { truncatingToInt64(Double(self)) }
    package init(float: Float) { self = float }
    package init(double: Double) { self = Float(double) }
    package init(int64: Int64) { self = Float(int64) }
}

extension Double: StorageElement {
    package static var dtype: DType { .float64 }
    package var float: Float { Float(self) }
    package var double: Double { self }
    package var int64: Int64 { truncatingToInt64(self) }
    package init(float: Float) { self = Double(float) }
    package init(double: Double) { self = double }
    package init(int64: Int64) { self = Double(int64) }
}

extension Float16: StorageElement {
    package static var dtype: DType { .float16 }
    package var float: Float { Float(self) }
    package var double: Double { Double(self) }
    package var int64: Int64 { truncatingToInt64(Double(self)) }
    package init(float: Float) { self = Float16(float) }
    package init(double: Double) { self = Float16(double) }
    package init(int64: Int64) { self = Float16(Float(int64)) }
}

extension BFloat16: StorageElement {
    package static var dtype: DType { .bfloat16 }
    package var float: Float { floatValue }
    package var double: Double { Double(floatValue) }
    package var int64: Int64 { truncatingToInt64(Double(floatValue)) }
    package init(float: Float) { self.init(float) }
    package init(double: Double) { self.init(Float(double)) }
    package init(int64: Int64) { self.init(Float(int64)) }
}

extension Int64: StorageElement {
    package static var dtype: DType { .int64 }
    package var float: Float { Float(self) }
    package var double: Double { Double(self) }
    package var int64: Int64 { self }
    package init(float: Float) { self = truncatingToInt64(Double(float)) }
    package init(double: Double) { self = truncatingToInt64(double) }
    package init(int64: Int64) { self = int64 }
}

extension Int32: StorageElement {
    package static var dtype: DType { .int32 }
    package var float: Float { Float(self) }
    package var double: Double { Double(self) }
    package var int64: Int64 { Int64(self) }
    package init(float: Float) { self = Int32(truncatingIfNeeded: truncatingToInt64(Double(float))) }
    package init(double: Double) { self = Int32(truncatingIfNeeded: truncatingToInt64(double)) }
    package init(int64: Int64) { self = Int32(truncatingIfNeeded: int64) }
}

extension UInt8: StorageElement {
    package static var dtype: DType { .uint8 }
    package var float: Float { Float(self) }
    package var double: Double { Double(self) }
    package var int64: Int64 { Int64(self) }
    package init(float: Float) { self = UInt8(truncatingIfNeeded: truncatingToInt64(Double(float))) }
    package init(double: Double) { self = UInt8(truncatingIfNeeded: truncatingToInt64(double)) }
    package init(int64: Int64) { self = UInt8(truncatingIfNeeded: int64) }
}

/// How `bool` tensors are stored: one byte, 0 or 1.
package struct BoolByte: StorageElement {
    package var raw: UInt8
    package static var dtype: DType { .bool }
    package var float: Float { raw != 0 ? 1 : 0 }
    package var double: Double { raw != 0 ? 1 : 0 }
    package var int64: Int64 { raw != 0 ? 1 : 0 }
    package init(float: Float) { raw = float != 0 ? 1 : 0 }
    package init(double: Double) { raw = double != 0 ? 1 : 0 }
    package init(int64: Int64) { raw = int64 != 0 ? 1 : 0 }
}

/// Generic code over the storage type of a dtype, run through ``DType/visit(_:)`` so that the compiler
/// specializes it for every dtype (opening `storageType` as an existential runs the unspecialized
/// generic code, a witness call per element).
package protocol StorageVisitor {
    associatedtype Result
    func visit<S: StorageElement>(_ type: S.Type) -> Result
}

extension DType {
    /// Runs `visitor` with the Swift type that stores this dtype.
    @inline(__always)
    package func visit<V: StorageVisitor>(_ visitor: V) -> V.Result {
        switch self {
        case .bool: visitor.visit(BoolByte.self)
        case .uint8: visitor.visit(UInt8.self)
        case .int32: visitor.visit(Int32.self)
        case .int64: visitor.visit(Int64.self)
        case .float16: visitor.visit(Float16.self)
        case .bfloat16: visitor.visit(BFloat16.self)
        case .float32: visitor.visit(Float.self)
        case .float64: visitor.visit(Double.self)
        }
    }

    /// The Swift type that stores this dtype; pass it to a generic function to open it (off hot paths:
    /// see ``StorageVisitor``).
    var storageType: any StorageElement.Type {
        switch self {
        case .bool: BoolByte.self
        case .uint8: UInt8.self
        case .int32: Int32.self
        case .int64: Int64.self
        case .float16: Float16.self
        case .bfloat16: BFloat16.self
        case .float32: Float.self
        case .float64: Double.self
        }
    }
}
