"""Writes fcs_expected.json: what fcsparser 0.2.8 reads from the five FCS files in ../shared/data/fcs.

    python3 -m venv /tmp/fcsvenv && /tmp/fcsvenv/bin/pip install fcsparser==0.2.8 six  # numpy 1.26, pandas come with it
    /tmp/fcsvenv/bin/python Tests/TesseraBioTests/Fixtures/fcs/make_fcs_fixtures.py

Per file: version, the $PAR/$TOT/$DATATYPE/$BYTEORD/$PnN/$PnS keywords as fcsparser reports them, the data
shape, the first and last 5 rows (float32 values, written exactly as float64), per-column sums in float64, and an
FNV-1a 64 hash of all float32 values (little-endian bit patterns, row-major) so every value is compared.
"""
import json
import os
import sys

import numpy as np
import fcsparser

HERE = os.path.dirname(os.path.abspath(__file__))


def repo_root():
    d = HERE
    while not os.path.exists(os.path.join(d, "Package.swift")):
        parent = os.path.dirname(d)
        if parent == d:
            sys.exit("no Package.swift above " + HERE)
        d = parent
    return d


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main():
    folder = os.path.join(repo_root(), "..", "shared", "data", "fcs")
    out = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".fcs"):
            continue
        meta, df = fcsparser.parse(os.path.join(folder, name), reformat_meta=False)  # float32 by default
        data = df.to_numpy(dtype=np.float32)
        par = int(meta["$PAR"])
        keywords = {k: str(meta[k]) for k in ("$PAR", "$TOT", "$DATATYPE", "$BYTEORD")}
        for n in range(1, par + 1):
            for suffix in ("N", "S"):
                key = "$P%d%s" % (n, suffix)
                if key in meta:
                    keywords[key] = meta[key]
        out.append({
            "file": name,
            "version": meta["__header__"]["FCS format"].decode("ascii"),
            "keywords": keywords,
            "shape": list(data.shape),
            "first": data[:5].astype(np.float64).tolist(),
            "last": data[-5:].astype(np.float64).tolist(),
            "sums": data.astype(np.float64).sum(axis=0).tolist(),
            "fnv1a64": "%016x" % fnv1a64(np.ascontiguousarray(data).astype("<f4").tobytes()),
        })
    with open(os.path.join(HERE, "fcs_expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", len(out), "files")


if __name__ == "__main__":
    main()
