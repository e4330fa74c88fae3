extension Peers {
    /// The Python both peers start with: imports, the timing loop (warm-up, at least `min_samples` and
    /// about `target` seconds, `sync()` before every clock read), quantiles, one result row in the JSON
    /// schema, and the command-line arguments. It begins with a line break, to follow a peer's header comment.
    static let peerHarness = #"""

import argparse, json, sys, time


def timing(fn, sync, repeats, target, min_samples, max_samples, warmup):
    once = 0.0
    for _ in range(max(warmup, 1)):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        once = time.perf_counter() - start
    count = repeats or min(max_samples, max(min_samples, int(target / once) if once > 0 else max_samples))
    samples = []
    for _ in range(count):
        sync()  # the device is idle before every clock read
        t0 = time.perf_counter()
        fn()
        sync()
        samples.append(time.perf_counter() - t0)
    return samples


def quantile(samples, q):
    s = sorted(samples)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def row(workload, params, device, samples, error, tolerance, implementation="torch", variant=None,
        nbytes=None, flops=None):
    median = quantile(samples, 0.5)
    r = {"workload": workload, "implementation": implementation, "device": device, "params": params,
         "median_ms": median * 1e3, "min_ms": min(samples) * 1e3, "max_ms": max(samples) * 1e3,
         "iqr_ms": (quantile(samples, 0.75) - quantile(samples, 0.25)) * 1e3, "samples": len(samples),
         "max_rel_error": error, "check": "ok" if error <= tolerance else "failed"}
    if variant:
        r["variant"] = variant
    if nbytes:
        r["gbps"] = nbytes / median / 1e9
    if flops:
        r["gflops"] = flops / median / 1e9
    return r


def arguments(workloads):
    p = argparse.ArgumentParser()
    p.add_argument("workload", choices=workloads)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--d", type=int, default=0)
    p.add_argument("--repeats", type=int, default=0)
    p.add_argument("--target", type=float, default=1.0)
    p.add_argument("--min-samples", type=int, default=5)
    p.add_argument("--max-samples", type=int, default=200)
    p.add_argument("--warmup", type=int, default=1)
    return p.parse_args()

"""#
}
