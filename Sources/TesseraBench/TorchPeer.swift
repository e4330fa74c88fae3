extension Peers {
    /// The Python source of the PyTorch peer (`tessera bench --compare torch --show-peer-code`).
    ///
    /// It prints one JSON object like the NumPy peer: rows for `torch` on `cpu`, `torch` on `cuda` and
    /// `torch.compile` on `cuda` (the distance only), or rows saying why a device was skipped.
    public static let torchPeerScript = #"""
# Tessera's PyTorch peer: runs one benchmark workload in PyTorch eager on the CPU and, when
# torch.cuda.is_available(), on CUDA (plus torch.compile for the distance), timed like Tessera's
# harness, and prints one JSON object on stdout. Printed by `tessera bench --compare torch --show-peer-code`.
"""# + peerHarness + #"""


def skipped(workload, params, device, reason, implementation="torch", variant=None):
    r = {"workload": workload, "implementation": implementation, "device": device, "params": params,
         "skipped": reason}
    if variant:
        r["variant"] = variant
    return r


def rel(torch, got, expected):
    got = got.detach().to("cpu", torch.float64).reshape(-1)
    expected = expected.detach().to("cpu", torch.float64).reshape(-1)
    tiny = torch.finfo(torch.float64).tiny
    return float(((got - expected).abs() / expected.abs().clamp_min(tiny)).max())


def library(torch):
    text = "torch %s" % torch.__version__
    if torch.cuda.is_available():
        text += " (CUDA %s, %s)" % (torch.version.cuda, torch.cuda.get_device_name(0))
    return text


def run(torch, a, device, sync, results):
    t = lambda fn: timing(fn, sync, a.repeats, a.target, a.min_samples, a.max_samples, a.warmup)
    g = torch.Generator().manual_seed(0)
    pick = torch.Generator().manual_seed(42)
    n, d = a.n, a.d
    cuda = device == "cuda"
    if a.workload == "distance":
        params = {"n": n, "d": d}
        host = torch.rand((n, d), generator=g, dtype=torch.float32)
        r_host = torch.rand((d,), generator=g, dtype=torch.float32)
        X, r = host.to(device), r_host.to(device)
        rows = torch.cat([torch.arange(min(n, 10)), torch.randint(0, n, (300,), generator=pick)])
        ref = ((host[rows].double() - r_host.double()) ** 2).sum(1).sqrt()
        nbytes = (n * d + n + d) * 4
        out = {}

        def seed_formula():
            out["d"] = torch.sqrt(torch.sum((X - r) ** 2, 1))
        s = t(seed_formula)
        results.append(row("distance", params, device, s, rel(torch, out["d"].cpu()[rows], ref), 1e-5,
                           nbytes=nbytes))
        if cuda:
            def with_transfer():
                out["d"] = torch.sqrt(torch.sum((host.to(device) - r) ** 2, 1))
            s = t(with_transfer)
            results.append(row("distance", params, device, s, rel(torch, out["d"].cpu()[rows], ref), 1e-5,
                               variant="h2d", nbytes=nbytes))
            try:
                compiled = torch.compile(lambda x, p: torch.sqrt(torch.sum((x - p) ** 2, 1)))
                compiled(X, r)  # compiles outside the timing
                sync()

                def fused():
                    out["d"] = compiled(X, r)
                s = t(fused)
                results.append(row("distance", params, device, s, rel(torch, out["d"].cpu()[rows], ref), 1e-5,
                                   implementation="torch.compile", nbytes=nbytes))
            except Exception as e:
                results.append(skipped("distance", params, "cuda", "torch.compile failed: %s" % str(e).splitlines()[0],
                                       implementation="torch.compile"))
    elif a.workload == "multiply":
        params = {"n": n}
        A_host = torch.rand((n, n), generator=g, dtype=torch.float32)
        B_host = torch.rand((n, n), generator=g, dtype=torch.float32)
        A, B = A_host.to(device), B_host.to(device)
        C = torch.empty_like(A)
        s = t(lambda: torch.mul(A, B, out=C))
        idx = torch.randint(0, n * n, (1000,), generator=pick)
        err = rel(torch, C.cpu().reshape(-1)[idx], A_host.reshape(-1)[idx].double() * B_host.reshape(-1)[idx].double())
        results.append(row("multiply", params, device, s, err, 1e-6, nbytes=3 * n * n * 4))
    elif a.workload == "matmul":
        params = {"n": n}
        if cuda:
            torch.backends.cuda.matmul.allow_tf32 = False  # fp32, as Tessera's default
        A_host = torch.rand((n, n), generator=g, dtype=torch.float32)
        B_host = torch.rand((n, n), generator=g, dtype=torch.float32)
        A, B = A_host.to(device), B_host.to(device)
        i = torch.cat([torch.tensor([0]), torch.randint(0, n, (31,), generator=pick)])
        j = torch.cat([torch.tensor([0]), torch.randint(0, n, (31,), generator=pick)])
        ref = (A_host[i].double() * B_host[:, j].double().t()).sum(1)
        out = {}

        def product():
            out["c"] = A @ B
        s = t(product)
        results.append(row("matmul", params, device, s, rel(torch, out["c"].cpu()[i, j], ref), 1e-4,
                           flops=2.0 * n ** 3))
        if cuda:
            def with_transfers():
                out["c"] = (A_host.to(device) @ B_host.to(device)).cpu()
            s = t(with_transfers)
            results.append(row("matmul", params, device, s, rel(torch, out["c"][i, j], ref), 1e-4,
                               variant="h2d+d2h", flops=2.0 * n ** 3))
    elif a.workload == "bandwidth":
        params = {"n": n, "d": d}
        host = torch.rand((n, d), generator=g, dtype=torch.float32)
        X = host.to(device)
        out = {}

        def total():
            out["s"] = X.sum()
        s = t(total)
        results.append(row("bandwidth", params, device, s, rel(torch, out["s"], host.double().sum()), 1e-5,
                           variant="sum", nbytes=n * d * 4))
        Y = torch.empty_like(X)
        s = t(lambda: Y.copy_(X))
        idx = torch.randint(0, n * d, (1000,), generator=pick)
        results.append(row("bandwidth", params, device, s, rel(torch, Y.cpu().reshape(-1)[idx], host.reshape(-1)[idx]),
                           0, variant="copy", nbytes=n * d * 8))
    else:  # transfer: n float32 values host -> device and back, pageable and pinned
        params = {"n": n}
        if not cuda:
            return
        pageable = torch.rand((n,), generator=g, dtype=torch.float32)
        pinned = pageable.pin_memory()
        on_device = pageable.to(device)
        back_pageable = torch.empty_like(pageable)
        back_pinned = torch.empty_like(pageable).pin_memory()
        idx = torch.randint(0, n, (1000,), generator=pick)
        for variant, fn, check in [
            ("h2d pageable", lambda: on_device.copy_(pageable), lambda: on_device.cpu()),
            ("h2d pinned", lambda: on_device.copy_(pinned, non_blocking=True), lambda: on_device.cpu()),
            ("d2h pageable", lambda: back_pageable.copy_(on_device), lambda: back_pageable),
            ("d2h pinned", lambda: back_pinned.copy_(on_device, non_blocking=True), lambda: back_pinned),
        ]:
            s = t(fn)
            results.append(row("transfer", params, device, s, rel(torch, check()[idx], pageable[idx]), 0,
                               variant=variant, nbytes=n * 4))


def main():
    a = arguments(["distance", "multiply", "matmul", "bandwidth", "transfer"])
    try:
        import torch
    except ModuleNotFoundError as e:
        print(json.dumps({"skipped": "torch not installed: %s; pip install torch" % e}))
        return
    except Exception as e:
        print(json.dumps({"skipped": "torch cannot be imported: %s" % str(e).splitlines()[0]}))
        return
    params = {"n": a.n, "d": a.d} if a.workload in ("distance", "bandwidth") else {"n": a.n}
    results = []
    if a.workload != "transfer":
        run(torch, a, "cpu", lambda: None, results)
    if torch.cuda.is_available():
        run(torch, a, "cuda", torch.cuda.synchronize, results)
    else:
        why = "torch.cuda.is_available() is False (%s)" % (
            "CPU-only torch build" if torch.version.cuda is None else "no CUDA device visible")
        results.append(skipped(a.workload, params, "cuda", why))
        if a.workload == "distance":
            results.append(skipped("distance", params, "cuda", "torch.compile runs on the GPU only; " + why,
                                   implementation="torch.compile"))
    print(json.dumps({"peer": library(torch), "results": results}))


if __name__ == "__main__":
    main()
"""#
}
