"""Writes array_format.json: tensors and NumPy's rendering of them, for ArrayFormatTests.swift.

expected = prefix + np.array2string(a, precision=4, floatmode='fixed', suppress_small=False,
separator=', ', prefix=prefix, suffix=suffix, threshold=1000, edgeitems=3, max_line_width=80) + suffix.
Values are stored as repr() strings (exact, and JSON has no nan/inf). Seeded; rerun to regenerate.
"""
import json
import os

import numpy as np

rng = np.random.default_rng(7)
nan, inf = float("nan"), float("inf")
KIND = {np.float64: "float64", np.float32: "float32", np.float16: "float16", np.int64: "integer", np.bool_: "bool"}


def render(a, prefix, suffix):
    body = np.array2string(a, precision=4, floatmode="fixed", suppress_small=False, separator=", ",
                           prefix=prefix, suffix=suffix, threshold=1000, edgeitems=3, max_line_width=80)
    return prefix + body + suffix


cases = []


def case(name, values, dtype=np.float64, shape=None, prefix="tensor(", suffix=")"):
    a = np.array(values, dtype=dtype)
    if shape is not None:
        a = a.reshape(shape)
    flat = [repr(int(v)) if dtype in (np.int64, np.bool_) else repr(float(v)) for v in a.ravel()]
    cases.append({"name": name, "shape": list(a.shape), "kind": KIND[dtype], "values": flat,
                  "prefix": prefix, "suffix": suffix, "expected": render(a, prefix, suffix)})


randn = lambda *s: rng.standard_normal(s)

case("0-d float", 0.5, shape=())
case("0-d negative", -3.14159, shape=())
case("0-d nan", nan, shape=())
case("0-d large", 123456789.0, shape=())
case("0-d int", 7, np.int64, shape=())
case("0-d bool", True, np.bool_, shape=())
case("empty (0,)", [], suffix=", size=(0,))")
case("empty (2,0,3)", np.zeros((2, 0, 3)), suffix=", size=(2, 0, 3))")
case("(5,) randn", randn(5))
case("(3,4) randn", randn(3, 4))
case("(2,3,4) randn", randn(2, 3, 4))
case("(2000,) summarized", randn(2000))
case("(50,50) summarized", randn(50, 50))
case("(20,20,20) summarized", randn(20, 20, 20) * 3)
case("(2,600) summarized, short axis kept", randn(2, 600))
case("torch docs example", [[0.6251, 0.2682, -0.0485], [1.7609, 0.0925, 0.1266]])
case("tiny forces scientific", [1e-5, 1.0, 100.0])
case("1e8 forces scientific", [1e8, 1.0])
case("ratio 999 stays fixed", [1.0, 999.0])
case("ratio 1001 scientific", [1.0, 1001.0])
case("ratio exactly 1000 fixed", [1.0, 1000.0])
case("1e-4 stays fixed", [0.0, 1e-4, 0.05])
case("below 1e-4 scientific", [0.0, 9.9e-5, 0.05])
case("negative scientific", [-1.5e10, 3e-3, 0.0, 7.25])
case("three-digit exponents", [1e-300, 1.0, 1e300])
case("nan and infinities", [nan, 1.0, -inf, inf])
case("all nan", [nan, nan])
case("only infinities", [inf, -inf])
case("nan with scientific", [nan, 1e-7, 2.0])
case("half-even ties", [0.03125, 0.15625, -1.03125, 0.5])
case("scientific ties", [103125.0, 1.03125e-5, 2.0])
case("negative zero", [-0.0, 1.0])
case("zeros", np.zeros(3))
case("large fixed", [12345678.9, 99999.123, -54321.5])
case("rounding to 10", [9.99995, 0.99996, 99.99999])
case("wrapping row", randn(30) * 100)
case("wrapping rows nested", randn(4, 30))
case("long suffix", randn(12), suffix=", dtype=torch.float64)")
# Rows whose lines end right at the width limit, for each suffix length (wrapping is off by one otherwise).
for extra in range(6):
    case(f"line boundary, suffix +{extra}", np.arange(1, 15) * 1.5, suffix=")" + "x" * extra)
    case(f"line boundary 2-d, suffix +{extra}", np.arange(24).reshape(2, 12) * -2.5, suffix=")" + "x" * extra)
case("no prefix", randn(3, 3), prefix="", suffix="")
case("prefix wider than the line", randn(2, 3), prefix="x" * 74 + " = tensor(")
case("(1,1,1,1)", [[[[2.5]]]])
case("(3,1,2)", randn(3, 1, 2))
case("(2,2,2,2)", randn(2, 2, 2, 2))
case("summarized with nan corner", np.concatenate([[nan], randn(1500), [-inf]]))
case("ints", [-3, 10, 200], np.int64)
case("ints (3,4)", np.arange(12), np.int64, shape=(3, 4))
case("ints summarized", np.arange(-1000, 1000), np.int64)
case("ints wide", [-9007199254740992, 5, 0], np.int64)
case("ints wrapping", np.arange(0, 100000, 3000), np.int64)
case("bools", [True, False, True, True], np.bool_)
case("bools (2,3)", [[True, False, False], [False, True, True]], np.bool_)
case("float32 randn", randn(3, 3), np.float32)
case("float32 1e6 scientific", [1e6, 1.0], np.float32)
case("float32 below 1e6 fixed", [999999.9, 1000.0], np.float32)
case("float32 1e-4 edge stays fixed", [1e-4, 5e-4], np.float32)
case("float16 1000 scientific", [1000.0, 1.0], np.float16)
case("float16 fixed", [999.0, 1.5, -2.25], np.float16)
case("float16 max and nan", [65504.0, nan, 1.0], np.float16)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "array_format.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print(len(cases), "cases ->", path, os.path.getsize(path), "bytes")
