"""Writes conformance.json, the conformance suite's reference values (Tests/TesseraTests/Conformance).

Run with the peers' Python (`bash scripts/install-peers.sh`, then
`.peers/bin/python Tests/TesseraTests/Fixtures/conformance/make_conformance.py`); NumPy 2.4.6 and torch
2.13.0+cpu wrote the stored file.

For every public op: sample inputs over the dtypes it accepts and the edge values (0, -0, +-inf, NaN, ties,
empty and 0-d tensors), each also as a non-contiguous view (transposed, reversed, broadcast). Forward values
come from NumPy, or from PyTorch where NumPy has no such op or where Tessera follows PyTorch's convention
(docs/conventions.md); gradients of float64 cases from PyTorch's autograd, as `backward(c)` for a stored
seeded `c`. The expected dtype is Tessera's (PyTorch's promotion; integer inputs to float-valued ops give
float32).

A case is {"id", "op", "kwargs", "inputs": [array + "layout"], "source", "expected": array, "grads": [array or
null] (float64 cases), "cotangent": array}. An array is {"shape", "dtype", "data"}, NaN and infinities
spelled "nan", "inf", "-inf".
"""
import json
import math
import os

import numpy as np
import torch

rng = np.random.default_rng(20261204)

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.75, np.inf, -np.inf, np.nan, 1e-8, 100.0]
FLOATS = ["float16", "float32", "float64"]
INTS = ["uint8", "int32", "int64"]


def enc(a):
    a = np.asarray(a)
    data = []
    for v in a.ravel().tolist():
        v = float(v)
        data.append(v if math.isfinite(v) else ("nan" if v != v else ("inf" if v > 0 else "-inf")))
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": data}


def tdtype(name):
    return {"bool": torch.bool, "uint8": torch.uint8, "int32": torch.int32, "int64": torch.int64,
            "float16": torch.float16, "float32": torch.float32, "float64": torch.float64}[name]


def tname(t):
    return str(t).replace("torch.", "")


def sample(shape, dtype, specials=True, low=-3.0, high=3.0):
    n = int(np.prod(shape)) if shape else 1
    if dtype == "bool":
        v = rng.integers(0, 2, n).astype(bool)
    elif dtype in INTS:
        lo, hi = (0, 200) if dtype == "uint8" else (-50, 50)
        v = rng.integers(lo, hi, n).astype(dtype)
    else:
        v = rng.uniform(low, high, n)
        if specials and n >= len(SPECIAL):
            v[: len(SPECIAL)] = SPECIAL
            rng.shuffle(v)
        v = v.astype(dtype)
    return v.reshape(shape)


CASES = []


def add(op, inputs, kwargs=None, numpy=None, torch_fn=None, source="numpy", grad=True, float_out=False,
        layouts=("contiguous", "transposed", "reversed", "broadcast"), dtype_rule=None):
    """Records `op` on `inputs` (NumPy arrays), in each layout of the first input; in the broadcast layout
    the first input is its first row repeated along axis 0 (stored once, read through a stride-0 view)."""
    kwargs = kwargs or {}
    for layout in layouts:
        if layout == "transposed" and inputs[0].ndim < 2:
            continue
        if layout in ("reversed", "broadcast") and (inputs[0].ndim < 1 or inputs[0].shape[0] < 2):
            continue
        given = inputs
        if layout == "broadcast":
            given = [np.ascontiguousarray(np.broadcast_to(inputs[0][:1], inputs[0].shape))] + list(inputs[1:])
        _record(op, given, kwargs, numpy, torch_fn, source, grad, float_out, layout, dtype_rule)


def _record(op, inputs, kwargs, numpy, torch_fn, source, grad, float_out, layout, dtype_rule):
    dts = [str(a.dtype) for a in inputs]
    integral = not any(d.startswith("float") for d in dts)
    if integral and torch_fn is not None and (float_out or op in ("sum", "prod")):
        # Integers: float-valued ops give float32 and sums and products int64 (wrapping), as PyTorch's;
        # NumPy gives float16 for uint8 and reduces uint8 in uint64.
        source = "torch"
    tin = [torch.tensor(a) for a in inputs]
    expected_dtype = None
    tout = None
    if torch_fn is not None:
        try:
            tout = torch_fn(*tin)
            expected_dtype = tname(tout.dtype)
        except (RuntimeError, TypeError):
            tout = None
    if source == "numpy":
        with np.errstate(all="ignore"):
            value = np.asarray(numpy(*inputs))
        if expected_dtype is None:
            expected_dtype = str(value.dtype)
    else:
        if tout is None:
            return
        value = tout.detach().numpy()
    if float_out and not any(d.startswith("float") for d in dts):
        expected_dtype = "float32"
    if dtype_rule is not None:
        expected_dtype = dtype_rule(dts, expected_dtype)
    expected = enc(np.asarray(value, dtype=np.float64) if value.dtype != bool else value)
    expected["dtype"] = expected_dtype
    case = {"id": f"{op}{json.dumps(kwargs, sort_keys=True) if kwargs else ''} {'/'.join(dts)} {list(inputs[0].shape)} {layout}",
            "op": op, "kwargs": kwargs, "source": source, "expected": expected,
            "inputs": [dict(enc(a), layout=(layout if i == 0 else "contiguous")) for i, a in enumerate(inputs)]}
    if grad and torch_fn is not None and all(d == "float64" for d in dts if d.startswith("float")) \
            and any(d == "float64" for d in dts):
        leaves = [t.clone().requires_grad_(t.dtype == torch.float64) for t in tin]
        out = torch_fn(*leaves)
        if out.dtype == torch.float64 and out.requires_grad:
            c = torch.tensor(rng.uniform(-1, 1, tuple(out.shape)))
            wanted = [l for l in leaves if l.requires_grad]
            grads = torch.autograd.grad(out, wanted, grad_outputs=c, allow_unused=True)
            it = iter(grads)
            case["cotangent"] = enc(c.numpy())
            case["grads"] = [enc(next(it).numpy()) if l.requires_grad else None for l in leaves]
            case["grads"] = [g if g is not None else None for g in case["grads"]]
    CASES.append(case)


# ---- elementwise, one input -----------------------------------------------------------------------------

UNARY = {
    "neg": (np.negative, torch.neg), "abs": (np.abs, torch.abs), "sign": (np.sign, torch.sign),
    "sqrt": (np.sqrt, torch.sqrt), "exp": (np.exp, torch.exp), "expm1": (np.expm1, torch.expm1),
    "log": (np.log, torch.log), "log1p": (np.log1p, torch.log1p), "sin": (np.sin, torch.sin),
    "cos": (np.cos, torch.cos), "tanh": (np.tanh, torch.tanh), "floor": (np.floor, torch.floor),
    "ceil": (np.ceil, torch.ceil), "round": (np.round, torch.round), "square": (np.square, torch.square),
    "reciprocal": (np.reciprocal, torch.reciprocal), "isnan": (np.isnan, torch.isnan),
    "isinf": (np.isinf, torch.isinf), "isfinite": (np.isfinite, torch.isfinite),
    "logicalNot": (np.logical_not, torch.logical_not),
}
TORCH_ONLY_UNARY = {"rsqrt": torch.rsqrt, "sigmoid": torch.sigmoid, "erf": torch.erf, "relu": torch.relu,
                    "gelu": torch.nn.functional.gelu, "softplus": torch.nn.functional.softplus}
FLOAT_VALUED = {"sqrt", "rsqrt", "exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sigmoid", "erf", "reciprocal",
                "gelu", "softplus"}
SMOOTH = {"neg", "sqrt", "rsqrt", "exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sigmoid", "erf", "square",
          "reciprocal", "gelu", "softplus"}

for name, (npf, tf) in list(UNARY.items()) + [(k, (None, v)) for k, v in TORCH_ONLY_UNARY.items()]:
    source = "numpy" if npf is not None else "torch"
    for dt in FLOATS:
        x = sample([3, 4], dt)
        if name == "gelu":  # PyTorch's gelu gives NaN at +inf; Tessera gives inf (its limit), so no infinities
            x[np.isinf(x)] = 2.0
        add(name, [x], numpy=npf, torch_fn=tf, source=source, grad=False)
    for dt in INTS + (["bool"] if name in ("logicalNot", "isnan", "isfinite", "abs") else []):
        if name in ("reciprocal",) and dt != "int64":
            continue
        add(name, [sample([2, 3], dt)], numpy=npf, torch_fn=tf, source=source, grad=False, float_out=name in FLOAT_VALUED,
            layouts=("contiguous",))
    add(name, [np.array(2.5)], numpy=npf, torch_fn=tf, source=source, grad=False, layouts=("contiguous",))
    add(name, [np.zeros([0, 3])], numpy=npf, torch_fn=tf, source=source, grad=False, layouts=("contiguous",))
    if name in SMOOTH:
        low = 0.2 if name in ("sqrt", "rsqrt", "log") else (-0.5 if name == "log1p" else -2.0)
        x = rng.uniform(low, 2.0, [3, 4])
        if name == "reciprocal":
            x = np.where(np.abs(x) < 0.3, 0.7, x)
        add(name, [x], numpy=npf, torch_fn=tf, source=source, layouts=("contiguous", "transposed"))

# ---- elementwise, two inputs: every pair of special values ---------------------------------------------

BINARY = {
    "add": (np.add, torch.add), "sub": (np.subtract, torch.sub), "mul": (np.multiply, torch.mul),
    "div": (np.true_divide, torch.true_divide), "pow": (np.power, torch.pow), "maximum": (np.maximum, torch.maximum),
    "minimum": (np.minimum, torch.minimum), "floorDivide": (np.floor_divide, torch.floor_divide),
    "remainder": (np.remainder, torch.remainder), "eq": (np.equal, torch.eq), "ne": (np.not_equal, torch.ne),
    "lt": (np.less, torch.lt), "le": (np.less_equal, torch.le), "gt": (np.greater, torch.gt),
    "ge": (np.greater_equal, torch.ge), "logicalAnd": (np.logical_and, torch.logical_and),
    "logicalOr": (np.logical_or, torch.logical_or), "logicalXor": (np.logical_xor, torch.logical_xor),
}
pairs_a = np.array(SPECIAL).reshape(-1, 1)
pairs_b = np.array(SPECIAL).reshape(1, -1)
for name, (npf, tf) in BINARY.items():
    for dt in FLOATS:
        add(name, [pairs_a.astype(dt), pairs_b.astype(dt)], numpy=npf, torch_fn=tf, grad=False, layouts=("contiguous",))
    for dt in INTS:
        a, b = sample([3, 4], dt), sample([4], dt)
        if name in ("floorDivide", "remainder"):
            b = np.where(b == 0, 3, b).astype(dt)
        if name == "pow":
            b = rng.integers(0, 4, [4]).astype(dt)
        add(name, [a, b], numpy=npf, torch_fn=tf, grad=False, float_out=name == "div", layouts=("contiguous", "transposed"))
    if name in ("floorDivide", "remainder"):
        for dt in ("int32", "int64"):  # integers by zero give 0, as NumPy's (PyTorch raises)
            add(name, [np.array([5, -5, 0], dtype=dt), np.array([0, 0, 0], dtype=dt)], numpy=npf, torch_fn=None,
                grad=False, layouts=("contiguous",), dtype_rule=lambda d, e: d[0])
    # a 0-d operand broadcasts against anything, an empty one gives an empty result
    add(name, [sample([3, 4], "float64"), np.array(1.5)], numpy=npf, torch_fn=tf, grad=False,
        layouts=("contiguous", "transposed"))
    add(name, [np.zeros([0, 4]), sample([4], "float64", specials=False)], numpy=npf, torch_fn=tf, grad=False,
        layouts=("contiguous",))
    # mixed dtypes: Tessera promotes as PyTorch (int32 with float32 gives float32, where NumPy gives float64)
    add(name, [sample([2, 3], "int32"), sample([3], "float32", specials=False)], numpy=None, torch_fn=tf,
        source="torch", grad=False, layouts=("contiguous",))
    x, y = rng.uniform(0.3, 2.0, [3, 4]), rng.uniform(0.3, 2.0, [3, 1])
    if name in ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder"):
        add(name, [x, y], numpy=npf, torch_fn=tf, layouts=("contiguous", "transposed"))
    if name in ("maximum", "minimum"):  # ties: the gradient is split
        add(name, [np.array([1.0, 2, 3]), np.array([1.0, 0, 3])], numpy=npf, torch_fn=tf, layouts=("contiguous",))

# ---- where, clamp ---------------------------------------------------------------------------------------

for dt in ["float32", "float64", "int32"]:
    cond = rng.integers(0, 2, [3, 4]).astype(bool)
    add("where", [cond, sample([3, 4], dt), sample([4], dt)], numpy=np.where, torch_fn=torch.where, grad=False,
        layouts=("contiguous", "transposed"))
add("where", [rng.integers(0, 2, [3, 4]).astype(bool), rng.uniform(-1, 1, [3, 4]), rng.uniform(-1, 1, [1, 4])],
    numpy=np.where, torch_fn=torch.where)
for dt in FLOATS:
    add("clamp", [sample([3, 4], dt)], {"min": -0.5, "max": 1.25}, numpy=lambda x: np.clip(x, -0.5, 1.25),
        torch_fn=lambda x: torch.clamp(x, -0.5, 1.25), grad=False)
add("clamp", [rng.uniform(-2, 2, [3, 4])], {"min": -0.5, "max": 1.25}, numpy=lambda x: np.clip(x, -0.5, 1.25),
    torch_fn=lambda x: torch.clamp(x, -0.5, 1.25))

# kinks: PyTorch's subgradients at 0 and at the bounds
kinks = np.array([-1.5, -0.5, 0.0, -0.0, 0.5, 1.25, 2.0])
for name, tf in [("relu", torch.relu), ("abs", torch.abs), ("sign", torch.sign)]:
    add(name, [kinks], numpy=None, torch_fn=tf, source="torch", layouts=("contiguous", "reversed"))
add("clamp", [kinks], {"min": -0.5, "max": 1.25}, numpy=lambda x: np.clip(x, -0.5, 1.25),
    torch_fn=lambda x: torch.clamp(x, -0.5, 1.25), layouts=("contiguous", "reversed"))
add("clamp", [sample([3, 4], "int32")], {"min": -10, "max": 20}, numpy=lambda x: np.clip(x, -10, 20), grad=False)

# ---- reductions -----------------------------------------------------------------------------------------

def axis_kwargs(axis, keep):
    k = {"keepdims": keep}
    if axis is not None:
        k["axis"] = axis
    return k


def t_axes(axis):
    return tuple(range(0, 3)) if axis is None else axis


def _tprod(x, axis, keep):
    if axis is None:
        r = torch.prod(x)
        return r.reshape([1] * x.dim()) if keep else r
    if isinstance(axis, tuple):
        r = x
        for a in sorted((a % x.dim() for a in axis), reverse=True):
            r = torch.prod(r, dim=a, keepdim=keep)
        return r
    return torch.prod(x, dim=axis, keepdim=keep)


REDUCTIONS = {
    "sum": (np.sum, lambda x, axis, keep: torch.sum(x, dim=axis, keepdim=keep) if axis is not None else
            (torch.sum(x).reshape([1] * x.dim()) if keep else torch.sum(x))),
    "prod": (np.prod, lambda x, axis, keep: _tprod(x, axis, keep)),
    "max": (np.max, lambda x, axis, keep: torch.amax(x, dim=axis if axis is not None else tuple(range(x.dim())), keepdim=keep)),
    "min": (np.min, lambda x, axis, keep: torch.amin(x, dim=axis if axis is not None else tuple(range(x.dim())), keepdim=keep)),
    "mean": (np.mean, lambda x, axis, keep: torch.mean(x, dim=axis if axis is not None else tuple(range(x.dim())), keepdim=keep)),
    "variance": (lambda x, axis=None, keepdims=False: np.var(x, axis=axis, keepdims=keepdims, ddof=1),
                 lambda x, axis, keep: torch.var(x, dim=axis, keepdim=keep, correction=1)),
    "std": (lambda x, axis=None, keepdims=False: np.std(x, axis=axis, keepdims=keepdims, ddof=1),
            lambda x, axis, keep: torch.std(x, dim=axis, keepdim=keep, correction=1)),
    "norm": (lambda x, axis=None, keepdims=False: np.sqrt(np.sum(np.square(x.astype(np.float64)), axis=axis, keepdims=keepdims)),
             lambda x, axis, keep: torch.linalg.vector_norm(x, dim=axis, keepdim=keep)),
    "logSumExp": (None, lambda x, axis, keep: torch.logsumexp(x, dim=axis if axis is not None else tuple(range(x.dim())), keepdim=keep)),
    "median": (np.median, None),
}
for name, (npf, tf) in REDUCTIONS.items():
    for axis, keep in [(None, False), (None, True), (1, False), (-1, True), ((0, 2), False)]:
        if name == "median" and isinstance(axis, tuple):
            continue
        kw = axis_kwargs(list(axis) if isinstance(axis, tuple) else axis, keep)
        nf = (lambda f, a, k: (lambda x: f(x, axis=a, keepdims=k)))(npf, axis, keep) if npf else None
        tfn = (lambda f, a, k: (lambda x: f(x, a, k)))(tf, axis, keep) if tf else None
        src = "numpy" if npf else "torch"
        for dt in ["float32", "float64", "int32", "uint8", "bool"]:
            if dt == "bool" and name not in ("sum", "prod", "max", "min"):
                continue
            x = sample([2, 3, 4], dt, specials=False)
            fo = name in ("mean", "variance", "std", "norm", "logSumExp", "median")
            rule = (lambda d, e: "int64" if not d[0].startswith("float") else e) if name in ("sum", "prod") else None
            add(name, [x], kw, numpy=nf, torch_fn=tfn, source=src, grad=False, float_out=fo, dtype_rule=rule)
        xg = rng.uniform(-2, 2, [2, 3, 4])
        if name == "prod":
            xg[0, 1, 2] = 0.0
            xg[1, 2, :2] = 0.0
        add(name, [xg], kw, numpy=nf, torch_fn=tfn, source=src, layouts=("contiguous", "transposed"))
    # edge values: NaN propagates, inf
    x = sample([3, 4], "float64")
    add(name, [x], axis_kwargs(1, False), numpy=(lambda f: (lambda x: f(x, axis=1)))(npf) if npf else None,
        torch_fn=(lambda f: (lambda x: f(x, 1, False)))(tf) if tf else None, source="numpy" if npf else "torch", grad=False)
    if name in ("sum", "prod", "mean"):
        add(name, [np.zeros([0, 3])], axis_kwargs(0, False), numpy=(lambda f: (lambda x: f(x, axis=0)))(npf),
            torch_fn=None, grad=False, layouts=("contiguous",), dtype_rule=lambda d, e: d[0])
    if npf is not None:  # the non-empty axis of an empty tensor, and a 0-d tensor
        add(name, [np.zeros([0, 3])], axis_kwargs(1, False), numpy=(lambda f: (lambda x: f(x, axis=1)))(npf),
            grad=False, layouts=("contiguous",), dtype_rule=lambda d, e: d[0])
        add(name, [np.array(-1.5)], axis_kwargs(None, False), numpy=(lambda f: (lambda x: f(x)))(npf),
            grad=False, layouts=("contiguous",), dtype_rule=lambda d, e: d[0])


for name, npf, tf in [("argmax", np.argmax, torch.argmax), ("argmin", np.argmin, torch.argmin)]:
    for dt in ["float32", "float64", "int32"]:
        x = sample([3, 4], dt)
        x.ravel()[5] = x.ravel()[2]  # a tie
        for axis, keep in [(None, False), (None, True), (0, False), (1, True)]:
            add(name, [x], axis_kwargs(axis, keep), numpy=(lambda f, a, k: (lambda v: f(v, axis=a, keepdims=k)))(npf, axis, keep),
                torch_fn=None, grad=False, dtype_rule=lambda d, e: "int64")

for name, tf in [("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)]:
    for axis in (-1, 0):
        for dt in ["float32", "float64"]:
            add(name, [sample([3, 4], dt, specials=False)], {"axis": axis}, torch_fn=(lambda f, a: (lambda x: f(x, a)))(tf, axis),
                source="torch", grad=False)
        add(name, [rng.uniform(-3, 3, [3, 4])], {"axis": axis}, torch_fn=(lambda f, a: (lambda x: f(x, a)))(tf, axis),
            source="torch", layouts=("contiguous", "transposed"))
        for dt in ["uint8", "int32"]:  # integers are taken as float32 first
            add(name, [sample([3, 4], dt)], {"axis": axis}, torch_fn=(lambda f, a: (lambda x: f(x.float(), a)))(tf, axis),
                source="torch", grad=False, float_out=True)

for name, npf, tf in [("cumsum", np.cumsum, torch.cumsum), ("cumprod", np.cumprod, torch.cumprod)]:
    for dt in ["float32", "float64", "int32"]:
        add(name, [sample([3, 4], dt, specials=False)], {"axis": 1}, numpy=(lambda f: (lambda x: f(x, axis=1)))(npf),
            torch_fn=None, grad=False, dtype_rule=lambda d, e: "int64" if not d[0].startswith("float") else d[0])
    x = rng.uniform(-2, 2, [3, 4])
    x[1, 1] = 0.0
    add(name, [x], {"axis": 1}, numpy=(lambda f: (lambda v: f(v, axis=1)))(npf), torch_fn=(lambda f: (lambda v: f(v, 1)))(tf),
        layouts=("contiguous", "transposed", "reversed"))
    add(name, [np.zeros([0, 3])], {"axis": 1}, numpy=(lambda f: (lambda v: f(v, axis=1)))(npf), grad=False,
        layouts=("contiguous",))

# ---- sorting and quantiles ------------------------------------------------------------------------------

for dt in ["float32", "float64", "int32"]:
    x = sample([3, 6], dt)
    x[:, 4] = x[:, 1]  # ties keep their order
    add("argsort", [x], {"axis": 1}, numpy=lambda v: np.argsort(v, axis=1, kind="stable"), grad=False,
        dtype_rule=lambda d, e: "int64")
    add("sorted", [x], {"axis": 0}, numpy=lambda v: np.sort(v, axis=0), grad=False)
x = rng.uniform(-2, 2, [3, 6])
add("sorted", [x], {"axis": 1}, numpy=lambda v: np.sort(v, axis=1), torch_fn=lambda v: torch.sort(v, dim=1).values)
add("topk", [x], {"k": 2, "axis": 1}, torch_fn=lambda v: torch.topk(v, 2, dim=1).values, source="torch")
for q in (0.0, 0.3, 0.5, 1.0):
    add("quantile", [sample([3, 7], "float64")], {"q": q, "axis": 1}, numpy=(lambda q: (lambda v: np.quantile(v, q, axis=1)))(q),
        grad=False)
    add("quantile", [rng.uniform(-2, 2, [3, 7])], {"q": q, "axis": 1}, numpy=(lambda q: (lambda v: np.quantile(v, q, axis=1)))(q),
        torch_fn=(lambda q: (lambda v: torch.quantile(v, q, dim=1)))(q))

# ---- indexing, joining, movement ------------------------------------------------------------------------

x = rng.uniform(-2, 2, [3, 5])
idx = rng.integers(0, 5, [3, 4])
add("gather", [x, idx], {"axis": 1}, numpy=lambda v, i: np.take_along_axis(v, i, axis=1),
    torch_fn=lambda v, i: torch.gather(v, 1, i))
add("indexSelect", [x, np.array([4, 0, 4, -1])], {"axis": 1}, numpy=lambda v, i: np.take(v, i, axis=1),
    torch_fn=lambda v, i: torch.index_select(v, 1, torch.where(i < 0, i + 5, i)))
mask = rng.integers(0, 2, [3, 5]).astype(bool)
add("maskedSelect", [x, mask], numpy=lambda v, m: v[m], torch_fn=lambda v, m: torch.masked_select(v, m))
for dt in ["float32", "int32", "bool"]:
    a, b = sample([2, 3], dt), sample([2, 2], dt)
    add("concat", [a, b], {"axis": 1}, numpy=lambda p, q: np.concatenate([p, q], axis=1), grad=False)
add("concat", [rng.uniform(-1, 1, [2, 3]), rng.uniform(-1, 1, [1, 3])], {"axis": 0},
    numpy=lambda p, q: np.concatenate([p, q], axis=0), torch_fn=lambda p, q: torch.cat([p, q], 0))
add("stack", [rng.uniform(-1, 1, [2, 3]), rng.uniform(-1, 1, [2, 3])], {"axis": 1},
    numpy=lambda p, q: np.stack([p, q], axis=1), torch_fn=lambda p, q: torch.stack([p, q], 1))
add("pad", [rng.uniform(-1, 1, [2, 3])], {"widths": [[1, 0], [0, 2]], "value": 0.5},
    numpy=lambda v: np.pad(v, [(1, 0), (0, 2)], constant_values=0.5),
    torch_fn=lambda v: torch.nn.functional.pad(v, (0, 2, 1, 0), value=0.5))
for dt in ["float64", "int32", "bool"]:
    v = sample([2, 3, 4], dt)
    add("T", [v], numpy=lambda a: a.T, grad=False)
    add("mT", [v], numpy=lambda a: np.swapaxes(a, -1, -2), grad=False)
    add("flip", [v], {"axis": 1}, numpy=lambda a: np.flip(a, axis=1), grad=False)
    add("flip", [v], numpy=lambda a: np.flip(a), grad=False)
v = rng.uniform(-1, 1, [2, 3, 4])
add("T", [v], numpy=lambda a: a.T, torch_fn=lambda a: a.permute(2, 1, 0))
add("flip", [v], {"axes": [0, 2]}, numpy=lambda a: np.flip(a, axis=(0, 2)), torch_fn=lambda a: torch.flip(a, (0, 2)))

# ---- views, conversions and the rest ---------------------------------------------------------------------

v = rng.uniform(-1, 1, [2, 3, 4])
for dt in ["float32", "int32", "bool"]:
    w = sample([2, 3, 4], dt)
    add("reshape", [w], {"shape": [4, -1]}, numpy=lambda a: a.reshape(4, -1), grad=False)
    add("flatten", [w], numpy=lambda a: a.reshape(-1), grad=False)
    add("permute", [w], {"order": [1, 2, 0]}, numpy=lambda a: np.transpose(a, (1, 2, 0)), grad=False)
add("reshape", [v], {"shape": [3, 8]}, numpy=lambda a: a.reshape(3, 8), torch_fn=lambda a: a.reshape(3, 8))
add("permute", [v], {"order": [2, 0, 1]}, numpy=lambda a: np.transpose(a, (2, 0, 1)),
    torch_fn=lambda a: a.permute(2, 0, 1))
u = rng.uniform(-1, 1, [2, 1, 3])
add("squeeze", [u], {"axis": 1}, numpy=lambda a: np.squeeze(a, 1), torch_fn=lambda a: a.squeeze(1))
add("squeeze", [u], numpy=np.squeeze, torch_fn=torch.squeeze)
add("unsqueeze", [v], {"axis": -1}, numpy=lambda a: np.expand_dims(a, -1), torch_fn=lambda a: a.unsqueeze(-1))
add("broadcast", [rng.uniform(-1, 1, [3, 1])], {"shape": [2, 3, 4]}, numpy=lambda a: np.broadcast_to(a, (2, 3, 4)),
    torch_fn=lambda a: a.expand(2, 3, 4))
# Subscripts: an integer is an index, [start, end, step] a slice (Python's clamping of out-of-range ends).
for spec in ([1, [0, 3, 2]], [[-1, -4, -1], 1], [[3, -5, -1], [1, 100, 1]], [[0, 0, 1]], [-1, [0, -1, 1], 3]):
    key = tuple(i if isinstance(i, int) else slice(*i) for i in spec)
    for dt in ["float64", "int32"]:
        src = sample([4, 3, 5], dt)
        add("subscript", [src], {"indices": spec}, numpy=(lambda k: (lambda a: a[k]))(key),
            torch_fn=(lambda k: (lambda a: a[k]))(key) if dt == "float64" and all(
                isinstance(i, int) or i.step > 0 for i in key) else None)
for part in range(3):
    add("split", [rng.uniform(-1, 1, [6, 2])], {"sizes": [1, 3, 2], "part": part},
        numpy=(lambda p: (lambda a: np.split(a, [1, 4])[p]))(part),
        torch_fn=(lambda p: (lambda a: torch.split(a, [1, 3, 2])[p]))(part))
for dt in ["float32", "float64", "int32"]:
    p, q = sample([5], dt, specials=False), sample([4], dt, specials=False)
    add("dot", [p, sample([5], dt, specials=False)], numpy=np.dot, grad=False)
    add("outer", [p, q], numpy=np.outer, grad=False)
p, q = rng.uniform(-1, 1, [5]), rng.uniform(-1, 1, [4])
add("dot", [p, rng.uniform(-1, 1, [5])], numpy=np.dot, torch_fn=torch.dot)
add("outer", [p, q], numpy=np.outer, torch_fn=torch.outer)
for pct in ([25.0, 50.0, 99.0], [0.0, 100.0]):
    add("percentile", [sample([3, 7], "float64")], {"q": pct, "axis": 1},
        numpy=(lambda t: (lambda a: np.percentile(a, t, axis=1)))(pct), grad=False)
rows = rng.uniform(-1, 1, [7, 3])
ids = np.array([2, 0, 2, 1, 0, 2, 2])


def segment_sum(a, i, count=4):
    out = np.zeros((count,) + a.shape[1:], dtype=a.dtype)
    np.add.at(out, i, a)
    return out


add("segmentSum", [rows, ids], {"count": 4}, numpy=segment_sum,
    torch_fn=lambda a, i: torch.zeros(4, 3, dtype=a.dtype).index_add(0, i, a), layouts=("contiguous", "transposed"))
add("segmentSum", [sample([7, 3], "int32", specials=False), ids], {"count": 4}, numpy=segment_sum, grad=False,
    dtype_rule=lambda d, e: "int64")
centers = rng.uniform(-1, 1, [4, 3])
centers[3] = centers[1]  # a tie: the lower index wins
add("nearestRow", [rng.uniform(-1, 1, [9, 3]), centers],
    numpy=lambda a, c: np.argmin(((a[:, None, :] - c[None, :, :]) ** 2).sum(-1), axis=1), grad=False,
    dtype_rule=lambda d, e: "int64", layouts=("contiguous", "transposed"))
# Conversions: floats to integers truncate toward zero, integers wrap, anything nonzero (NaN too) is true.
conversions = [("float64", "int32", rng.uniform(-300, 300, [3, 4])), ("float32", "uint8", rng.uniform(0, 255, [3, 4])),
               ("int32", "uint8", rng.integers(-300, 300, [3, 4])), ("int64", "float16", rng.integers(-3000, 3000, [3, 4])),
               ("float64", "bool", sample([3, 4], "float64")), ("bool", "float32", sample([3, 4], "bool")),
               ("float64", "float16", rng.uniform(-7e4, 7e4, [3, 4])), ("float32", "int64", sample([3, 4], "float32", specials=False))]
for src, dst, values in conversions:
    add("astype", [np.asarray(values).astype(src)], {"dtype": dst}, numpy=(lambda t: (lambda a: a.astype(t)))(dst),
        grad=False)
add("astype", [rng.uniform(-2, 2, [3, 4])], {"dtype": "float32"}, numpy=lambda a: a.astype(np.float32),
    torch_fn=lambda a: a.to(torch.float32))

# ---- matmul ---------------------------------------------------------------------------------------------

for sa, sb in [([3, 4], [4, 5]), ([2, 3, 4], [4]), ([4], [2, 4, 3]), ([2, 1, 3, 4], [5, 4, 2])]:
    for dt in ["float32", "float64", "int32", "int64"]:
        a, b = sample(sa, dt, specials=False), sample(sb, dt, specials=False)
        add("matmul", [a, b], numpy=np.matmul, torch_fn=torch.matmul if dt.startswith("float") else None, grad=False,
            layouts=("contiguous", "transposed"))
    add("matmul", [rng.uniform(-1, 1, sa), rng.uniform(-1, 1, sb)], numpy=np.matmul, torch_fn=torch.matmul)
for sa, sb in [([0, 3], [3, 2]), ([2, 0], [0, 3])]:  # an empty product, and a sum of nothing (zeros)
    add("matmul", [np.zeros(sa), rng.uniform(-1, 1, sb)], numpy=np.matmul, grad=False, layouts=("contiguous",))
big = np.array([[2 ** 31 + 1, 3]], dtype=np.int64)
add("matmul", [big, big.T.copy()], numpy=np.matmul, grad=False, layouts=("contiguous",))
add("matmul", [rng.integers(0, 2, [3, 4]).astype(bool), rng.integers(0, 2, [4, 2]).astype(bool)], numpy=np.matmul,
    grad=False)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance.json")
with open(path, "w") as f:
    json.dump({"numpy": np.__version__, "torch": torch.__version__, "cases": CASES}, f, separators=(",", ":"),
              allow_nan=False)
    f.write("\n")
print(f"wrote {len(CASES)} cases to {path} ({os.path.getsize(path) // 1024} KB)")
