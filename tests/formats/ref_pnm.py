"""PNM (binary PGM/PPM) against independent codecs, run by ctest with lrn-img's path as argv[1].

With --alpha 0 --bias 1, LRN is the identity (y = x / 1^beta), so lrn-img becomes a format
converter and its PNM reader and writer can be checked pixel for pixel against PIL (8-bit)
and OpenCV (16-bit, which PIL cannot hold for RGB). A missing reference fails, never skips.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "family"))
from common import need  # noqa: E402

np = need("numpy", "python3-numpy")
need("PIL.Image", "python3-pil")
from PIL import Image  # noqa: E402
cv2 = need("cv2", "python3-opencv")

LRN = sys.argv[1]
IDENTITY = ["--alpha", "0", "--bias", "1"]
failed = 0


def run(*args):
    r = subprocess.run([LRN, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"lrn-img {' '.join(args)} failed: {r.stderr}")
    return r


def check(name, got, want):
    global failed
    ok = got.shape == want.shape and got.dtype == want.dtype and np.array_equal(got, want)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: shape {got.shape} {got.dtype}")
    if not ok:
        failed += 1


rng = np.random.default_rng(15)
with tempfile.TemporaryDirectory() as d:
    p = lambda n: os.path.join(d, n)  # noqa: E731
    for shape, mode, ext in [((17, 23), "L", "pgm"), ((17, 23, 3), "RGB", "ppm")]:
        px = rng.integers(0, 256, shape, dtype=np.uint8)
        # PIL writes the PNM, lrn-img reads it and writes PNG, PIL reads that.
        Image.fromarray(px, mode).save(p("pil." + ext))
        run(p("pil." + ext), p("from_pnm.png"), *IDENTITY)
        check(f"8-bit {ext} read (PIL wrote it)", np.asarray(Image.open(p("from_pnm.png"))), px)
        # The other way: lrn-img writes the PNM, PIL reads it.
        Image.fromarray(px, mode).save(p("pil.png"))
        run(p("pil.png"), p("ours." + ext), *IDENTITY)
        check(f"8-bit {ext} written (PIL reads it)", np.asarray(Image.open(p("ours." + ext))), px)
        # LRN itself sees the same values from PNM and PNG.
        run(p("pil." + ext), p("a.npy"))
        run(p("pil.png"), p("b.npy"))
        check(f"LRN of {ext} == LRN of PNG", np.load(p("a.npy")), np.load(p("b.npy")))

    for shape, ext in [((9, 31), "pgm"), ((9, 31, 3), "ppm")]:
        px = rng.integers(0, 65536, shape, dtype=np.uint16)
        cv2.imwrite(p("cv." + ext), px)
        run(p("cv." + ext), p("from_pnm16.png"), *IDENTITY)
        check(f"16-bit {ext} read (OpenCV wrote it)",
              cv2.imread(p("from_pnm16.png"), cv2.IMREAD_UNCHANGED), px)
        cv2.imwrite(p("cv16.png"), px)
        run(p("cv16.png"), p("ours16." + ext), *IDENTITY)
        check(f"16-bit {ext} written (OpenCV reads it)",
              cv2.imread(p("ours16." + ext), cv2.IMREAD_UNCHANGED), px)
        # The v/257 contract of 16-bit PNG holds for 16-bit PNM: the same samples give LRN
        # the same values from either file.
        run(p("cv." + ext), p("a16.npy"))
        run(p("cv16.png"), p("b16.npy"))
        check(f"LRN of 16-bit {ext} == LRN of 16-bit PNG", np.load(p("a16.npy")), np.load(p("b16.npy")))

print(f"{failed} failed" if failed else "all PNM cross-checks passed")
sys.exit(1 if failed else 0)
