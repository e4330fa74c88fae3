import Tessera

// The rows of the non-elementwise ops — matmul, sorting, scans, indexing, joining, quantiles, the
// k-means passes and copies — each against a float64 reference written here.

extension OpCase {
    static let kernelCases: [OpCase] = [
        OpCase(name: "matmul", inputs: [OpInput(float: .uniform(-1, 1)), OpInput(float: .uniform(-1, 1))],
               shapes: [[[3, 4], [4, 5]], [[2, 3, 4], [4]], [[4], [2, 4, 3]], [[2, 1, 3, 4], [5, 4, 2]]],
               dtypes: [.float32, .float64, .float16], outDType: same, op: { $0[0].matmul($0[1]) },
               ref: { OpRef.matmul($0[0], $0[1]) }, factor: 8),
        reduction("argsort(axis: 1)", domain: .values([3, 1, 2, 1, .nan, -0.0, 0, 5]), dtypes: [.float32, .float64, .int32],
                  out: toInt64, grad: false, shapes: [[[3, 6]]], { $0.argsort(axis: 1) },
                  { $0.alongAxis(1) { OpRef.stableOrder($0).map(Double.init) } }),
        reduction("argsort(axis: 0, descending)", domain: .values([3, 1, 2, 1, .nan, 0]), dtypes: [.float32, .float64],
                  out: toInt64, grad: false, shapes: [[[5, 3]]], { $0.argsort(axis: 0, descending: true) },
                  { $0.alongAxis(0) { OpRef.stableOrder($0, descending: true).map(Double.init) } }),
        reduction("sorted(axis: -1)", dtypes: [.float32, .float64, .float16], shapes: [[[3, 5]]], { $0.sorted(axis: -1) },
                  { $0.alongAxis(1) { lane in OpRef.stableOrder(lane).map { lane[$0] } } }),
        reduction("topk(2, axis: 1).values", dtypes: [.float32, .float64], shapes: [[[3, 5]]], { $0.topk(2, axis: 1).values },
                  { x in
                      let rows = x.rows.map { row in OpRef.stableOrder(row, descending: true).prefix(2).map { row[$0] } }
                      return OpRef(shape: [x.shape[0], 2], data: rows.flatMap { $0 })
                  }),
        reduction("cumsum(axis: 1)", int: .ints(-100, 100), dtypes: [.float32, .float64, .int32, .uint8], out: sumOf,
                  shapes: [[[3, 4]]], { $0.cumsum(axis: 1) }, { $0.alongAxis(1, runningSums) }),
        reduction("cumprod(axis: 1) with zeros", domain: .values([0, 1.5, -2, 0.5, 3]), int: .ints(-3, 3),
                  dtypes: [.float32, .float64, .int32], out: sumOf, shapes: [[[3, 5]]], { $0.cumprod(axis: 1) },
                  { $0.alongAxis(1, runningProducts) }),
        reduction("cumprod()", dtypes: [.float32, .float64], shapes: [[[2, 3]]], { $0.cumprod() },
                  { OpRef(shape: [$0.count], data: runningProducts($0.data)) }),
        reduction("cumsum()", dtypes: [.float32, .float64], shapes: [[[2, 3]]], { $0.cumsum() },
                  { OpRef(shape: [$0.count], data: runningSums($0.data)) }),
        OpCase(name: "gather(axis: 1)", inputs: [OpInput(float: .uniform(-3, 3), int: .ints(-100, 100)),
                                                 OpInput(float: .ints(0, 3), int: .ints(0, 3), fixedDType: .int64)],
               shapes: [[[3, 4], [3, 2]], [[2, 4], [1, 5]]], dtypes: [.float32, .float64, .int32, .uint8], outDType: same,
               op: { $0[0].gather(axis: 1, indices: $0[1]) },
               ref: { r in
                   OpRef(shape: r[1].shape, data: (0..<r[1].count).map { flat in
                       let at = OpRef.unravel(flat, r[1].shape)
                       return r[0].at([at[0], Int(r[1].data[flat])])
                   })
               }),
        movement("indexSelect(axis: 0, [2, 0, 2])", [3, 4], { $0.indexSelect(axis: 0, indices: Tensor([2, 0, 2], device: $0.device)) },
                 { $0.selecting([[2, 0, 2], [0, 1, 2, 3]]) }),
        OpCase(name: "maskedSelect", inputs: [OpInput(float: .uniform(-3, 3)), OpInput(float: .values([0, 1]), fixedDType: .bool)],
               shapes: [[[3, 4], [3, 4]], [[2, 3], [3]]], dtypes: [.float32, .float64, .int64], outDType: same,
               op: { $0[0].maskedSelect($0[1]) },
               ref: { r in
                   let both = OpRef.broadcastShape([r[0].shape, r[1].shape])
                   let (x, mask) = (r[0].broadcast(to: both), r[1].broadcast(to: both))
                   let kept = zip(x.data, mask.data).filter { $0.1 != 0 }.map(\.0)
                   return OpRef(shape: [kept.count], data: kept)
               }),
        OpCase(name: "concat(axis: 1)", inputs: [OpInput(float: .uniform(-3, 3)), OpInput(float: .uniform(-3, 3))],
               shapes: [[[2, 3], [2, 2]]], dtypes: [.float32, .float64, .int32, .bool], outDType: same,
               op: { Tensor.concat([$0[0], $0[1]], axis: 1) },
               ref: { r in OpRef(shape: [2, 5], data: zip(r[0].rows, r[1].rows).flatMap { $0 + $1 }) }),
        OpCase(name: "stack(axis: 0)", inputs: [OpInput(float: .uniform(-3, 3)), OpInput(float: .uniform(-3, 3))],
               shapes: [[[2, 3], [2, 3]]], dtypes: [.float32, .float64], outDType: same,
               op: { Tensor.stack([$0[0], $0[1]], axis: 0) },
               ref: { r in OpRef(shape: [2, 2, 3], data: r[0].data + r[1].data) }),
        movement("split(sizes: [1, 3], axis: 1)[1]", [2, 4], { $0.split(sizes: [1, 3], axis: 1)[1] },
                 { $0.selecting([[0, 1], [1, 2, 3]]) }),
        movement("pad([(1, 0), (0, 2)])", [2, 3], { $0.pad([(1, 0), (0, 2)]) }, { x in
            OpRef(shape: [3, 5], data: [0, 0, 0, 0, 0] + x.rows.flatMap { $0 + [0, 0] })
        }),
        reduction("quantile(0.3, axis: 1)", dtypes: [.float32, .float64], shapes: [[[3, 7]]], { $0.quantile(0.3, axis: 1) },
                  { $0.reduce(axes: [1], keepDims: false) { refQuantile($0, 0.3) } }),
        reduction("quantile([0, 0.5, 1])", dtypes: [.float32, .float64], shapes: [[[2, 5]]], { $0.quantile([0, 0.5, 1]) },
                  { x in OpRef(shape: [3], data: [0, 0.5, 1].map { refQuantile(x.data, $0) }) }),
        OpCase(name: "nearestRow(in:)", inputs: [OpInput(float: .uniform(-2, 2)), OpInput(float: .uniform(-2, 2))],
               shapes: [[[20, 3], [4, 3]]], dtypes: [.float32, .float64], outDType: toInt64,
               op: { $0[0].nearestRow(in: $0[1]) },
               ref: { r in
                   let points = r[1].rows
                   return OpRef(shape: [r[0].shape[0]], data: r[0].rows.map { row in
                       let distances = points.map { p in zip(row, p).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) }
                       return Double(distances.indices.min { distances[$0] < distances[$1] }!)
                   })
               }, differentiable: false),
        OpCase(name: "segmentSum(count: 3)", inputs: [OpInput(float: .uniform(-3, 3), int: .ints(-100, 100)),
                                                      OpInput(float: .ints(0, 2), int: .ints(0, 2), fixedDType: .int64)],
               shapes: [[[6, 2], [6]]], dtypes: [.float32, .float64, .int32], outDType: sumOf,
               op: { $0[0].segmentSum($0[1], count: 3) },
               ref: { r in
                   var sums = [Double](repeating: 0, count: 6)
                   for (i, row) in r[0].rows.enumerated() {
                       for (j, v) in row.enumerated() { sums[Int(r[1].data[i]) * 2 + j] += v }
                   }
                   return OpRef(shape: [3, 2], data: sums)
               }),
        movement("clone()", [2, 3], { $0.clone() }, { $0 }),
        movement("T.clone()", [2, 3], { $0.T.clone() }, { $0.permuted([1, 0]) }),
        movement("cpu()", [3, 2], { $0.cpu() }, { $0 }),
    ]
}

extension OpRef {
    /// The rows of a 2-d array.
    var rows: [[Double]] { (0..<shape[0]).map { i in Array(data[(i * shape[1])..<((i + 1) * shape[1])]) } }
}

/// The running sums of `values`.
func runningSums(_ values: [Double]) -> [Double] {
    var total = 0.0
    return values.map { total += $0; return total }
}

/// The running products of `values`.
func runningProducts(_ values: [Double]) -> [Double] {
    var total = 1.0
    return values.map { total *= $0; return total }
}

/// NumPy's default (linear) quantile of `values`, free of NaN.
func refQuantile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let position = Double(sorted.count - 1) * q
    let below = Int(position.rounded(.down)), above = Swift.min(below + 1, sorted.count - 1)
    return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
}
