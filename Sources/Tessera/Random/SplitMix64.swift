/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a tiny
/// seeded generator for choices that must repeat — benchmark sample rows, quickselect pivots, test
/// inputs. Tensors draw from ``Philox4x32`` instead, whose streams every device reproduces.
@frozen @usableFromInline
package struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// The generator whose sequence `seed` picks.
    @inlinable
    package init(seed: UInt64) { state = seed }

    /// The generator seeded by a name: ``hash(_:)`` of it.
    package init(hashing name: String) { self.init(seed: Self.hash(name)) }

    /// FNV-1a of `name`'s UTF-8 bytes: a seed from a name, the same on every run (unlike `Hasher`).
    package static func hash(_ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The next 64 random bits.
    @inlinable
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<n` (0 when `n` ≤ 0), by multiply-shift (bias below n / 2⁶⁴).
    @inlinable
    package mutating func below(_ n: Int) -> Int {
        Int(UInt64(Swift.max(n, 1)).multipliedFullWidth(by: next()).high)
    }

    /// A double uniform in [0, 1), from the top 53 bits.
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A double uniform in [`low`, `high`).
    package mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// An integer uniform in `low...high`.
    package mutating func int(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }
}
