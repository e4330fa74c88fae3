import Tessera

// The op table's inputs: seeded values from a domain (SplitMix64 streams named after the row), the same on
// every run and device.

/// Where an input's values come from.
package enum OpDomain: Sendable {
    case uniform(Double, Double)
    /// Uniform in [lo, hi] with |x| ≥ gap (away from a kink or pole at 0).
    case avoiding(Double, Double, gap: Double)
    /// Values drawn from a list (specials, ties, halves).
    case values([Double])
    /// Integers in [lo, hi].
    case ints(Int, Int)

    package func draw(_ rng: inout SplitMix64) -> Double {
        switch self {
        case .uniform(let lo, let hi): return rng.uniform(lo, hi)
        case .avoiding(let lo, let hi, let gap):
            while true {
                let v = rng.uniform(lo, hi)
                if Swift.abs(v) >= gap { return v }
            }
        case .values(let vs): return vs[rng.int(0, vs.count - 1)]
        case .ints(let lo, let hi): return Double(rng.int(lo, hi))
        }
    }
}

/// One input of a row: its value domain for floats and for integers (nil: the dtype's default), or a
/// dtype of its own (the condition of `where`).
package struct OpInput: Sendable {
    package var float: OpDomain
    package var int: OpDomain? = nil
    package var fixedDType: DType? = nil

    package init(float: OpDomain, int: OpDomain? = nil, fixedDType: DType? = nil) {
        (self.float, self.int, self.fixedDType) = (float, int, fixedDType)
    }

    package func draw(_ rng: inout SplitMix64, _ dtype: DType) -> Double {
        switch dtype {
        case .bool:
            if case .values = float { return float.draw(&rng) != 0 ? 1 : 0 }
            return Double(rng.int(0, 1))
        case .uint8:
            let v = Int((int ?? .ints(0, 255)).draw(&rng))
            return Double(((v % 256) + 256) % 256)
        case .int32, .int64:
            return (int ?? .ints(-50_000, 50_000)).draw(&rng)
        default:
            return float.draw(&rng)
        }
    }
}

/// Makes a tensor of `dtype` on `device` from drawn values and returns it with the values it actually
/// stores.
package func opTableTensor(_ values: [Double], shape: [Int], dtype: DType, device: Device = .cpu) -> (Tensor, OpRef) {
    let t = Tensor(shape: shape, scalars: values, dtype: dtype, device: device)
    return (t, OpRef(shape: shape, data: t.toArray()))
}
