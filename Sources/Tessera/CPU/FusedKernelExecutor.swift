import TesseraCPUKernels

/// Runs a ``CPUFusedKernel`` on all cores: elementwise kernels split the elements, reductions split the
/// outputs (or, when there are few outputs, the reduced elements).
enum FusedKernelExecutor {
    /// Elements per tile: a few tiles of registers fit in L1.
    static let tile = 1024
    /// Elements below which a kernel runs on the calling thread.
    static let parallelGrain = 32_768

    /// Computes `kernel` into `output` (dense, at least the output's bytes).
    static func run(_ kernel: CPUFusedKernel, output: UnsafeMutableRawPointer) {
        let count = Shape.count(kernel.outputShape)
        guard count > 0 else { return }
        if let reduction = kernel.reduction, let epilogue = kernel.epilogue {
            if kernel.reducedFirst {
                runColumnReduction(kernel, reduction, epilogue, output)
            } else if reduction.reduced <= tile && reduction.reduced > 0 {
                runRowReduction(kernel, reduction, epilogue, output)
            } else {
                runLongReduction(kernel, reduction, epilogue, output)
            }
        } else {
            runElementwise(kernel, count: count, output: output)
        }
    }

    private static func runElementwise(_ kernel: CPUFusedKernel, count: Int, output: UnsafeMutableRawPointer) {
        // Make the tile a multiple of the period of a broadcast input, so it is gathered once per thread.
        var tileLength = tile
        for input in kernel.inputs {
            if let p = RegionPlan.period(kernel.main.shape, input.strides), p <= tile, p > 0 {
                tileLength = tile / p * p
                break
            }
        }
        let plan = RegionPlan(region: kernel.main, inputs: kernel.inputs, tile: tileLength,
                              outputDType: kernel.outputDType, invariantLoads: true)
        let size = kernel.outputDType.byteSize
        let out = SendablePointer(output.assumingMemoryBound(to: UInt8.self))
        forEachAlignedRange(count, align: tileLength, weight: 1) { range in
            let runner = RegionRunner(region: kernel.main, inputs: kernel.inputs, plan: plan, total: count)
            var start = range.lowerBound
            while start < range.upperBound {
                let n = min(tileLength, range.upperBound - start)
                runner.run(start: start, count: n, reduced: nil, output: out.base + start * size,
                           outputDType: kernel.outputDType)
                start += n
            }
        }
    }

    /// Each output reduces at most one tile of elements: tiles hold whole rows.
    private static func runRowReduction(_ kernel: CPUFusedKernel, _ reduction: (op: ReduceOp, outputs: Int, reduced: Int),
                                        _ epilogue: CPURegion, _ output: UnsafeMutableRawPointer) {
        let length = reduction.reduced
        let rowsPerTile = max(1, tile / length)
        let prologueTile = rowsPerTile * length
        let folded = FoldedReduction.match(kernel.main, reduction.op)
        let plan = RegionPlan(region: kernel.main, inputs: kernel.inputs, tile: prologueTile, outputDType: nil,
                              skip: folded?.skipped ?? [], invariantLoads: true)
        let epiloguePlan = RegionPlan(region: epilogue, inputs: kernel.inputs, tile: rowsPerTile,
                                      outputDType: kernel.outputDType, invariantLoads: false)
        let kind = kernel.main.values[kernel.main.result].kind
        let size = kernel.outputDType.byteSize
        let out = SendablePointer(output.assumingMemoryBound(to: UInt8.self))
        let total = reduction.outputs * length
        // An operand loaded once per thread that repeats every row (the reference profile) is read
        // from its first row each time, so it stays in two cache lines.
        func rowStride(_ value: Int) -> Int {
            guard case .load(let i) = kernel.main.values[value].instruction, plan.fillOnce.contains(value),
                  RegionPlan.period(kernel.main.shape, kernel.inputs[i].strides) == length else { return length }
            return 0
        }
        let foldStrides = folded.map { (a: rowStride($0.a), b: rowStride($0.b)) } ?? (a: length, b: length)
        forEachAlignedRange(reduction.outputs, align: rowsPerTile, weight: length) { range in
            let prologue = RegionRunner(region: kernel.main, inputs: kernel.inputs, plan: plan, total: total)
            let tail = RegionRunner(region: epilogue, inputs: kernel.inputs, plan: epiloguePlan, total: reduction.outputs)
            let reduced = Buffer.host(bytes: rowsPerTile * 8)
            forEachTile(range, tile: rowsPerTile) { row, rows in
                prologue.run(start: row * length, count: rows * length, reduced: nil, output: nil, outputDType: kernel.outputDType)
                if let folded {
                    let layout = RowLayout(rows: rows, length: length, aStride: foldStrides.a, bStride: foldStrides.b)
                    Reduction.foldedRows(folded.kind, kind, prologue.pointer(of: folded.a), prologue.pointer(of: folded.b),
                                         layout, into: reduced.pointer)
                } else {
                    Reduction.rows(reduction.op, kind, prologue.pointer(of: kernel.main.result), rows: rows, length: length,
                                   into: reduced.pointer)
                }
                tail.run(start: row, count: rows, reduced: reduced.pointer, output: out.base + row * size,
                         outputDType: kernel.outputDType)
            }
        }
    }

    /// Visits `range` in tiles of `tile` (relative to its start), alternating between its two halves:
    /// two sequential streams per thread keep more memory requests in flight than one.
    private static func forEachTile(_ range: Range<Int>, tile: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        let tiles = (range.count + tile - 1) / tile
        let middle = Swift.min(range.upperBound, range.lowerBound + (tiles + 1) / 2 * tile)
        var first = range.lowerBound, second = middle
        while first < middle || second < range.upperBound {
            if first < middle {
                let n = Swift.min(tile, middle - first)
                body(first, n)
                first += n
            }
            if second < range.upperBound {
                let n = Swift.min(tile, range.upperBound - second)
                body(second, n)
                second += n
            }
        }
    }

    /// Each output reduces more than a tile: tiles walk along the reduced elements, split over threads
    /// when there are fewer outputs than threads, and partial results are merged in order.
    private static func runLongReduction(_ kernel: CPUFusedKernel, _ reduction: (op: ReduceOp, outputs: Int, reduced: Int),
                                         _ epilogue: CPURegion, _ output: UnsafeMutableRawPointer) {
        let (op, outputs, length) = reduction
        let kind = kernel.main.values[kernel.main.result].kind
        let parts = outputs >= cpuThreadCount ? 1 : max(1, min((cpuThreadCount + outputs - 1) / outputs, length / tile))
        let plan = RegionPlan(region: kernel.main, inputs: kernel.inputs, tile: tile, outputDType: nil, invariantLoads: false)
        var partials = [Accumulator](repeating: .identity(op), count: outputs * parts)
        partials.withUnsafeMutableBufferPointer { buffer in
            let partial = SendablePointer(buffer.baseAddress!)
            forEachAlignedRange(outputs * parts, align: 1, weight: length / parts) { items in
                let runner = RegionRunner(region: kernel.main, inputs: kernel.inputs, plan: plan, total: outputs * length)
                for item in items {
                    let (o, part) = (item / parts, item % parts)
                    var r = length * part / parts
                    let end = length * (part + 1) / parts
                    var acc = Accumulator.identity(op)
                    while r < end {
                        let n = min(tile, end - r)
                        runner.run(start: o * length + r, count: n, reduced: nil, output: nil, outputDType: kernel.outputDType)
                        acc = Reduction.combine(op, acc, Reduction.run(op, kind, runner.pointer(of: kernel.main.result), n, base: r))
                        r += n
                    }
                    partial.base[item] = acc
                }
            }
        }
        finish(kernel, epilogue, op, kind, partials: partials, parts: parts, outputs: outputs, output: output)
    }

    /// Reductions over leading axes (`sum(axis: 0)` of a tall matrix): tiles walk the input in memory
    /// order and each element is added to its output's accumulator; threads take contiguous blocks of
    /// the reduced rows, and their accumulators are merged in order.
    private static func runColumnReduction(_ kernel: CPUFusedKernel, _ reduction: (op: ReduceOp, outputs: Int, reduced: Int),
                                           _ epilogue: CPURegion, _ output: UnsafeMutableRawPointer) {
        let (op, outputs, length) = reduction
        let kind = kernel.main.values[kernel.main.result].kind
        let parts = max(1, min(cpuThreadCount, length, outputs * length / parallelGrain))
        let plan = RegionPlan(region: kernel.main, inputs: kernel.inputs, tile: tile, outputDType: nil, invariantLoads: false)
        // Part-major here; `finish` wants output-major, so transpose when merging.
        var columns = [Accumulator](repeating: .identity(op), count: outputs * parts)
        columns.withUnsafeMutableBufferPointer { buffer in
            let accumulators = SendablePointer(buffer.baseAddress!)
            parallelFor(parts) { part in
                let runner = RegionRunner(region: kernel.main, inputs: kernel.inputs, plan: plan, total: outputs * length)
                var start = outputs * (length * part / parts)
                let end = outputs * (length * (part + 1) / parts)
                while start < end {
                    let n = min(tile, end - start)
                    runner.run(start: start, count: n, reduced: nil, output: nil, outputDType: kernel.outputDType)
                    Reduction.accumulateColumns(op, kind, runner.pointer(of: kernel.main.result), count: n,
                                                firstColumn: start % outputs, columns: outputs,
                                                into: accumulators.base + part * outputs)
                    start += n
                }
            }
        }
        let partials = (0..<outputs * parts).map { columns[($0 % parts) * outputs + $0 / parts] }
        finish(kernel, epilogue, op, kind, partials: partials, parts: parts, outputs: outputs, output: output)
    }

    /// Merges each output's partial results (output-major, `parts` per output, in order), then runs the
    /// epilogue over the merged values into the output.
    private static func finish(_ kernel: CPUFusedKernel, _ epilogue: CPURegion, _ op: ReduceOp, _ kind: ComputeKind,
                               partials: [Accumulator], parts: Int, outputs: Int, output: UnsafeMutableRawPointer) {
        let reducedKind: ComputeKind = op.isArg ? .i64 : kind
        let reduced = Buffer.host(bytes: max(1, outputs) * 8)
        for o in 0..<outputs {
            var acc = partials[o * parts]
            for p in 1..<parts { acc = Reduction.combine(op, acc, partials[o * parts + p]) }
            Reduction.write(acc, op, kind, to: reduced.pointer, at: o)
        }
        runEpilogue(epilogue, inputs: kernel.inputs, produced: reduced.pointer, producedKind: reducedKind, count: outputs,
                    output: output, outputDType: kernel.outputDType)
    }

    /// Runs `epilogue` over `count` outputs, reading each ``Instruction/produced`` value from `produced`
    /// (registers of `producedKind`), into the dense `output`; `produced` may be `output` itself.
    static func runEpilogue(_ epilogue: CPURegion, inputs: [CPUInput], produced: UnsafeRawPointer,
                            producedKind: ComputeKind, count: Int, output: UnsafeMutableRawPointer, outputDType: DType) {
        let plan = RegionPlan(region: epilogue, inputs: inputs, tile: tile, outputDType: outputDType, invariantLoads: false)
        let size = outputDType.byteSize, producedSize = producedKind.byteSize
        let out = SendablePointer(output.assumingMemoryBound(to: UInt8.self))
        forEachAlignedRange(count, align: tile, weight: 1) { range in
            let tail = RegionRunner(region: epilogue, inputs: inputs, plan: plan, total: count)
            var o = range.lowerBound
            while o < range.upperBound {
                let n = min(tile, range.upperBound - o)
                tail.run(start: o, count: n, reduced: produced + o * producedSize, output: out.base + o * size,
                         outputDType: outputDType)
                o += n
            }
        }
    }

    /// Splits `0..<count` into ranges whose starts are multiples of `align`, one per thread, when the
    /// work (`count × weight` elements) is large enough to be worth the threads.
    private static func forEachAlignedRange(_ count: Int, align: Int, weight: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (count + align - 1) / align
        let parts = max(1, min(cpuThreadCount, blocks, count * max(weight, 1) / parallelGrain))
        parallelFor(parts) { p in
            let lo = min(count, blocks * p / parts * align)
            let hi = min(count, blocks * (p + 1) / parts * align)
            if lo < hi { body(lo..<hi) }
        }
    }
}
