/// A tensor bound to a kernel slot while it runs: the buffer, the dtype and where the elements sit.
package struct KernelArgument: Sendable {
    package let buffer: Buffer
    package let dtype: DType
    package let layout: Layout

    package init(buffer: Buffer, dtype: DType, layout: Layout) {
        self.buffer = buffer
        self.dtype = dtype
        self.layout = layout
    }

    package var shape: [Int] { layout.shape }
    package var count: Int { Shape.count(layout.shape) }

    /// The host address of element `[0, 0, …]` (CPU buffers only).
    package var base: UnsafeMutableRawPointer { buffer.pointer + layout.offset * dtype.byteSize }

    /// The host address of element `[0, 0, …]`, typed.
    package func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> { base.assumingMemoryBound(to: T.self) }
}
