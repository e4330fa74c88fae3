"""Writes indexing.json: gather (np.take_along_axis), indexSelect (np.take) and maskedSelect (x[mask])
cases for IndexingTests.swift. Seeded; rerun with numpy 2.x to regenerate."""
import numpy as np

from fixture_util import enc, write

rng = np.random.default_rng(11)
cases = []


def gather(name, x, idx, axis):
    # torch.gather allows an index smaller than x outside `axis`: NumPy sees the matching corner of x.
    corner = tuple(slice(0, idx.shape[d]) if d != axis % x.ndim else slice(None) for d in range(x.ndim))
    expected = np.take_along_axis(x[corner], idx, axis=axis)
    cases.append({"name": name, "op": "gather", "x": enc(x), "index": enc(idx), "axis": axis, "expected": enc(expected)})


def index_select(name, x, idx, axis):
    cases.append({"name": name, "op": "indexSelect", "x": enc(x), "index": enc(idx), "axis": axis,
                  "expected": enc(np.take(x, idx, axis=axis))})


def masked(name, x, mask):
    xb, mb = np.broadcast_arrays(x, mask)
    cases.append({"name": name, "op": "maskedSelect", "x": enc(x), "index": enc(mask), "axis": 0,
                  "expected": enc(xb[mb])})


x = rng.standard_normal((3, 5))
gather("2d axis 1", x, rng.integers(0, 5, (3, 4)), 1)
gather("2d axis 0 repeated", x, rng.integers(0, 3, (4, 5)), 0)
gather("2d axis -1 negative indices", x, rng.integers(-5, 5, (3, 5)), -1)
gather("smaller index outside axis", x, rng.integers(0, 5, (2, 3)), 1)
gather("3d axis 1 float32", rng.standard_normal((2, 4, 3)).astype(np.float32), rng.integers(0, 4, (2, 6, 3)), 1)
gather("3d axis 2 int32 index", rng.standard_normal((2, 3, 4)), rng.integers(0, 4, (2, 3, 2)).astype(np.int32), 2)
gather("int64 values", rng.integers(-100, 100, (4, 3)), rng.integers(0, 3, (4, 3)), 1)
gather("float16 values", rng.standard_normal((3, 3)).astype(np.float16), rng.integers(0, 3, (3, 2)), 1)
gather("bool values", rng.standard_normal((3, 4)) > 0, rng.integers(0, 4, (3, 4)), 1)
gather("empty index", x, np.zeros((3, 0), dtype=np.int64), 1)
gather("1d", rng.standard_normal(6), np.array([5, 0, 0, -1, 2]), 0)

index_select("2d axis 1", x, np.array([4, 0, 2, 2]), 1)
index_select("2d axis 0 negative", x, np.array([-1, 0, -3]), 0)
index_select("3d middle axis float32", rng.standard_normal((2, 5, 3)).astype(np.float32), np.array([1, 4, 1, 0]), 1)
index_select("int32 indices", rng.integers(0, 9, (3, 4)), np.array([3, 1], dtype=np.int32), -1)
index_select("no indices", x, np.zeros(0, dtype=np.int64), 1)
index_select("1d", rng.standard_normal(7), np.array([6, 6, 0]), 0)

masked("2d same shape", x, x > 0.2)
masked("row mask broadcast", x, np.array([True, False, True, True, False]))
masked("mask larger than x", rng.standard_normal(4), rng.standard_normal((3, 4)) > 0)
masked("all false", x, np.zeros((3, 5), dtype=bool))
masked("int64 values", rng.integers(-5, 5, (2, 6)), rng.integers(0, 2, (2, 6)).astype(bool))
masked("3d float32", rng.standard_normal((2, 3, 4)).astype(np.float32), rng.standard_normal((2, 3, 4)) < 0)

write("indexing.json", cases)
