/// Moving tensors between devices, and copies.
extension Tensor {
    /// The tensor on `device`: itself when it is there already, else a copy made there.
    ///
    /// Like every op it is lazy; the transfer runs when the result is needed. Gradients flow back to
    /// the original device.
    ///
    /// ```swift
    /// let x = Tensor.randn([5_000_000, 32], seed: 0)
    /// let d = ((x.to(.cuda(0)) - 0.5) ** 2).sum(axis: 1).sqrt().cpu()
    /// ```
    ///
    /// - Precondition: `device` is available (``Device/checkAvailable()`` says why not).
    ///
    /// ### See Also
    /// - ``cpu()``
    /// - ``cuda(_:)``
    public func to(_ device: Device) -> Tensor {
        if device == self.device { return self }
        do {
            try device.checkAvailable()
        } catch {
            fatalError("[to] \(error)")
        }
        return Tensor.make(.copy, [self], shape: shape, dtype: dtype, device: device)
    }

    /// The tensor in host memory: ``to(_:)`` `.cpu`.
    public func cpu() -> Tensor { to(.cpu) }

    /// The tensor on CUDA device `index`: ``to(_:)`` `.cuda(index)`.
    public func cuda(_ index: Int = 0) -> Tensor { to(.cuda(index)) }

    /// A copy of the data in new memory on the same device (PyTorch's `clone`): dense and row-major,
    /// sharing nothing with `self`.
    ///
    /// ```swift
    /// let snapshot = weights.clone()
    /// ```
    public func clone() -> Tensor { Tensor.make(.copy, [self], shape: shape, dtype: dtype, device: device) }
}
