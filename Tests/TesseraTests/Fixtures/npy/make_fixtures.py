#!/usr/bin/env python3
"""Writes the .npy/.npz/raw-deflate fixtures for NPYFormatTests, ZIPArchiveTests and InflateTests.

Run from anywhere: `python3 make_fixtures.py` (NumPy 2.x). Output is deterministic except for the
timestamps zipfile stores in .npz entries. Sidecars record NumPy's and zlib's own view of every file:

  expected.txt  one line per array (a .npy file or an .npz member):
                file=NAME [member=NAME] descr=<f4 fortran=0|1 shape=3,4 offset=DATA_OFFSET hex=RAW_DATA_BYTES
                (shape= is empty for 0-d arrays; hex= is the data exactly as stored, in file order)
  inflate.txt   one line per raw deflate stream: file=NAME size=INFLATED_SIZE crc32=HEX first_block=0|1|2
"""
import io
import os
import random
import zipfile
import zlib

import numpy as np
from numpy.lib import _format_impl

HERE = os.path.dirname(os.path.abspath(__file__))
lines = []


def describe(name, data, member=None):
    """Appends the sidecar line for one .npy byte string, using NumPy's reader to find the fields."""
    f = io.BytesIO(data)
    version = np.lib.format.read_magic(f)
    shape, fortran, dtype = _format_impl._read_array_header(f, version)  # handles 1.0, 2.0 and 3.0
    offset = f.tell()
    arr = np.load(io.BytesIO(data), allow_pickle=False)
    raw = arr.tobytes(order="F" if fortran else "C")
    assert data[offset:offset + len(raw)] == raw
    fields = [f"file={name}"] + ([f"member={member}"] if member else [])
    fields += [f"descr={dtype.str}", f"fortran={int(fortran)}", f"shape={','.join(map(str, shape))}",
               f"offset={offset}", f"hex={raw.hex()}"]
    lines.append(" ".join(fields))


def save(name, arr, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, version=version)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(buf.getvalue())
    describe(name, buf.getvalue())


def save_npz(name, compress, **arrays):
    path = os.path.join(HERE, name)
    (np.savez_compressed if compress else np.savez)(path, **arrays)
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            describe(name, z.read(member), member)


values = np.array([[0, 1, -2], [3, -4, 5]])
for code in ["b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8"]:
    arr = values.astype(code) if code[0] != "u" else np.abs(values).astype(code)
    if code[0] == "f":
        arr = arr * 1.5
    save(f"dtype_{code}.npy", arr.astype(code))
save("bigendian_f8.npy", (values * 0.25).astype(">f8"))
save("bigendian_i4.npy", values.astype(">i4"))
save("fortran_2x3.npy", np.asfortranarray(values.astype("<f4")))
save("scalar_0d.npy", np.array(3.25))
save("vector_5.npy", np.arange(5, dtype="<i4"))
save("empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
save("header_v2.npy", np.arange(6, dtype="<i2").reshape(2, 3), version=(2, 0))
save("header_v3.npy", np.arange(4, dtype="<u1"), version=(3, 0))

# Valid NumPy files with dtypes Tessera does not read (only the header matters; no sidecar line).
np.save(os.path.join(HERE, "unsupported_c8.npy"), np.array([1 + 2j], dtype="<c8"))
np.save(os.path.join(HERE, "unsupported_object.npy"), np.array([None, "x"], dtype=object), allow_pickle=True)
np.save(os.path.join(HERE, "unsupported_structured.npy"), np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")]))

save_npz("savez.npz", False, a=np.arange(6, dtype="<f4").reshape(2, 3), b=np.array([1, 2, 3], dtype="<i8"),
         c=np.array(True))
save_npz("savez_compressed.npz", True, x=np.linspace(0, 1, 200).astype("<f8"), y=np.arange(12, dtype="<i2"))

# An archive whose central directory and end records all use zip64 forms (NumPy only forces zip64 in
# local headers; lowering the limit makes zipfile write the zip64 central-directory records too).
limit = zipfile.ZIP64_LIMIT
zipfile.ZIP64_LIMIT = 16
with zipfile.ZipFile(os.path.join(HERE, "zip64_records.npz"), "w") as z:
    for member, arr in [("p.npy", np.arange(3, dtype="<i4")), ("q.npy", np.ones(2, dtype="<f2"))]:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, arr)
        z.writestr(member, buf.getvalue())
zipfile.ZIP64_LIMIT = limit
with zipfile.ZipFile(os.path.join(HERE, "zip64_records.npz")) as z:
    for member in z.namelist():
        describe("zip64_records.npz", z.read(member), member)

with open(os.path.join(HERE, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")

# Raw deflate streams (wbits=-15, what ZIP entries hold).
rng = random.Random(1951)
words = ["tensor", "gradient", "kernel", "fusion", "NumPy", "deflate", "Huffman", "window", "0.125", "\n"]
text = " ".join(rng.choice(words) for _ in range(400)).encode()
noise = bytes(rng.getrandbits(8) for _ in range(5000))
# ~1 MiB, compressible but with matches up to the full 32 KiB window, so zlib emits many dynamic blocks.
chunks = []
while sum(map(len, chunks)) < 1 << 20:
    if chunks and rng.random() < 0.2:
        chunks.append(rng.choice(chunks[-2000:]))  # repeat a recent line: a long-distance match
    else:
        chunks.append(f"row {rng.randrange(10**6)}: {' '.join(rng.choices(words, k=rng.randrange(1, 12)))}".encode())
big = b"".join(chunks)[: 1 << 20]

streams = [
    ("text_level0", text, 0, zlib.Z_DEFAULT_STRATEGY, 0),
    ("text_level1", text, 1, zlib.Z_DEFAULT_STRATEGY, 2),
    ("text_level9", text, 9, zlib.Z_DEFAULT_STRATEGY, 2),
    ("text_fixed", text, 9, zlib.Z_FIXED, 1),
    ("short_fixed", b"abcabcabcabcabc", 9, zlib.Z_DEFAULT_STRATEGY, 1),
    ("noise_level9", noise, 9, zlib.Z_DEFAULT_STRATEGY, 0),
    ("empty_level9", b"", 9, zlib.Z_DEFAULT_STRATEGY, 1),
    ("big_level9", big, 9, zlib.Z_DEFAULT_STRATEGY, 2),
]
inflate_lines = []
os.makedirs(os.path.join(HERE, "deflate"), exist_ok=True)
for name, data, level, strategy, first_block in streams:
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
    stream = c.compress(data) + c.flush()
    assert (stream[0] >> 1) & 3 == first_block, (name, stream[0])
    assert zlib.decompress(stream, -15) == data
    with open(os.path.join(HERE, "deflate", name + ".deflate"), "wb") as f:
        f.write(stream)
    inflate_lines.append(f"file={name}.deflate size={len(data)} crc32={zlib.crc32(data):08x} first_block={first_block}")
with open(os.path.join(HERE, "inflate.txt"), "w") as f:
    f.write("\n".join(inflate_lines) + "\n")
