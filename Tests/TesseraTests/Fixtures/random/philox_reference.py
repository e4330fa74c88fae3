"""Independent reference for Tessera's Philox4x32-10 streams (see RandomFill.swift for the definition).

Run `python3 philox_reference.py` to check the Random123 known answers and rewrite `philox_seed42.json`,
the first values of each distribution that PhiloxTests.swift compares against. Plain Python integers
and `math`, so it shares no code with the Swift implementation.
"""
import json
import math
import os
import struct

M0, M1 = 0xD2511F53, 0xCD9E8D57
W0, W1 = 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF


def philox4x32_10(counter, key):
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for r in range(10):
        if r > 0:
            k0, k1 = (k0 + W0) & MASK, (k1 + W1) & MASK
        p0, p1 = M0 * c0, M1 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & MASK, (p0 >> 32) ^ c3 ^ k1, p0 & MASK
    return (c0, c1, c2, c3)


# Random123 kat_vectors, "philox4x32 10" lines: counter, key, expected output.
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((MASK,) * 4, (MASK,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


def bits(seed, offset, i, wide):
    """X (32 bits) or W = X << 32 | Y (64 bits) of element i."""
    key = (seed & MASK, seed >> 32)
    b = (offset + i // 4) % 2**64
    x = philox4x32_10((b & MASK, b >> 32, 0, 0), key)[i % 4]
    if not wide:
        return x
    y = philox4x32_10((b & MASK, b >> 32, 1, 0), key)[i % 4]
    return x << 32 | y


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def uniform_f32(seed, offset, n, low, high):
    # u * (high - low) + low is exact in float64 for the values used here, so one rounding to float32
    # matches the fused multiply-add.
    return [f32((bits(seed, offset, i, False) >> 8) * 2.0**-24 * (high - low) + low) for i in range(n)]


def uniform_f64(seed, offset, n):
    return [(bits(seed, offset, i, True) >> 11) * 2.0**-53 for i in range(n)]


def normal(seed, offset, n, wide):
    shift, scale = (11, 2.0**-53) if wide else (8, 2.0**-24)
    out = []
    for i in range(n):
        pair = i - i % 2
        u1 = ((bits(seed, offset, pair, wide) >> shift) + 1) * scale
        u2 = (bits(seed, offset, pair + 1, wide) >> shift) * scale
        r, theta = math.sqrt(-2 * math.log(u1)), 2 * math.pi * u2
        out.append(r * (math.cos(theta) if i % 2 == 0 else math.sin(theta)))
    return out


def integers(seed, offset, n, low, high):
    return [low + ((bits(seed, offset, i, True) * (high - low)) >> 64) for i in range(n)]


def main():
    for counter, key, expected in KAT:
        assert philox4x32_10(counter, key) == expected, (counter, key)
    seed, n = 42, 8
    data = {
        "seed": seed,
        "uniformFloat": uniform_f32(seed, 0, n, 0.0, 1.0),
        "uniformFloatMinus2To3Offset5": uniform_f32(seed, 5, n, -2.0, 3.0),
        "uniformDouble": uniform_f64(seed, 0, n),
        "normalFloat": [f32(z) for z in normal(seed, 0, n, False)],
        "normalDouble": normal(seed, 0, n, True),
        "integersMinus10To10": integers(seed, 0, n, -10, 10),
        "integersFullRange": integers(seed, 0, n, -2**63, 2**63 - 1),
        "blocksSeed42Counter0": list(philox4x32_10((0, 0, 0, 0), (seed, 0))),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "philox_seed42.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("KATs pass; wrote", path)


if __name__ == "__main__":
    main()
