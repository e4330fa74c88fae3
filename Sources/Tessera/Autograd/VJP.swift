/// The gradient rules of the structural ops (reductions, views, where, casts); elementwise primitives
/// carry theirs in their definitions (UnaryOps.swift, BinaryOps.swift), custom kernels in their CustomOp.
extension Tensor {
    /// Gradients for each input of `node`, given the gradient `g` of its output.
    static func vjp(_ node: Node, _ g: Tensor, _ inputs: [Tensor]) -> [Tensor?] {
        let y = Tensor(node: node)
        switch node.op {
        case .data, .full:
            return []
        case .unary(let op):
            return [op.vjp(g, inputs[0], y)]
        case .binary(let op):
            guard let rule = op.vjp else { return [nil, nil] }
            let (ga, gb) = rule(g, inputs[0], inputs[1], y)
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
        case .custom(let custom):
            return custom.vjp?(g, inputs, y) ?? inputs.map { _ in nil }
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
            return gExpanded * y.reshape(kept) / x
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
