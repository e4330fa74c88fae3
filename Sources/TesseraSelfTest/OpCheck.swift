import Tessera

// Comparing an op's output with its float64 reference, and running a row of the op table on a device.

/// The tolerance of a dtype against float64: |got − expected| ≤ tol · (1 + |expected|).
package func opTableTolerance(_ dtype: DType) -> Double {
    switch dtype {
    case .float64: 1e-12
    case .float32: 2e-6
    case .float16: 1e-3
    case .bfloat16: 8e-3
    default: 0
    }
}

/// Whether `got` is within `tol` of `expected`, NaN matching NaN and ±∞ matching exactly.
package func opTableClose(_ got: Double, _ expected: Double, tol: Double) -> Bool {
    if expected.isNaN { return got.isNaN }
    if expected.isInfinite { return got == expected }
    return Swift.abs(got - expected) <= tol * (1 + Swift.abs(expected))
}

/// The reference value as the output dtype stores it: integers wrap, bools are 0/1, floats stay exact.
/// A reference an integer dtype cannot hold (NaN, ±∞, beyond int64) stays NaN, so it fails the check.
package func opTableStored(_ v: Double, _ dtype: DType) -> Double {
    if dtype != .bool && !dtype.isFloatingPoint && !(v.isFinite && Swift.abs(v) < 0x1p63) { return .nan }
    switch dtype {
    case .bool: return v != 0 ? 1 : 0
    case .uint8: return Double(UInt8(truncatingIfNeeded: Int64(v.rounded(.towardZero))))
    case .int32: return Double(Int32(truncatingIfNeeded: Int64(v.rounded(.towardZero))))
    case .int64: return v.rounded(.towardZero)
    default: return v
    }
}

/// How `got` differs from `expected`: its shape or dtype, or the first three elements out of tolerance
/// (with the count of all of them). Empty when they agree.
package func opTableMismatches(_ got: Tensor, _ expected: OpRef, dtype: DType, factor: Double = 1,
                               _ context: String) -> [String] {
    guard got.shape == expected.shape else { return ["\(context): shape \(got.shape), expected \(expected.shape)"] }
    guard got.dtype == dtype else { return ["\(context): dtype \(got.dtype), expected \(dtype)"] }
    let values = got.toArray()
    let tol = opTableTolerance(dtype) * factor
    var messages: [String] = [], failures = 0
    for i in 0..<values.count {
        let e = opTableStored(expected.data[i], dtype)
        if !opTableClose(values[i], e, tol: tol) {
            failures += 1
            if failures <= 3 {
                messages.append("\(context): at \(OpRef.unravel(i, got.shape)) expected \(e), got \(values[i]) (tol \(tol))")
            }
        }
    }
    if failures > 3 { messages.append("\(context): \(failures) mismatches in all") }
    return messages
}

extension OpCase {
    /// The row's forward pass on `device` for every dtype and shape set, against the float64 reference:
    /// the mismatches (empty when it passes).
    package func forwardFailures(on device: Device = .cpu) -> [String] {
        var failures: [String] = []
        for dtype in dtypes {
            for (s, shapes) in shapes.enumerated() {
                var rng = SplitMix64(hashing: "\(name)/\(dtype)/\(s)")
                var tensors: [Tensor] = []
                var refs: [OpRef] = []
                for (input, shape) in zip(inputs, shapes) {
                    let d = input.fixedDType ?? dtype
                    let values = (0..<shape.reduce(1, *)).map { _ in input.draw(&rng, d) }
                    let (t, r) = opTableTensor(values, shape: shape, dtype: d, device: device)
                    tensors.append(t)
                    refs.append(r)
                }
                failures += opTableMismatches(op(tensors), ref(refs), dtype: outDType(dtype), factor: factor,
                                              "\(name) \(dtype) shapes \(shapes) on \(device)")
            }
        }
        return failures
    }

    /// The row's gradients on `device` in float64 against central finite differences, for every shape
    /// set: the mismatches (empty when it passes, or when the row has no gradient).
    package func gradientFailures(on device: Device = .cpu) -> [String] {
        guard differentiable else { return [] }
        var failures: [String] = []
        for (s, shapes) in shapes.enumerated() {
            var rng = SplitMix64(hashing: "\(name)/grad/\(s)")
            var tensors: [Tensor] = []
            for (input, shape) in zip(inputs, shapes) {
                let d = input.fixedDType ?? .float64
                let values = (0..<shape.reduce(1, *)).map { _ in input.draw(&rng, d) }
                tensors.append(Tensor(shape: shape, scalars: values, dtype: d, device: device))
            }
            failures += GradientCheck.failures(op, at: tensors, differentiable: tensors.map { $0.dtype == .float64 },
                                               seed: SplitMix64.hash("\(name)/\(s)"),
                                               "\(name) shapes \(shapes) on \(device)").failures
        }
        return failures
    }
}
