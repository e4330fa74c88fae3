/// Whether new operations record what gradients need.
public enum GradMode {
    @TaskLocal static var disabled = false

    /// Whether operations now build graphs that gradients can flow through.
    public static var isEnabled: Bool { !disabled }
}

/// Runs `body` without recording gradients (PyTorch's `torch.no_grad()`): for inference and for
/// updating parameters.
///
/// ```swift
/// withoutGrad { w = w - lr * w.grad! }
/// ```
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$disabled.withValue(true) { try body() }
}

extension Tensor {
    /// Whether gradients are computed for this tensor by ``backward(_:)``.
    ///
    /// Set it on leaves — tensors you made, not results of operations — before using them.
    public var requiresGrad: Bool {
        get { node.requiresGrad }
        nonmutating set {
            check(node.gradientInputs.isEmpty || node.storage != nil || !newValue,
                         "[requiresGrad] can only be set on a leaf tensor (one not computed from others, or a detach)")
            check(!newValue || dtype.isFloatingPoint, "[requiresGrad] needs a floating-point tensor, got \(dtype)")
            node.state.withLock { $0.requiresGrad = newValue }
        }
    }

    /// The gradient accumulated by ``backward(_:)`` for a leaf with ``requiresGrad``.
    public var grad: Tensor? { node.state.withLock { $0.grad } }

    /// Clears the accumulated gradient.
    public func zeroGrad() { node.state.withLock { $0.grad = nil } }

    /// The same values, cut from the gradient graph: no gradient flows back through the result
    /// (PyTorch's `detach`, JAX's `stop_gradient`). It computes nothing and copies nothing.
    ///
    /// ```swift
    /// let m = x.max(axis: 1, keepDims: true).detach()   // a shift that gradients treat as constant
    /// ```
    public func detach() -> Tensor { Tensor.make(.detach, [self], shape: shape, dtype: dtype) }

    /// Back-propagates from this tensor, adding d(self)/d(leaf) · `gradient` to every leaf's ``grad``.
    ///
    /// `gradient` defaults to ones, which for a scalar loss gives the plain gradient.
    ///
    /// ```swift
    /// let w = Tensor.randn([3], seed: 1); w.requiresGrad = true
    /// let loss = (w * w).sum()
    /// loss.backward()
    /// w.grad!   // 2 · w
    /// ```
    public func backward(_ gradient: Tensor? = nil) {
        check(requiresGrad, "[backward] the tensor does not require grad: no input had requiresGrad set")
        let seed = gradient ?? onesLike()
        check(seed.shape == shape, "[backward] gradient shape \(seed.shape) does not match tensor shape \(shape)")
        let order = Tensor.topologicalOrder(node)
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(node): seed]
        withoutGrad {
            for n in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(n)) else { continue }
                let inputs = n.gradientInputs
                if inputs.isEmpty || !inputs.contains(where: \.requiresGrad) {
                    n.state.withLock { state in
                        state.grad = state.grad.map { $0 + g } ?? g
                    }
                    continue
                }
                let inputGrads = Tensor.vjp(n, g, inputs.map { Tensor(node: $0) })
                for (input, ig) in zip(inputs, inputGrads) where input.requiresGrad {
                    guard let ig else { continue }
                    let key = ObjectIdentifier(input)
                    grads[key] = grads[key].map { $0 + ig } ?? ig
                }
            }
        }
        for n in order where n.gradientInputs.isEmpty || n.storage != nil {
            n.state.withLock { $0.grad }?.eval()
        }
    }

    /// Nodes that require grad, inputs before the nodes computed from them.
    private static func topologicalOrder(_ root: Node) -> [Node] {
        var order: [Node] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(Node, Bool)] = [(root, false)]
        while let (n, expanded) = stack.popLast() {
            if expanded {
                order.append(n)
                continue
            }
            guard visited.insert(ObjectIdentifier(n)).inserted else { continue }
            stack.append((n, true))
            for input in n.gradientInputs where input.requiresGrad { stack.append((input, false)) }
        }
        return order
    }

    /// The function and its gradient at `x` (JAX's `value_and_grad`), for a function to a scalar.
    ///
    /// ```swift
    /// let (value, grad) = valueWithGradient(at: x) { x in (x * x).sum() }
    /// ```
    public static func valueWithGradient(at x: Tensor, of f: (Tensor) -> Tensor) -> (value: Tensor, gradient: Tensor) {
        let leaf = x.detach()
        leaf.requiresGrad = true
        let y = f(leaf)
        check(y.count == 1, "[valueWithGradient] the function must return one element, got shape \(y.shape)")
        y.backward()
        return (y.detach(), leaf.grad ?? leaf.zerosLike())
    }
}

/// Returns `f(x)` and its gradient at `x`; see ``Tensor/valueWithGradient(at:of:)``.
public func valueWithGradient(at x: Tensor, of f: (Tensor) -> Tensor) -> (value: Tensor, gradient: Tensor) {
    Tensor.valueWithGradient(at: x, of: f)
}
