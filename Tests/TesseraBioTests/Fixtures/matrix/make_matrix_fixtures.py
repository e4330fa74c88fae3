"""Reference values for the TesseraBio matrix reader tests, from NumPy's own text reader.

Run from anywhere: python3 make_matrix_fixtures.py [DATA_DIR]
DATA_DIR defaults to ../shared/data next to the package root (the folder holding Package.swift).
Writes expression.json beside this script.
"""
import csv
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
root = here
while not os.path.exists(os.path.join(root, "Package.swift")):
    root = os.path.dirname(root)
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
expression = os.path.join(data, "expression")

# exprsData.txt: header "Feature A..Z", then probe id + 26 values per line.
path = os.path.join(expression, "exprsData.txt")
with open(path, newline="") as f:
    header = next(csv.reader(f, delimiter="\t"))
    row_names = [r[0] for r in csv.reader(f, delimiter="\t")]
values = np.genfromtxt(path, delimiter="\t", skip_header=1, usecols=range(1, len(header)), dtype=np.float64)
assert values.shape == (len(row_names), len(header) - 1)

# pData.txt: 4 "#" lines, then "id gender type score"; only score is numeric.
ppath = os.path.join(expression, "pData.txt")
pdata = np.genfromtxt(ppath, delimiter="\t", skip_header=4, names=True, dtype=None, encoding="utf-8")

out = {
    "exprs": {
        "shape": list(values.shape),
        "columnNames": header[1:],
        "firstRowNames": row_names[:5],
        "lastRowName": row_names[-1],
        "columnSums": values.sum(axis=0).tolist(),
        "columnSumsFloat32": values.astype(np.float32).astype(np.float64).sum(axis=0).tolist(),
        "firstRows": values[:3].tolist(),
        "min": float(values.min()),
        "max": float(values.max()),
        "negativeCount": int((values < 0).sum()),
    },
    "pData": {
        "ids": [str(x) for x in pdata["id"]],
        "score": [float(x) for x in pdata["score"]],
        "names": list(pdata.dtype.names),
    },
}
with open(os.path.join(here, "expression.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote expression.json:", values.shape, "pData rows", len(pdata))
