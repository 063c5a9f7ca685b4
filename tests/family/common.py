"""Shared helpers for the normalization-family reference tests (run by ctest).

Every script takes the probe's path as argv[1]. A missing reference package is a failure,
never a skip: the import error is printed and the script exits 1.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

PROBE = sys.argv[1] if len(sys.argv) > 1 else None


def need(module_name, package):
    """Imports a reference module, failing the test with the Debian package to install."""
    try:
        return __import__(module_name)
    except ImportError as e:
        print(f"reference missing: {module_name} ({e}); install {package} "
              "(bash .ci/install-deps)", file=sys.stderr)
        sys.exit(1)


class Checks:
    """The formats scripts' runner and tally: run(*args) runs lrn-img (a failed run stops the
    script unless ok=False), check() prints one line per check and counts the failures."""

    def __init__(self, binary):
        self.binary = binary
        self.failed = 0

    def run(self, *args, ok=True):
        r = subprocess.run([self.binary, *args], capture_output=True, text=True)
        if ok and r.returncode != 0:
            raise SystemExit(f"lrn-img {' '.join(args)} failed: {r.stderr}")
        return r

    def check(self, name, good, detail=""):
        print(f"{'ok  ' if good else 'FAIL'} {name} {detail}")
        if not good:
            self.failed += 1


# With LRN_FAMILY_CLI set (to lrn-img's path), probe() runs the method end to end through the
# command line instead (`lrn-img in.npy out.npy --method M ...`), so the same references
# check --method, its options and the pipeline's streaming run.
CLI = os.environ.get("LRN_FAMILY_CLI")


def cli_args(method, keys, d):
    """The lrn-img options for the probe's keys (the parameter structs' field names)."""
    args = ["--method", method]
    if method == "zca":
        mean = np.array([float(v) for v in keys["mean"].split(",")])
        P = np.array([float(v) for v in keys["P"].split(",")]).reshape(len(mean), len(mean))
        path = os.path.join(d, "zca.npz")
        np.savez(path, mean=mean, P=P)
        return args + ["--zca-file", path]
    for k, v in keys.items():
        if k in ("per_channel", "use_std"):
            on = str(v) in ("1", "True", "true")
            if k == "per_channel":
                args.append("--per-channel" if on else "--joint")
            elif on:
                args.append("--use-std")
        else:
            args.append(f"--{k.replace('_', '-')}={v}")
    return args


def probe(method, x, **keys):
    """Runs lrn_family_probe METHOD on x (H, W, C) float32; returns its float32 output."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.npy"), os.path.join(d, "out.npy")
        np.save(src, x)
        if CLI:
            args = [CLI, src, dst] + cli_args(method, keys, d)
        else:
            args = [PROBE, method, src, dst] + [f"{k}={v}" for k, v in keys.items()]
        subprocess.run(args, check=True)
        return np.load(dst)


class Checker:
    """Collects comparisons; prints each case's max error; exit status 1 if any failed."""

    def __init__(self, name):
        self.name, self.failures, self.worst, self.cases = name, 0, 0.0, 0

    def close(self, got, want, rtol, floor, what):
        got = np.asarray(got, dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        self.cases += 1
        if got.shape != want.shape:
            print(f"FAIL {what}: shape {got.shape} != {want.shape}")
            self.failures += 1
            return
        err = float(np.max(np.abs(got - want) / np.maximum(np.abs(want), floor))) if got.size else 0.0
        self.worst = max(self.worst, err)
        ok = err <= rtol and np.all(np.isfinite(got))
        if not ok:
            self.failures += 1
        print(f"{'ok  ' if ok else 'FAIL'} {what}: max rel err {err:.3g}")

    def done(self):
        print(f"{self.name}: {self.cases} cases, {self.failures} failed, worst {self.worst:.3g}")
        sys.exit(1 if self.failures or not self.cases else 0)
