/// Matrix products, through BLAS when one is installed (see `tessera doctor`) or the built-in GEMM;
/// integers and bools exactly, as NumPy's.
extension Tensor {
    /// The matrix product with NumPy's `matmul` rules: 1-d operands are promoted to a row or column
    /// and that dimension removed again; leading (batch) dimensions broadcast.
    ///
    /// ```swift
    /// let c = a.matmul(b)                 // [m, k] · [k, n] → [m, n]
    /// let y = x.matmul(w) + bias          // a linear layer
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        check(rank >= 1 && other.rank >= 1, "[matmul] operands must have at least one dimension, got shapes \(shape) and \(other.shape)")
        let a = rank == 1 ? reshape([1, count]) : self
        let b = other.rank == 1 ? other.reshape([other.count, 1]) : other
        var result = Tensor.batchedMatmul(a, b, transposeA: false, transposeB: false)
        if rank == 1 { result = result.squeeze(axis: -2) }
        if other.rank == 1 { result = result.squeeze(axis: -1) }
        return result
    }

    /// The matrix product (`a @ b`); see ``matmul(_:)``.
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor { a.matmul(b) }

    /// The inner product of two vectors.
    public func dot(_ other: Tensor) -> Tensor {
        check(rank == 1 && other.rank == 1 && count == other.count,
                     "[dot] needs two vectors of equal length, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// The outer product of two vectors: `[m] ⊗ [n] → [m, n]`.
    public func outer(_ other: Tensor) -> Tensor {
        check(rank == 1 && other.rank == 1, "[outer] needs two vectors, got shapes \(shape) and \(other.shape)")
        return reshape([count, 1]) * other.reshape([1, other.count])
    }

    /// `op(a) · op(b)` over broadcast batch dimensions, where `op` transposes the last two axes when
    /// asked (so gradients multiply by transposes without copying them).
    static func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        let (m, k) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (kb, n) = transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        check(k == kb, "[matmul] inner dimensions differ: shapes \(a.shape) and \(b.shape) (\(k) vs \(kb))")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        guard let batch = Shape.broadcast(batchA, batchB) else {
            fatalError("[matmul] batch dimensions of shapes \(a.shape) and \(b.shape) cannot be broadcast")
        }
        // float32/float64 multiply in their own type, halves in float32; integers and bools exactly in
        // int64 (wrapping, as NumPy's), then back to their type — for bools, whether any product was true.
        let dtype = DType.promote(a.dtype, b.dtype)
        let compute: DType = dtype.isFloatingPoint ? (dtype == .float64 ? .float64 : .float32) : .int64
        let shape = MatmulShape(batch: batch, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        let product = make(.matmul(shape), [a.astype(compute), b.astype(compute)], shape: batch + [m, n], dtype: compute)
        return product.astype(dtype)
    }

    /// The gradients of a matrix product with respect to both operands: products with the output
    /// gradient, transposed through the flags rather than by copies.
    static func matmulVJP(_ shape: MatmulShape, g: Tensor, inputs: [Tensor]) -> [Tensor?] {
        let (x, y) = (inputs[0], inputs[1])
        let (transposeA, transposeB) = (shape.transposeA, shape.transposeB)
        let gx = transposeA ? batchedMatmul(y, g, transposeA: transposeB, transposeB: true)
            : batchedMatmul(g, y, transposeA: false, transposeB: !transposeB)
        let gy = transposeB ? batchedMatmul(g, x, transposeA: true, transposeB: transposeA)
            : batchedMatmul(x, g, transposeA: !transposeA, transposeB: false)
        return [gx.unbroadcast(to: x.shape), gy.unbroadcast(to: y.shape)]
    }
}
