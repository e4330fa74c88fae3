/// The Philox4x32-10 counter-based generator (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3",
/// SC'11; the Random123 library).
///
/// A bijection of a 128-bit counter under a 64-bit key: `block(c)` is ten rounds of two 32×32→64-bit
/// multiplies, with the key bumped by a Weyl sequence between rounds. Any element of a random stream can be
/// computed from its index alone, so fills split over threads (or GPU blocks) give the same numbers whatever
/// the split. ``RandomFill`` defines how seeds, offsets and element indices map to counters.
package struct Philox4x32: Sendable {
    /// The 64-bit key, as two 32-bit words.
    package let key: SIMD2<UInt32>

    /// Creates the generator for `key`.
    package init(key: SIMD2<UInt32>) {
        self.key = key
    }

    /// Returns the 128 random bits for `counter`, as four 32-bit lanes.
    @inline(__always)
    package func block(_ counter: SIMD4<UInt32>) -> SIMD4<UInt32> {
        // Scalar locals: element-wise SIMD4 updates compile to much slower code here.
        var (c0, c1, c2, c3) = (counter.x, counter.y, counter.z, counter.w)
        var (k0, k1) = (key.x, key.y)
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (
                UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0, UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1, UInt32(truncatingIfNeeded: p0)
            )
        }
        return SIMD4(c0, c1, c2, c3)
    }
}
