/// The gradient rules of the structural ops (reductions, views, where, casts, copies); elementwise
/// primitives carry theirs in their definitions (UnaryOps.swift, BinaryOps.swift), matmul in
/// Tensor+Linalg.swift, non-elementwise kernels in their ``KernelOp``.
extension Tensor {
    /// Gradients for each input of `node`, given the gradient `g` of its output.
    static func vjp(_ node: Node, _ g: Tensor, _ inputs: [Tensor]) -> [Tensor?] {
        let y = Tensor(node: node)
        switch node.op {
        case .data, .full, .detach:
            return inputs.map { _ in nil }
        case .unary(let op):
            // Tests (bool outputs) never carry gradients, so only functions are asked for one.
            return [(op.function as? any UnaryFunction.Type)?.vjp(g, inputs[0], y)]
        case .binary(let op):
            guard let function = op.function as? any BinaryFunction.Type else { return [nil, nil] }
            let (ga, gb) = function.vjp(g, inputs[0], inputs[1], y)
            return [ga.unbroadcast(to: inputs[0].shape), gb.unbroadcast(to: inputs[1].shape)]
        case .select:
            let zero = g.zerosLike()
            return [nil, Tensor.where(inputs[0], g, zero).unbroadcast(to: inputs[1].shape),
                    Tensor.where(inputs[0], zero, g).unbroadcast(to: inputs[2].shape)]
        case .cast:
            return [inputs[0].dtype.isFloatingPoint ? g.astype(inputs[0].dtype) : nil]
        case .reduce(let op, let axes):
            return [reduceVJP(op, axes: axes, g: g, x: inputs[0], y: y)]
        case .view(let view):
            return [viewVJP(view, g: g, input: inputs[0])]
        case .matmul(let shape):
            return matmulVJP(shape, g: g, inputs: inputs)
        case .copy:
            return [g.to(inputs[0].device)]
        case .custom(let op):
            return op.vjp(g, inputs, y)
        }
    }

    /// Sums `self` over the axes that broadcasting added or stretched, so it has `shape`.
    func unbroadcast(to shape: [Int]) -> Tensor {
        if self.shape == shape { return self }
        let lead = rank - shape.count
        let axes = (0..<rank).filter { $0 < lead || (shape[$0 - lead] == 1 && self.shape[$0] != 1) }
        let summed = axes.isEmpty ? self : sum(axes: axes, keepDims: true)
        return summed.reshape(shape)
    }

    private static func reduceVJP(_ op: ReduceOp, axes: [Int], g: Tensor, x: Tensor, y: Tensor) -> Tensor? {
        var kept = x.shape
        for a in axes { kept[a] = 1 }
        let gExpanded = g.reshape(kept).broadcast(to: x.shape)
        switch op {
        case .sum:
            return gExpanded
        case .prod:
            // The product of the others: y / x without zeros; with one zero, the product of the rest at
            // it and 0 elsewhere; with two or more, 0 everywhere (PyTorch's prod_backward).
            let isZero = x .== 0
            let zeros = isZero.astype(x.dtype).sum(axes: axes, keepDims: true)
            let rest = Tensor.where(isZero, x.onesLike(), x).prod(axes: axes, keepDims: true)
            let others = Tensor.where(zeros .== 0, y.reshape(kept) / x, Tensor.where((zeros .== 1) .&& isZero, rest, 0))
            return gExpanded * others
        case .max, .min:
            let mask = (x .== y.reshape(kept)).astype(x.dtype)
            return gExpanded * mask / mask.sum(axes: axes, keepDims: true)
        case .argmax, .argmin:
            return nil
        }
    }

    private static func viewVJP(_ view: ViewOp, g: Tensor, input: Tensor) -> Tensor {
        switch view {
        case .reshape:
            return g.reshape(input.shape)
        case .permute(let order):
            var inverse = order
            for (i, axis) in order.enumerated() { inverse[axis] = i }
            return g.permute(inverse)
        case .expand:
            return g.unbroadcast(to: input.shape)
        case .slice(let ranges):
            return g.scatteredIntoZeros(shape: input.shape, slice: ranges)
        }
    }
}
