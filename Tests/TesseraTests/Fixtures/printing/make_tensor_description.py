#!/usr/bin/env python3
"""Writes tensor_description.json: tensors and how Tessera prints them, for TensorDescriptionTests.swift.

expected = add_suffixes("tensor(" + np.array2string(a, precision=4, floatmode='fixed', suppress_small=False,
separator=', ', prefix='tensor(', suffix=')', threshold=1000, edgeitems=3, max_line_width=80),
["shape=[...]", "dtype=...", "device=cpu"]), where add_suffixes is PyTorch's torch/_tensor_str.py
_add_suffixes. bfloat16 cases hold bfloat16-exact values and print with float32's rules (NumPy has no
bfloat16). Values are repr() strings (exact; JSON has no nan/inf). Seeded; rerun to regenerate.

"huge" cases give only the corner elements ([index, value] pairs) of a tensor that is zero elsewhere;
printing reads nothing else, and np.zeros is lazily mapped, so they cost little here too.
"""
import json
import os

import numpy as np

rng = np.random.default_rng(11)
nan, inf = float("nan"), float("inf")
NP = {"float64": np.float64, "float32": np.float32, "float16": np.float16, "bfloat16": np.float32,
      "int64": np.int64, "int32": np.int32, "uint8": np.uint8, "bool": np.bool_}


def add_suffixes(tensor_str, suffixes, indent, linewidth=80):
    """torch/_tensor_str.py _add_suffixes (force_newline=False)."""
    strs = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > linewidth:
            strs.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            strs.append(", " + suffix)
            last_line_len += len(suffix) + 2
    strs.append(")")
    return "".join(strs)


def render(a, dtype):
    body = np.array2string(a, precision=4, floatmode="fixed", suppress_small=False, separator=", ",
                           prefix="tensor(", suffix=")", threshold=1000, edgeitems=3, max_line_width=80)
    shape = "[" + ", ".join(map(str, a.shape)) + "]"
    return add_suffixes("tensor(" + body, [f"shape={shape}", f"dtype={dtype}", "device=cpu"], len("tensor("))


def bf16(x):
    """Rounds float32 values to bfloat16 (ties to even), returned as float32."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32)


cases = []


def case(name, values, dtype, shape=None):
    a = np.array(values, dtype=np.float64 if dtype == "bfloat16" else NP[dtype])
    if dtype == "bfloat16":
        a = bf16(a.astype(np.float32))
    if shape is not None:
        a = a.reshape(shape)
    a = a.astype(NP[dtype])
    integral = dtype in ("int64", "int32", "uint8", "bool")
    flat = [repr(int(v)) if integral else repr(float(v)) for v in a.ravel()]
    cases.append({"name": name, "dtype": dtype, "shape": list(a.shape), "values": flat, "corners": [],
                  "expected": render(a, dtype)})


def huge(name, shape, dtype, seed):
    a = np.zeros(shape, dtype=NP[dtype])
    r = np.random.default_rng(seed)
    corners = []
    for index in np.ndindex(*[min(n, 6) for n in shape]):
        full = tuple(i if i < 3 or n <= 6 else n - 6 + i for i, n in zip(index, shape))
        v = NP[dtype](r.standard_normal() * 10)
        a[full] = v
        corners.append([list(full), repr(float(a[full]))])
    cases.append({"name": name, "dtype": dtype, "shape": list(shape), "values": [], "corners": corners,
                  "expected": render(a, dtype)})


for dtype in ["float64", "float32", "float16", "bfloat16"]:
    case(f"0-d {dtype}", 3.25, dtype, shape=())
    case(f"(2,2) {dtype}", [[0.6251, 0.2682], [-0.0485, 1.7609]], dtype)
    case(f"(3,4) {dtype} randn", rng.standard_normal((3, 4)), dtype)
    case(f"(2,3,4) {dtype} randn", rng.standard_normal((2, 3, 4)), dtype)
    case(f"(5,) {dtype} nan/inf", [nan, 1.5, -inf, inf, -2.25], dtype)
    case(f"(4,) {dtype} scientific", [1e-5, 1.0, 100.0, -2500.0], dtype)
    case(f"(1200,) {dtype} summarized", rng.standard_normal(1200) * 5, dtype)
    case(f"(40,30) {dtype} summarized", rng.standard_normal((40, 30)), dtype)
case("(0,) float32", [], "float32")
case("(2,0,3) float64", np.zeros((2, 0, 3)), "float64")
case("(25,) float32 wraps", rng.standard_normal(25), "float32")
case("(11,) float32 fills the line", rng.standard_normal(11), "float32")
case("(6,) float64 fields fit", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "float64")
case("(10,10,12) float64 summarized", rng.standard_normal((10, 10, 12)), "float64")
case("(7,200) float32 summarized", rng.standard_normal((7, 200)), "float32")
case("(1001,) float32 one long axis", rng.standard_normal(1001), "float32")
case("(2,600) float64 short axis kept", rng.standard_normal((2, 600)), "float64")
case("(5,5,5,9) float32 summarized, 4-d", rng.standard_normal((5, 5, 5, 9)), "float32")
case("(6,6,6,6) float32 nothing to elide", rng.standard_normal((6, 6, 6, 6)), "float32")
for dtype in ["int64", "int32"]:
    case(f"0-d {dtype}", -7, dtype, shape=())
    case(f"(2,3) {dtype}", [[0, 1, -2], [3, -4, 5]], dtype)
    case(f"(3,4) {dtype} wide", rng.integers(-10**6, 10**6, (3, 4)), dtype)
    case(f"(50,50) {dtype} summarized", rng.integers(-1000, 1000, (50, 50)), dtype)
case("(3,4) int64 large", rng.integers(-10**15, 10**15, (3, 4)), "int64")
case("(30,) int64 wraps", rng.integers(-10**9, 10**9, 30), "int64")
case("0-d uint8", 200, "uint8", shape=())
case("(2,3) uint8", [[0, 1, 255], [3, 40, 5]], "uint8")
case("(2000,) uint8 summarized", rng.integers(0, 256, 2000), "uint8")
case("0-d bool true", True, "bool", shape=())
case("0-d bool false", False, "bool", shape=())
case("(2,3) bool", [[True, False, True], [False, False, True]], "bool")
case("(1100,) bool summarized", rng.integers(0, 2, 1100).astype(bool), "bool")
huge("huge (16384,10240) float32", (16384, 10240), "float32", 1)
huge("huge (1024,1024,160) float64", (1024, 1024, 160), "float64", 2)
huge("huge (4,1000000) int64", (4, 1000000), "int64", 3)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor_description.json"), "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
