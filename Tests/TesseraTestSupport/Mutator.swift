import Tessera

/// Seeded random damage to valid files, for tests that assert a reader never crashes or hangs.
public struct Mutator: RandomNumberGenerator {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    /// `bytes` with one random kind of damage, placed in `focus` (e.g. a header) most of the time.
    public mutating func mutate(_ bytes: [UInt8], focus: Range<Int>? = nil) -> [UInt8] {
        guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &self)] }
        var bytes = bytes
        let region = focus.map { $0.clamped(to: 0..<bytes.count) }.flatMap { $0.isEmpty ? nil : $0 }
        func position(_ m: inout Mutator) -> Int {
            if let region, Int.random(in: 0..<4, using: &m) != 0 { return Int.random(in: region, using: &m) }
            return Int.random(in: 0..<bytes.count, using: &m)
        }
        switch Int.random(in: 0..<6, using: &self) {
        case 0:  // flip one bit in a few bytes
            for _ in 0...Int.random(in: 0..<3, using: &self) {
                let i = position(&self)
                bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &self)
            }
        case 1:  // a boundary value, the kind that breaks length fields
            let i = position(&self)
            bytes[i] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x27, 0x28, 0x29, 0x2C].randomElement(using: &self) ?? 0
        case 2:  // truncate
            let i = position(&self)
            bytes.removeSubrange(i...)
        case 3:  // delete a run
            let start = position(&self)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...8, using: &self)))
        case 4:  // insert random bytes
            let i = position(&self)
            for _ in 0..<Int.random(in: 1...8, using: &self) {
                bytes.insert(UInt8.random(in: 0...255, using: &self), at: i)
            }
        default:  // random bytes over a run
            let start = position(&self)
            for i in start..<min(bytes.count, start + Int.random(in: 1...16, using: &self)) {
                bytes[i] = UInt8.random(in: 0...255, using: &self)
            }
        }
        return bytes
    }
}
