"""--zca-file on hostile and odd .npz files: every one is refused with exit 1 and one line
"lrn-img: error: cannot read the ZCA whitening '<path>': <why>", no output file left; the
forms np.savez / np.savez_compressed write (float32 / float64, C / Fortran order) are read
and give (x - mean) P.

argv: PROBE LRN_IMG (the probe is unused; ctest passes it to every family script)
"""
import io
import os
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import numpy as np

from common import Checker

CLI = sys.argv[2]
check = Checker("--zca-file")
TMP = tempfile.mkdtemp()
rng = np.random.default_rng(5)
x = (rng.random((6, 7, 3)) * 255).astype(np.float32)
SRC = os.path.join(TMP, "x.npy")
np.save(SRC, x)
mean = np.array([100.0, 120.0, 90.0])
P = rng.normal(size=(3, 3))
want = (x.astype(np.float64).reshape(-1, 3) - mean).dot(P).reshape(x.shape)


def run(path):
    out = os.path.join(TMP, "out.npy")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([CLI, SRC, out, "--method", "zca", "--zca-file", path], capture_output=True, text=True)
    return r, out


def good(path, what, m=mean, p=P):
    r, out = run(path)
    check.cases += 1
    if r.returncode != 0:
        check.failures += 1
        print(f"FAIL {what}: exit {r.returncode}: {r.stderr.strip()}")
        return
    check.cases -= 1
    ref = (x.astype(np.float64).reshape(-1, 3) - m).dot(p).reshape(x.shape)
    check.close(np.load(out), ref, 1e-6, 1e-3, what)


def bad(path, why, what):
    r, out = run(path)
    check.cases += 1
    head = f"lrn-img: error: cannot read the ZCA whitening '{path}': "
    ok = (r.returncode == 1 and r.stderr.startswith(head) and why in r.stderr
          and r.stderr.count("\n") == 1 and not os.path.exists(out))
    if not ok:
        check.failures += 1
        print(f"FAIL {what}: exit {r.returncode}, stderr {r.stderr.strip()!r}")
    else:
        print(f"ok   {what}: {r.stderr.strip()}")


def npz(name, **arrays):
    path = os.path.join(TMP, name)
    np.savez(path, **arrays)
    return path


def raw(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def npy_bytes(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()


# What NumPy writes is read.
good(npz("plain.npz", mean=mean, P=P), "np.savez float64")
path = os.path.join(TMP, "comp.npz")
np.savez_compressed(path, mean=mean.astype(np.float32), P=np.asfortranarray(P.astype(np.float32)))
good(path, "np.savez_compressed float32, P in Fortran order",
     mean.astype(np.float32).astype(np.float64), P.astype(np.float32).astype(np.float64))
good(npz("extra.npz", mean=mean, P=P, note=np.arange(3)), "an extra array is ignored")

# Hostile files.
bad(raw("empty.npz", b""), "not a .npz file", "empty file")
bad(raw("text.npz", b"mean,P\n" * 10), "not a .npz file", "text")
bad(raw("npy.npz", npy_bytes(mean)), "not a .npz file", "a .npy, not a .npz")
whole = open(npz("t.npz", mean=mean, P=P), "rb").read()
bad(raw("trunc.npz", whole[: len(whole) // 2]), "", "truncated to half")
bad(raw("tail.npz", whole[:-10]), "", "end cut off")
bad(npz("nomean.npz", P=P), "no array 'mean'", "no mean")
bad(npz("noP.npz", mean=mean), "no array 'P'", "no P")
bad(npz("shape.npz", mean=mean, P=np.eye(4)), "'P' must have shape (3, 3)", "P 4x4 for a mean of 3")
bad(npz("rank.npz", mean=mean.reshape(3, 1), P=P), "'mean' must have shape (C,)", "mean 2-D")
bad(npz("int.npz", mean=np.array([1, 2, 3]), P=np.eye(3, dtype=np.int64)), "float32 or float64", "integers")
bad(npz("big.npz", mean=mean.astype(">f8"), P=P), "float32 or float64 (little-endian)", "big-endian")
bad(npz("nan.npz", mean=np.array([1.0, np.nan, 3.0]), P=P), "not finite", "NaN in the mean")
bad(npz("inf.npz", mean=mean, P=np.full((3, 3), np.inf)), "not finite", "inf in P")
r_, _ = run(npz("c4.npz", mean=np.zeros(4), P=np.eye(4)))
check.cases += 1
if not (r_.returncode == 1 and "cannot apply zca to" in r_.stderr and "3 colour channel(s)" in r_.stderr):
    check.failures += 1
    print(f"FAIL 4-channel whitening on a 3-channel image: {r_.stderr.strip()!r}")

# A corrupted byte inside a stored member: the CRC-32 catches it.
z = bytearray(whole)
at = z.find(b"\x93NUMPY", z.find(b"P.npy")) + 140  # inside P's 72 data bytes
z[at] ^= 0xFF
bad(raw("crc.npz", bytes(z)), "CRC-32", "a flipped data byte")

# A member whose data lies about its size: hand-made zips.
def zip_with(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as zf:
        for name, data, method in members:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return b.getvalue()


bad(raw("bz2.npz", zip_with([("mean.npy", npy_bytes(mean), zipfile.ZIP_BZIP2),
                             ("P.npy", npy_bytes(P), zipfile.ZIP_STORED)])), "compression method 12", "bzip2")
short = npy_bytes(P)[:-8]
bad(raw("short.npz", zip_with([("mean.npy", npy_bytes(mean), zipfile.ZIP_STORED),
                               ("P.npy", short, zipfile.ZIP_STORED)])), "data bytes", "P's data short of its shape")
hdr = npy_bytes(mean)
evil = hdr.replace(b"(3,)", b"(99999999999,)")
bad(raw("evilshape.npz", zip_with([("mean.npy", evil[: len(hdr)], zipfile.ZIP_STORED),
                                   ("P.npy", npy_bytes(P), zipfile.ZIP_STORED)])), "", "a huge declared shape")
# A deflated member that claims a larger size than it inflates to.
good_zip = bytearray(open(path, "rb").read())  # compressed, from above
eocd = good_zip.rfind(b"PK\x05\x06")
cd = struct.unpack("<I", good_zip[eocd + 16: eocd + 20])[0]
usize_at = cd + 24
struct.pack_into("<I", good_zip, usize_at, struct.unpack("<I", good_zip[usize_at: usize_at + 4])[0] + 1000)
bad(raw("inflate.npz", bytes(good_zip)), "", "deflated member shorter than stated")
check.done()
