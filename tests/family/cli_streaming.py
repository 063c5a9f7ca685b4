"""lrn-img --method end to end against the probe's whole-image run (pipeline/driver.h
run_image, which the ref_*.py scripts hold to the references): the streaming pipeline must
give the same floats bit for bit for every method, with -t 1 and -t 2, on images small enough
that the window is larger than the image (1x1, 1xN, Nx1), on images large enough for threads
and for many row blocks, in planar layouts (chw, nchw) and in N-image batches (statistics per
image). Images in (8-bit PNG, grey, RGBA with alpha passed through) and out (PNG quantised,
--rescale, JPEG) too.

argv: PROBE LRN_IMG
"""
import io
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from common import Checker, need

need("PIL", "python3-pil")
from PIL import Image  # noqa: E402

PROBE, CLI = sys.argv[1], sys.argv[2]
check = Checker("lrn-img --method vs the whole-image run")
rng = np.random.default_rng(31)
TMP = tempfile.mkdtemp()

# (method, probe keys, lrn-img options): the same definition both ways.
METHODS = [
    ("spatial-lrn", {}, []),
    ("spatial-lrn", {"convention": "onednn", "size": 7, "alpha": 0.01, "bias": 2},
     ["--convention", "onednn", "--size", "7", "--alpha", "0.01", "--bias", "2"]),
    ("spatial-lrn", {"convention": "matconvnet", "size": 3, "alpha": 0.5, "beta": 0.6},
     ["--convention", "matconvnet", "--size", "3", "--alpha", "0.5", "--beta", "0.6"]),
    ("lcn", {}, []),
    ("lcn", {"convention": "torch7", "kernel": "gaussian", "size": 5, "per_channel": 1},
     ["--kernel", "gaussian", "--size", "5", "--per-channel"]),
    ("lcn", {"convention": "jarrett"}, ["--convention", "jarrett"]),
    ("lcn", {"convention": "pylearn2"}, ["--convention", "pylearn2"]),
    ("lcn", {"convention": "pinto"}, ["--convention", "pinto"]),
    ("lms", {}, []),
    ("lms", {"convention": "zero-pad", "kernel": "gaussian", "size": 5, "per_channel": 0},
     ["--convention", "zero-pad", "--kernel", "gaussian", "--size", "5", "--joint"]),
    ("gcn", {}, []),
    ("gcn", {"convention": "tf"}, ["--convention", "tf"]),
    ("gcn", {"convention": "caffe-mvn"}, ["--convention", "caffe-mvn"]),
    ("gcn", {"preset": "coates"}, ["--preset", "coates"]),
    ("zca", {}, []),
]


def zca_for(c):
    mean = np.linspace(90, 130, c)
    P = np.eye(c) * 0.02 + 0.001 * np.arange(c * c).reshape(c, c)
    path = os.path.join(TMP, f"zca{c}.npz")
    np.savez_compressed(path, mean=mean, P=P)
    keys = {"mean": ",".join(repr(float(v)) for v in mean), "P": ",".join(repr(float(v)) for v in P.ravel())}
    return keys, ["--zca-file", path]


def run(args, expect=0):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != expect:
        print(f"FAIL {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
        check.failures += 1
    return r


def whole(method, keys, x):
    """The probe on x (H, W, C) float32: the whole-image run."""
    src, dst = os.path.join(TMP, "p_in.npy"), os.path.join(TMP, "p_out.npy")
    np.save(src, np.ascontiguousarray(x, dtype=np.float32))
    run([PROBE, method, src, dst] + [f"{k}={v}" for k, v in keys.items()])
    return np.load(dst)


def cli(x, opts, name="c_in.npy", out="c_out.npy"):
    src, dst = os.path.join(TMP, name), os.path.join(TMP, out)
    np.save(src, x)
    r = run([CLI, src, dst] + opts)
    return np.load(dst) if r.returncode == 0 else None


def same(got, want, what):
    check.cases += 1
    ok = got is not None and got.shape == want.shape and np.array_equal(got, want)
    if not ok:
        check.failures += 1
        err = "shape" if got is None or got.shape != want.shape else float(np.max(np.abs(got - want)))
        print(f"FAIL {what}: not bit-identical ({err})")


def definition(method, keys, opts, c):
    if method == "zca":
        k, o = zca_for(c)
        return k, o
    return keys, opts


# Bit-identical, -t 1 and -t 2, shapes from 1x1 to more than a megapixel (threads, many blocks).
for shape in ((1, 1, 3), (1, 17, 3), (17, 1, 3), (5, 4, 3), (37, 29, 1), (301, 7, 2), (1030, 1020, 3)):
    x = (rng.random(shape) * 255).astype(np.float32)
    for method, keys, opts in METHODS:
        if shape[2] == 1 and method == "zca":
            continue
        k, o = definition(method, keys, opts, shape[2])
        want = whole(method, k, x)
        for t in ("1", "2"):
            same(cli(x, ["--method", method, "-t", t] + o), want, f"{method} {o} {shape} -t {t}")

# Planar layouts and batches: chw as the same image transposed; nhwc / nchw image by image,
# each with its own statistics.
x = (rng.random((3, 11, 13)) * 255).astype(np.float32)  # C, H, W
for method, keys, opts in METHODS:
    k, o = definition(method, keys, opts, 3)
    want = whole(method, k, x.transpose(1, 2, 0)).transpose(2, 0, 1)
    same(cli(x, ["--method", method, "--layout", "chw"] + o), want, f"{method} {o} chw")
batch = (rng.random((3, 9, 10, 3)) * 255).astype(np.float32)
batch[1] = batch[1] * 0.1 + 40  # a different contrast: per-image statistics differ
for method, keys, opts in METHODS:
    k, o = definition(method, keys, opts, 3)
    want = np.stack([whole(method, k, im) for im in batch])
    same(cli(batch, ["--method", method] + o), want, f"{method} {o} nhwc batch")
    got = cli(np.ascontiguousarray(batch.transpose(0, 3, 1, 2)), ["--method", method, "--layout", "nchw"] + o)
    same(got, want.transpose(0, 3, 1, 2), f"{method} {o} nchw batch")

# --stats / --json of a batch: per image, matching the whole-image run's output.
src = os.path.join(TMP, "b.npy")
np.save(src, batch)
r = run([CLI, src, os.path.join(TMP, "b_out.npy"), "--method", "gcn", "--json"])
rec = json.loads(r.stdout)
want = np.stack([whole("gcn", {}, im) for im in batch])
check.close(np.array([s["output"]["mean"] for s in rec["stats"]]),
            want.astype(np.float64).mean(axis=(1, 2)), 1e-6, 1e-9, "gcn --json per-image means")

# Images in: 8-bit RGB and grey PNG (exact decode), RGBA with alpha passed through.
def png(arr, name):
    path = os.path.join(TMP, name)
    Image.fromarray(arr).save(path)
    return path


rgb = rng.integers(0, 256, size=(23, 31, 3), dtype=np.uint8)
grey = rng.integers(0, 256, size=(23, 31), dtype=np.uint8)
rgba = rng.integers(0, 256, size=(23, 31, 4), dtype=np.uint8)
for method, keys, opts in METHODS:
    for arr, name in ((rgb, "rgb.png"), (grey, "grey.png"), (rgba, "rgba.png")):
        c = 1 if arr.ndim == 2 else 3
        if c == 1 and method == "zca":
            continue
        k, o = definition(method, keys, opts, c)
        colour = arr.reshape(arr.shape[0], arr.shape[1], -1)[:, :, :c].astype(np.float32)
        want = whole(method, k, colour)
        path = png(arr, name)
        out = os.path.join(TMP, "img_out.npy")
        run([CLI, path, out, "--method", method] + o)
        got = np.load(out)
        if arr.ndim == 2:
            got = got.reshape(want.shape)
        same(got[:, :, :c], want, f"{method} {o} {name} -> npy")
        if name == "rgba.png":
            same(got[:, :, 3], arr[:, :, 3].astype(np.float32), f"{method} {name}: alpha passed through")
        # PNG out: clamped and rounded to nearest (within 1 of NumPy's half-even rint);
        # --rescale: min..max to 0..255.
        outp = os.path.join(TMP, "img_out.png")
        run([CLI, path, outp, "--method", method] + o)
        q = np.asarray(Image.open(outp)).reshape(arr.shape)[..., :c] if arr.ndim == 3 else np.asarray(Image.open(outp))
        ref = np.clip(np.rint(want.reshape(q.shape).astype(np.float64)), 0, 255)
        check.cases += 1
        if np.max(np.abs(q.astype(np.float64) - ref)) > 1:
            check.failures += 1
            print(f"FAIL {method} {o} {name} -> png: off by more than 1")
        run([CLI, path, outp, "--method", method, "--rescale"] + o)
        q = np.asarray(Image.open(outp)).astype(np.float64)
        q = q.reshape(arr.shape)[..., :c] if arr.ndim == 3 else q
        w64 = want.reshape(q.shape).astype(np.float64)
        lo, hi = w64.min(), w64.max()
        ref = np.rint((w64 - lo) * 255 / (hi - lo)) if hi > lo else np.zeros_like(w64)
        check.cases += 1
        if np.max(np.abs(q - ref)) > 1:
            check.failures += 1
            print(f"FAIL {method} {o} {name} -> png --rescale: off by more than 1")

# JPEG in and out, every method: a valid JPEG of the same size.
jpg = os.path.join(TMP, "in.jpg")
Image.fromarray(rng.integers(0, 256, size=(40, 50, 3), dtype=np.uint8)).save(jpg, quality=95)
for method, keys, opts in METHODS:
    k, o = definition(method, keys, opts, 3)
    for extra in ([], ["--rescale"]):
        out = os.path.join(TMP, "out.jpg")
        run([CLI, jpg, out, "--method", method] + o + extra)
        check.cases += 1
        im = Image.open(out)
        if im.format != "JPEG" or im.size != (50, 40):
            check.failures += 1
            print(f"FAIL {method} {o} {extra}: JPEG out {im.format} {im.size}")
check.done()
