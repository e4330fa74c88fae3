"""Writes sort.json: sort / argsort (np.sort and np.argsort, kind='stable'), descending and topk (a
stable Python reference with NaN as the largest value, as PyTorch), cumsum (np.cumsum), quantile and
percentile (np.quantile / np.percentile, default 'linear' method) for SortTests.swift. Seeded; rerun
with numpy 2.x to regenerate."""
import math

import numpy as np

from fixture_util import enc, write

rng = np.random.default_rng(13)
cases = []


def desc_argsort(x, axis):
    """Stable descending argsort, NaN first: sort by (not NaN, -value, index)."""
    moved = np.moveaxis(x, axis, -1)
    out = np.empty(moved.shape, dtype=np.int64)
    for idx in np.ndindex(moved.shape[:-1]):
        row = moved[idx].tolist()
        key = lambda j: (0, 0.0, j) if (isinstance(row[j], float) and math.isnan(row[j])) else (1, -row[j], j)
        out[idx] = sorted(range(len(row)), key=key)
    return np.moveaxis(out, -1, axis)


def sort(name, x, axis, descending=False):
    idx = desc_argsort(x, axis) if descending else np.argsort(x, axis=axis, kind="stable")
    cases.append({"name": name, "op": "sort", "x": enc(x), "axis": axis, "descending": descending,
                  "expected": [enc(np.take_along_axis(x, idx, axis=axis)), enc(idx)]})


def topk(name, x, k, axis, largest=True):
    idx = desc_argsort(x, axis) if largest else np.argsort(x, axis=axis, kind="stable")
    idx = np.take(idx, np.arange(k), axis=axis)
    cases.append({"name": name, "op": "topk", "x": enc(x), "axis": axis, "k": k, "largest": largest,
                  "expected": [enc(np.take_along_axis(x, idx, axis=axis)), enc(idx)]})


def cumsum(name, x, axis):
    cases.append({"name": name, "op": "cumsum", "x": enc(x), "axis": axis,
                  "expected": [enc(np.cumsum(x, axis=axis))]})


def quantile(name, x, q, axis, keepdims=False, percent=False):
    f = np.percentile if percent else np.quantile
    # NumPy gives float64 for float32 data and a list of q; Tessera keeps float32 (as PyTorch does).
    expected = np.asarray(f(x, q, axis=axis, keepdims=keepdims)).astype(x.dtype)
    cases.append({"name": name, "op": "percentile" if percent else "quantile", "x": enc(x), "axis": axis,
                  "q": q, "keepDims": keepdims, "expected": [enc(expected)]})


nan, inf = float("nan"), float("inf")
ties = rng.integers(0, 4, (3, 9)).astype(np.float64)
with_nan = np.array([[3.0, nan, -1.0, 0.0, -0.0, inf, nan, 2.0], [nan, 1.0, -inf, 1.0, 0.0, -0.0, 5.0, 1.0]])

sort("1d float64", rng.standard_normal(10), 0)
sort("2d axis 0", rng.standard_normal((5, 3)), 0)
sort("2d axis -1 float32", rng.standard_normal((3, 6)).astype(np.float32), -1)
sort("3d middle axis", rng.standard_normal((2, 5, 3)), 1)
sort("ties stable", ties, 1)
sort("ties stable axis 0", ties.T.copy(), 0)
sort("ties descending stable", ties, 1, descending=True)
sort("nan and signed zeros", with_nan, 1)
sort("nan descending", with_nan, 1, descending=True)
sort("nan float32", with_nan.astype(np.float32), 1)
sort("nan float16", with_nan.astype(np.float16), 1)
sort("int64 with negatives", rng.integers(-50, 50, (4, 7)), 1)
sort("int64 descending", rng.integers(-5, 5, (2, 9)), -1, descending=True)
sort("int32", rng.integers(-1000, 1000, (3, 5)).astype(np.int32), 1)
sort("uint8", rng.integers(0, 256, (12,)).astype(np.uint8), 0)
sort("bool", rng.integers(0, 2, (10,)).astype(bool), 0)
sort("empty axis", np.zeros((3, 0)), 1)
sort("empty other axis", np.zeros((0, 4)), 1)
sort("large float32", rng.standard_normal(3000).astype(np.float32), 0)
sort("large int64", rng.integers(-10**12, 10**12, 500), 0)

topk("k=2", rng.standard_normal((3, 6)), 2, -1)
topk("k=0", rng.standard_normal((3, 6)), 0, 1)
topk("k=n", rng.standard_normal((3, 6)), 6, 1)
topk("smallest axis 0", rng.standard_normal((5, 3)), 3, 0, largest=False)
topk("ties", ties, 4, 1)
topk("ties smallest", ties, 4, 1, largest=False)
topk("nan largest", with_nan, 3, 1)
topk("int64", rng.integers(-9, 9, (2, 8)), 5, 1)

cumsum("1d", rng.standard_normal(7), 0)
cumsum("2d axis 0", rng.standard_normal((4, 3)), 0)
cumsum("2d axis -1", rng.standard_normal((4, 3)), -1)
cumsum("3d middle", rng.standard_normal((2, 3, 4)), 1)
cumsum("flattened", rng.standard_normal((2, 3)), None)
cumsum("int32 widens", rng.integers(-9, 9, (3, 4)).astype(np.int32), 1)
cumsum("bool", rng.integers(0, 2, (2, 5)).astype(bool), 1)
cumsum("float32", rng.standard_normal((3, 5)).astype(np.float32), 1)
cumsum("empty axis", np.zeros((2, 0)), 1)

v = rng.standard_normal((4, 7))
quantile("median all", v, 0.5, None)
quantile("q=0 and q=1", v, [0.0, 1.0], 1)
quantile("many q axis 0", v, [0.1, 0.25, 0.5, 0.7, 0.9, 0.99], 0)
quantile("scalar q axis -1", v, 0.3, -1)
quantile("keepdims", v, 0.8, 1, keepdims=True)
quantile("keepdims vector q", v, [0.2, 0.6], 0, keepdims=True)
quantile("keepdims all", v, [0.2, 0.6], None, keepdims=True)
quantile("keepdims all scalar q", v, 0.4, None, keepdims=True)
quantile("3d middle", rng.standard_normal((2, 5, 3)), [0.33, 0.5], 1)
quantile("one element", np.array([[2.5], [1.0]]), [0.0, 0.5, 1.0], 1)
quantile("ties", ties, [0.25, 0.5, 0.75], 1)
quantile("nan rows", np.array([[1.0, nan, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]), [0.0, 0.5], 1)
quantile("infinities", np.array([[1.0, inf, 3.0], [-inf, 0.0, 2.0]]), [0.0, 0.25, 0.5, 1.0], 1)
quantile("float32", rng.standard_normal((3, 8)).astype(np.float32), [0.1, 0.5, 0.95], 1)
quantile("0-d", np.array(3.25), 0.7, None)
quantile("percentile", v, [5.0, 50.0, 95.0], 1, percent=True)
quantile("percentile scalar", v, 37.5, None, percent=True)

write("sort.json", cases)
