/// Moving elements between strided storage of any dtype and the contiguous registers fused kernels
/// compute in (Float, Double or Int64).
enum StridedCopy {
    /// Copies elements `start..<start+count` of the iteration space `shape` (row-major order) from
    /// strided storage into `dst`, converting each to the register type of `kind`.
    static func gather(from base: UnsafeRawPointer, dtype: DType, shape: [Int], strides: [Int],
                       start: Int, count: Int, into dst: UnsafeMutableRawPointer, kind: ComputeKind) {
        dtype.visit(Gather(base: base, shape: shape, strides: strides, start: start, count: count, dst: dst, kind: kind))
    }

    private struct Gather: StorageVisitor {
        let base: UnsafeRawPointer, shape: [Int], strides: [Int], start: Int, count: Int
        let dst: UnsafeMutableRawPointer, kind: ComputeKind

        func visit<S: StorageElement>(_: S.Type) {
            let src = base.assumingMemoryBound(to: S.self)
            switch kind {
            case .f32: walk(shape, strides, start, count) { s, st, d, n in convertRun(src + s, st, dst.assumingMemoryBound(to: Float.self) + d, n) { $0.float } }
            case .f64: walk(shape, strides, start, count) { s, st, d, n in convertRun(src + s, st, dst.assumingMemoryBound(to: Double.self) + d, n) { $0.double } }
            case .i64: walk(shape, strides, start, count) { s, st, d, n in convertRun(src + s, st, dst.assumingMemoryBound(to: Int64.self) + d, n) { $0.int64 } }
            }
        }
    }

    @inline(__always)
    private static func convertRun<S, R>(_ src: UnsafePointer<S>, _ stride: Int, _ dst: UnsafeMutablePointer<R>,
                                         _ n: Int, _ convert: (S) -> R) {
        switch stride {
        case 1: for i in 0..<n { dst[i] = convert(src[i]) }
        case 0:
            let v = convert(src[0])
            for i in 0..<n { dst[i] = v }
        default:
            var p = src
            for i in 0..<n {
                dst[i] = convert(p.pointee)
                p += stride
            }
        }
    }

    /// Visits the row-major range `start..<start+count` of `shape` as runs along the last axis:
    /// `body(sourceOffset, sourceStride, destinationOffset, runLength)`.
    @inline(__always)
    static func walk(_ shape: [Int], _ strides: [Int], _ start: Int, _ count: Int,
                     _ body: (Int, Int, Int, Int) -> Void) {
        guard count > 0 else { return }
        let rank = shape.count
        if rank == 0 {
            body(0, 0, 0, 1)
            return
        }
        var index = [Int](repeating: 0, count: rank)
        var rest = start
        var offset = 0
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
            offset += index[axis] * strides[axis]
        }
        let last = rank - 1, innerStride = strides[last], innerSize = shape[last]
        var done = 0
        while done < count {
            let run = min(innerSize - index[last], count - done)
            body(offset, innerStride, done, run)
            done += run
            // Carry into the outer axes.
            offset += run * innerStride
            index[last] += run
            var axis = last
            while axis > 0 && index[axis] == shape[axis] {
                offset -= shape[axis] * strides[axis]
                index[axis] = 0
                axis -= 1
                index[axis] += 1
                offset += strides[axis]
            }
        }
    }

    /// Writes the dense elements at `src` to the positions of `layout` in `dst` (same dtype).
    static func scatter(_ src: UnsafeRawPointer, elementSize: Int, into dst: UnsafeMutableRawPointer, layout: Layout) {
        func typed<T>(_: T.Type) {
            let s = src.assumingMemoryBound(to: T.self)
            let d = dst.assumingMemoryBound(to: T.self) + layout.offset
            walk(layout.shape, layout.strides, 0, Shape.count(layout.shape)) { offset, stride, index, n in
                for i in 0..<n { d[offset + i * stride] = s[index + i] }
            }
        }
        switch elementSize {
        case 1: typed(UInt8.self)
        case 2: typed(UInt16.self)
        case 4: typed(UInt32.self)
        default: typed(UInt64.self)
        }
    }

    /// Converts `count` register values to `dtype` and writes them contiguously at `dst`.
    static func store(_ src: UnsafeRawPointer, kind: ComputeKind, count: Int, to dst: UnsafeMutableRawPointer,
                      dtype: DType) {
        dtype.visit(Store(src: src, kind: kind, count: count, dst: dst))
    }

    private struct Store: StorageVisitor {
        let src: UnsafeRawPointer, kind: ComputeKind, count: Int, dst: UnsafeMutableRawPointer
        func visit<S: StorageElement>(_ type: S.Type) { storeOpened(src, kind, count, dst, type) }
    }

    private static func storeOpened<S: StorageElement>(_ src: UnsafeRawPointer, _ kind: ComputeKind, _ n: Int,
                                                       _ dst: UnsafeMutableRawPointer, _: S.Type) {
        let out = dst.assumingMemoryBound(to: S.self)
        switch kind {
        case .f32:
            let p = src.assumingMemoryBound(to: Float.self)
            for i in 0..<n { out[i] = S(float: p[i]) }
        case .f64:
            let p = src.assumingMemoryBound(to: Double.self)
            for i in 0..<n { out[i] = S(double: p[i]) }
        case .i64:
            let p = src.assumingMemoryBound(to: Int64.self)
            for i in 0..<n { out[i] = S(int64: p[i]) }
        }
    }

    /// Rounds register values in place to what `dtype` can hold (wrapping integers, rounding halves).
    static func narrow(_ values: UnsafeMutableRawPointer, kind: ComputeKind, count: Int, dtype: DType) {
        dtype.visit(Narrow(values: values, kind: kind, count: count))
    }

    private struct Narrow: StorageVisitor {
        let values: UnsafeMutableRawPointer, kind: ComputeKind, count: Int
        func visit<S: StorageElement>(_ type: S.Type) { narrowOpened(values, kind, count, type) }
    }

    private static func narrowOpened<S: StorageElement>(_ values: UnsafeMutableRawPointer, _ kind: ComputeKind,
                                                        _ n: Int, _: S.Type) {
        switch kind {
        case .f32:
            let p = values.assumingMemoryBound(to: Float.self)
            for i in 0..<n { p[i] = S(float: p[i]).float }
        case .f64:
            let p = values.assumingMemoryBound(to: Double.self)
            for i in 0..<n { p[i] = S(double: p[i]).double }
        case .i64:
            let p = values.assumingMemoryBound(to: Int64.self)
            for i in 0..<n { p[i] = S(int64: p[i]).int64 }
        }
    }

    /// Converts `count` values from one register kind to another (NumPy `astype` semantics); with
    /// `truth`, to 1 for non-zero and 0 for zero (a cast to bool).
    static func convert(_ src: UnsafeRawPointer, from: ComputeKind, to: ComputeKind, count n: Int,
                        into dst: UnsafeMutableRawPointer, truth: Bool = false) {
        if truth {
            func test<T: StorageElement>(_: T.Type) {
                let values = src.assumingMemoryBound(to: T.self), out = dst.assumingMemoryBound(to: Int64.self)
                for i in 0..<n { out[i] = values[i].double != 0 ? 1 : 0 }
            }
            switch from {
            case .f32: test(Float.self)
            case .f64: test(Double.self)
            case .i64: test(Int64.self)
            }
            return
        }
        switch to {
        case .f32: storeOpened(src, from, n, dst, Float.self)
        case .f64: storeOpened(src, from, n, dst, Double.self)
        case .i64: storeOpened(src, from, n, dst, Int64.self)
        }
    }
}

extension ComputeKind {
    /// Bytes per register element.
    var byteSize: Int { self == .f32 ? 4 : 8 }

    /// Whether a tensor of `dtype` is held in memory exactly as registers of this kind.
    func matchesStorage(of dtype: DType) -> Bool {
        switch self {
        case .f32: dtype == .float32
        case .f64: dtype == .float64
        case .i64: dtype == .int64
        }
    }
}
