"""Writes join.json: concat (np.concatenate), stack (np.stack), split (np.split / np.array_split) and
pad (np.pad, constant mode) cases for JoinTests.swift. Seeded; rerun with numpy 2.x to regenerate."""
import numpy as np

from fixture_util import enc, write

rng = np.random.default_rng(12)
cases = []


def concat(name, xs, axis, dtype=None):
    # `dtype` where Tessera's (PyTorch's) promotion differs from NumPy's: int64 with float32 is float32.
    cases.append({"name": name, "op": "concat", "inputs": [enc(x) for x in xs], "axis": axis,
                  "expected": [enc(np.concatenate(xs, axis=axis, dtype=dtype))]})


def stack(name, xs, axis):
    cases.append({"name": name, "op": "stack", "inputs": [enc(x) for x in xs], "axis": axis,
                  "expected": [enc(np.stack(xs, axis=axis))]})


def split_sizes(name, x, sizes, axis):
    cuts = np.cumsum(sizes)[:-1]
    cases.append({"name": name, "op": "splitSizes", "inputs": [enc(x)], "axis": axis, "sizes": sizes,
                  "expected": [enc(p) for p in np.split(x, cuts, axis=axis)]})


def split_count(name, x, count, axis):
    cases.append({"name": name, "op": "splitCount", "inputs": [enc(x)], "axis": axis, "sizes": [count],
                  "expected": [enc(p) for p in np.array_split(x, count, axis=axis)]})


def pad(name, x, widths, value):
    cases.append({"name": name, "op": "pad", "inputs": [enc(x)], "axis": 0, "widths": widths, "value": value,
                  "expected": [enc(np.pad(x, widths, mode="constant", constant_values=value))]})


def r(*shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


concat("axis 0", [r(2, 3), r(1, 3), r(4, 3)], 0)
concat("axis 1", [r(2, 3), r(2, 1), r(2, 2)], 1)
concat("axis -1 3d", [r(2, 3, 1), r(2, 3, 4)], -1)
concat("middle axis 3d", [r(2, 1, 3), r(2, 2, 3), r(2, 3, 3)], 1)
concat("with empty piece", [r(2, 0), r(2, 3), r(2, 0)], 1)
concat("promotes int64 and float32", [rng.integers(0, 9, (2, 2)), r(2, 2, dtype=np.float32)], 0, dtype=np.float32)
concat("float32 single", [r(3, dtype=np.float32)], 0)
concat("all empty", [r(0, 2), r(0, 2)], 0)
concat("int32", [rng.integers(-9, 9, (1, 3)).astype(np.int32), rng.integers(-9, 9, (2, 3)).astype(np.int32)], 0)

stack("axis 0", [r(2, 3), r(2, 3), r(2, 3)], 0)
stack("axis 1", [r(2, 3), r(2, 3)], 1)
stack("axis -1", [r(2, 3), r(2, 3)], -1)
stack("0-d", [np.array(1.5), np.array(-2.0)], 0)
stack("empty", [r(0, 3), r(0, 3)], 1)

split_sizes("sizes axis 0", r(6, 2), [1, 3, 2], 0)
split_sizes("sizes axis -1 with empty", r(2, 5), [2, 0, 3], -1)
split_count("equal count", r(6, 2), 3, 0)
split_count("uneven count", r(2, 7), 3, 1)
split_count("count larger than axis", r(2, 2), 3, 0)

pad("2d zero", r(2, 3), [[1, 0], [0, 2]], 0.0)
pad("3d value", r(2, 1, 2), [[0, 1], [2, 2], [1, 0]], -1.5)
pad("int64", rng.integers(0, 9, (3,)), [[2, 1]], 7.0)
pad("float32 no-op axis", r(2, 2, dtype=np.float32), [[0, 0], [3, 1]], 0.25)
pad("empty input", r(0, 2), [[1, 1], [1, 0]], 4.0)

write("join.json", cases)
