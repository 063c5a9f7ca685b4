"""TIFF against tifffile (an independent reader and writer), run by ctest with lrn-img's path.

With --alpha 0 --bias 1, LRN is the identity (y = x / 1^beta), so lrn-img becomes a converter:
files tifffile wrote (8/16-bit, float32, 1..4 channels, contiguous or planar, strips or tiles,
raw or deflate) must give the values tifffile reads, scaled as lrn-img documents (v * 255 /
full scale for integers, float values as they are); what lrn-img writes must read back in
tifffile bit for bit. A missing reference fails, never skips.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "family"))
from common import Checks, need  # noqa: E402

np = need("numpy", "python3-numpy")
tifffile = need("tifffile", "python3-tifffile")

LRN = sys.argv[1]
IDENTITY = ["--alpha", "0", "--bias", "1"]


checks = Checks(LRN)
run, check = checks.run, checks.check


def as_hwc(a):
    return a if a.ndim == 3 else a[:, :, None]


rng = np.random.default_rng(15)
cases = []
for dtype in (np.uint8, np.uint16, np.float32):
    for channels in (1, 2, 3, 4):
        shape = (29, 41, channels) if channels > 1 else (29, 41)
        if dtype == np.float32:
            px = rng.standard_normal(shape).astype(np.float32) * 3
        else:
            px = rng.integers(0, np.iinfo(dtype).max + 1, shape, dtype=dtype)
        photometric = "rgb" if channels >= 3 else "minisblack"
        extras = ["unassalpha"] if channels in (2, 4) else None
        for layout in ("strips", "tiles", "planar"):
            kw = dict(photometric=photometric, extrasamples=extras)
            if layout == "strips":
                kw.update(rowsperstrip=4, compression="zlib" if channels % 2 else None)
            elif layout == "tiles":
                kw.update(tile=(16, 32), compression="zlib")
            elif channels == 1:
                continue
            else:
                kw.update(planarconfig="separate", rowsperstrip=7)
            cases.append((dtype, channels, layout, px, kw))

with tempfile.TemporaryDirectory() as d:
    p = lambda n: os.path.join(d, n)  # noqa: E731
    for dtype, channels, layout, px, kw in cases:
        name = f"{np.dtype(dtype).name} {channels}ch {layout}"
        data = np.moveaxis(px, -1, 0) if layout == "planar" else px
        tifffile.imwrite(p("in.tif"), data, **kw)
        # Read: the values LRN sees, against tifffile's reading of the same file.
        run(p("in.tif"), p("out.npy"), *IDENTITY)
        got = np.load(p("out.npy")).astype(np.float64)
        want = as_hwc(px).astype(np.float64)
        if dtype != np.float32:
            want = want * 255.0 / np.iinfo(dtype).max
        err = float(np.abs(got - want).max())
        check(f"read {name}", got.shape == want.shape and err <= 1e-4 * max(1.0, float(np.abs(want).max())),
              f"max error {err:.3g}")
        # Write: TIFF out keeps the depth (float stays float), tifffile reads it back exactly.
        run(p("in.tif"), p("out.tif"), *IDENTITY)
        back = tifffile.imread(p("out.tif"))
        page = tifffile.TiffFile(p("out.tif")).pages[0]
        check(f"write {name}", back.dtype == px.dtype and np.array_equal(as_hwc(back), as_hwc(px))
              and page.compression == 8, f"(dtype {back.dtype}, compression {int(page.compression)})")

    # --dtype f32: the exact pre-quantisation values, as .npy has them, from an 8-bit input
    # with real LRN parameters.
    px = rng.integers(0, 256, (23, 31, 3), dtype=np.uint8)
    tifffile.imwrite(p("rgb8.tif"), px, photometric="rgb")
    run(p("rgb8.tif"), p("lrn.npy"))
    run(p("rgb8.tif"), p("lrn_f32.tif"), "--dtype", "f32")
    run(p("rgb8.tif"), p("lrn_u8.tif"))
    exact = np.load(p("lrn.npy"))
    f32 = tifffile.imread(p("lrn_f32.tif"))
    check("--dtype f32 TIFF == .npy values", f32.dtype == np.float32 and np.array_equal(f32, exact))
    u8 = tifffile.imread(p("lrn_u8.tif"))
    want = np.clip(np.floor(exact.astype(np.float64) + 0.5), 0, 255)
    check("8-bit TIFF output == the .npy values rounded", u8.dtype == np.uint8 and
          int(np.abs(u8.astype(np.int64) - want.astype(np.int64)).max()) <= 1)

    # 16-bit TIFF keeps the v/257 contract of 16-bit PNG: the same samples, the same values.
    cv2 = need("cv2", "python3-opencv")
    px16 = rng.integers(0, 65536, (19, 27, 3), dtype=np.uint16)
    tifffile.imwrite(p("rgb16.tif"), px16, photometric="rgb")
    cv2.imwrite(p("rgb16.png"), px16[:, :, ::-1])  # OpenCV writes BGR
    run(p("rgb16.tif"), p("t.npy"))
    run(p("rgb16.png"), p("g.npy"))
    check("LRN of 16-bit TIFF == LRN of 16-bit PNG", np.array_equal(np.load(p("t.npy")), np.load(p("g.npy"))))

    # A multi-page file: the first page, and a warning saying so.
    tifffile.imwrite(p("pages.tif"), np.stack([px, 255 - px]), photometric="rgb")
    r = run(p("pages.tif"), p("page.npy"), *IDENTITY)
    check("multi-page: first page", np.array_equal(np.load(p("page.npy")), px.astype(np.float32)))
    check("multi-page: warned", "more than one page; the first was read" in r.stderr, repr(r.stderr))

    # From a pipe: buffered within the pixel budget, refused beyond it, saying which.
    with open(p("rgb8.tif"), "rb") as f:
        blob = f.read()
    r = subprocess.run([LRN, "-", p("pipe.npy"), *IDENTITY], input=blob, capture_output=True)
    check("pipe: read", r.returncode == 0 and np.array_equal(np.load(p("pipe.npy")), px.astype(np.float32)))
    # float32 RGB is 12 bytes a pixel, over the 8 a pixel of the budget a pipe may fill.
    tifffile.imwrite(p("rgbf.tif"), px.astype(np.float32), photometric="rgb")
    with open(p("rgbf.tif"), "rb") as f:
        blob = f.read()
    r = subprocess.run([LRN, "-", p("pipe2.npy"), "--max-pixels", str(23 * 31)], input=blob,
                       capture_output=True)
    check("pipe: over the budget is refused", r.returncode == 1 and b"held in memory (libtiff must seek)" in r.stderr,
          repr(r.stderr[-200:]))
    # To a pipe: assembled in memory, the same file.
    r = subprocess.run([LRN, p("rgb8.tif"), "-", "--format", "tif", *IDENTITY], capture_output=True)
    with open(p("piped.tif"), "wb") as f:
        f.write(r.stdout)
    check("pipe: written", r.returncode == 0 and np.array_equal(tifffile.imread(p("piped.tif")), px))

    # Several output strips, the last one short: lrn-img gathers rows into whole ~256 KB strips
    # (libtiff compresses a whole strip with libdeflate), whatever row counts the pipeline
    # hands over, with one thread or two, to a file or to a pipe.
    for dtype, shape, rows_per_strip in ((np.uint16, (45, 3000, 3), 14), (np.uint8, (61, 9000), 29),
                                         (np.float32, (10, 5000, 4), 3)):
        if dtype == np.float32:
            big = rng.standard_normal(shape).astype(np.float32)
        else:
            big = rng.integers(0, np.iinfo(dtype).max + 1, shape, dtype=dtype)
        channels = shape[2] if len(shape) == 3 else 1
        tifffile.imwrite(p("big.tif"), big, photometric="rgb" if channels >= 3 else "minisblack",
                         extrasamples=["unassalpha"] if channels == 4 else None)
        strips = -(-shape[0] // rows_per_strip)
        for threads in ("1", "2"):
            name = f"strips: {np.dtype(dtype).name} {channels}ch {shape[1]}x{shape[0]} -t {threads}"
            run(p("big.tif"), p("big_out.tif"), *IDENTITY, "-t", threads)
            page = tifffile.TiffFile(p("big_out.tif")).pages[0]
            back = tifffile.imread(p("big_out.tif"))
            check(name, back.dtype == big.dtype and np.array_equal(back, big) and page.compression == 8
                  and page.rowsperstrip == rows_per_strip and len(page.dataoffsets) == strips,
                  f"(rowsperstrip {page.rowsperstrip}, {len(page.dataoffsets)} strips)")
        r = subprocess.run([LRN, p("big.tif"), "-", "--format", "tif", *IDENTITY], capture_output=True)
        with open(p("big_piped.tif"), "wb") as f:
            f.write(r.stdout)
        check(f"strips: {np.dtype(dtype).name} to a pipe",
              r.returncode == 0 and np.array_equal(tifffile.imread(p("big_piped.tif")), big))

print(f"{checks.failed} failed" if checks.failed else f"all {len(cases) * 2 + 17} TIFF cross-checks passed")
sys.exit(1 if checks.failed else 0)
