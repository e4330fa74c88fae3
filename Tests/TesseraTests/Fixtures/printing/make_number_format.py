"""Writes number_format.json: doubles with Python's '%.*f' and '%.*e' renderings (exact, round-half-even).

Each case is [repr(x), digits, '%.{digits}f' % x, '%.{digits}e' % x]; NumberFormatTests.swift checks
NumberFormat.fixed/scientific against every one. Seeded, so rerunning gives the same file.
"""
import json
import math
import os
import random
import struct

rng = random.Random(20240611)


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


values = [
    0.0, -0.0, 1.0, -1.0, 0.5, 1e-300, -1e-300, 5e-324, -5e-324, 2.2250738585072014e-308,
    2.225073858507201e-308, 1e300, 1.7976931348623157e308, -1.7976931348623157e308, 1e22, 1e23, 1e16,
    9007199254740993.0, 0.1, 0.2, 0.3, 2.675, 1.005, 0.125, 0.375, 2.5, 3.5, -2.5, 0.03125, 0.15625,
    1.03125, 103125.0, 0.00005, 0.00015, 0.99995, 9.99995, 99999.5, 999999.5, 9.5, 0.95, 0.0951,
    123456.789, 1e-4, 1e-5, 9.9999e-5, 1e8, 1e7, 12345678.9, 0.6251, -0.0485, 1.7609,
    float("nan"), float("-nan"), float("inf"), float("-inf"),
]
# Ties at the 4th decimal (k/10^4 + 5/10^5 that are dyadic) and at the 5th significant digit.
values += [n / 32 for n in range(1, 64, 2)] + [(n / 32) * 10**e for n in range(1, 64, 2) for e in (-3, 3, 6)]
values += [n * 2.0**-j for n in range(1, 50, 2) for j in (5, 10, 15, 20)]
# Random doubles: log-uniform magnitudes over the range printing meets, plus some full-range bit patterns.
for _ in range(7000):
    values.append(rng.choice((-1, 1)) * 10 ** rng.uniform(-12, 12))
for _ in range(1200):
    values.append(rng.choice((-1, 1)) * rng.randrange(0, 10**rng.randrange(1, 9)) / 10**rng.randrange(0, 9))
for _ in range(600):
    x = from_bits(rng.getrandbits(64))
    if not math.isnan(x):
        values.append(x)
for _ in range(300):
    values.append(from_bits(rng.getrandbits(52)))  # subnormals

cases = []
for i, x in enumerate(values):
    digits = 4 if i % 5 else rng.choice((0, 1, 2, 3, 6, 8, 12, 17, 20))
    cases.append([repr(x), digits, "%.*f" % (digits, x), "%.*e" % (digits, x)])

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "number_format.json")
with open(path, "w") as f:
    json.dump(cases, f, separators=(",", ":"))
    f.write("\n")
print(len(cases), "cases ->", path, os.path.getsize(path), "bytes")
