"""Shared by the make_*_fixtures.py scripts: arrays as JSON that Tests/TesseraTests/Ops/*Tests.swift read.

An array is {"shape": [...], "dtype": "float32", "data": [...]} with the elements in row-major order as
numbers; NaN and infinities are the strings "nan", "inf", "-inf" (JSON has no such numbers).
"""
import json
import math
import os

import numpy as np


def enc(a, dtype=None):
    a = np.asarray(a) if dtype is None else np.asarray(a, dtype=dtype)
    data = []
    for v in a.ravel().tolist():
        v = float(v)
        data.append(v if math.isfinite(v) else ("nan" if v != v else ("inf" if v > 0 else "-inf")))
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": data}


def write(name, cases):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w") as f:
        json.dump(cases, f, indent=0, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")
