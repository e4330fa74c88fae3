#!/usr/bin/env python3
"""Writes the fixtures of TensorNPYTests.swift into npy/tensor/ (NumPy 2.x; deterministic).

  saved_*.npy     what np.save writes for the arrays the test builds with Tessera; the test saves the same
                  values with Tensor.save(npy:) and compares the files byte for byte. Keep the two lists in
                  step: each comment names the Tessera expression.
  savez_pair.npz  np.savez of two of them; the test compares its members' bytes with Tessera's .npy bytes
                  (the ZIP containers differ: zipfile stores timestamps).
  load_*.npy      layouts and types the loader must convert: Fortran order combined with big-endian and
                  with widening, and a uint64 too large for int64 (the test expects an error at its offset).
"""
import os

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor")
os.makedirs(HERE, exist_ok=True)


def save(name, arr):
    np.save(os.path.join(HERE, name), arr, allow_pickle=False)


grid = np.arange(12).reshape(3, 4) * 0.5 - 2  # TensorNPYTests.grid(): float64 values (0..<12) * 0.5 - 2

save("saved_f4.npy", grid.astype("<f4"))                 # (... ).astype(.float32)
save("saved_f8.npy", grid.astype("<f8"))                 # .astype(.float64)
save("saved_f2.npy", grid.astype("<f2"))                 # .astype(.float16)
# bfloat16 saves as its raw bits: these values are exact in bfloat16, so the bits are the float32's top half.
save("saved_bf16.npy", (grid.astype("<f4").view("<u4") >> 16).astype("<u2"))  # .astype(.bfloat16)
save("saved_i4.npy", np.arange(-6, 6).reshape(3, 4).astype("<i4"))           # Tensor.arange(-6, 6, step: 1).reshape([3, 4]).astype(.int32)
save("saved_i8.npy", np.array([-(2**62), -1, 0, 2**62 + 3], dtype="<i8"))  # Tensor([...], dtype: .int64)
save("saved_u1.npy", np.arange(250, 256).astype("<u1").reshape(2, 3))       # Tensor.arange(250, 256, step: 1).reshape([2, 3]).astype(.uint8)
save("saved_b1.npy", np.array([[True, False, True], [False, False, True]]))  # Tensor([[true, false, true], ...])
save("saved_0d.npy", np.array(3.25, dtype="<f8"))                            # Tensor(shape: [], scalars: [3.25], dtype: .float64)
save("saved_empty.npy", np.zeros((0, 3), dtype="<f4"))                       # Tensor.zeros([0, 3])
save("saved_4d.npy", np.arange(120, dtype="<i8").reshape(2, 3, 4, 5))       # Tensor.arange(120).reshape([2, 3, 4, 5])
# Non-contiguous sources save in C order, as np.save of a C-contiguous copy would.
save("saved_transposed.npy", np.ascontiguousarray(np.arange(6, dtype="<f4").reshape(2, 3).T))  # .T
save("saved_sliced.npy", np.ascontiguousarray(np.arange(30, dtype="<i4").reshape(5, 6)[1::2, ::-2]))  # [1..., stride(by -2)]

np.savez(os.path.join(HERE, "savez_pair.npz"), grid=grid.astype("<f4"),
         ints=np.arange(-6, 6).reshape(3, 4).astype("<i4"))

save("load_fortran_be_f4.npy", np.asfortranarray(np.arange(24).reshape(2, 3, 4).astype(">f4")))
save("load_fortran_i2.npy", np.asfortranarray((np.arange(24).reshape(2, 3, 4) - 12).astype("<i2")))
save("load_fortran_be_u2.npy", np.asfortranarray((np.arange(6).reshape(2, 3) * 10000).astype(">u2")))
save("load_u8_overflow.npy", np.array([1, 2**63, 5], dtype="<u8"))
save("load_u8_max_ok.npy", np.array([0, 2**63 - 1], dtype=">u8"))
save("load_u4.npy", np.array([0, 2**32 - 1, 7], dtype="<u4"))
