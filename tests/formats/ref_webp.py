"""WebP against dwebp/cwebp (the webp package) and PIL, run by ctest with lrn-img's path.

With --alpha 0 --bias 1, LRN is the identity, so lrn-img is a converter: what it reads must be
what PIL reads from the same file, and what it writes must decode in dwebp to the pixels it was
given (lossless) or close to them (lossy). A missing reference fails, never skips.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "family"))
from common import Checks, need  # noqa: E402

np = need("numpy", "python3-numpy")
need("PIL.Image", "python3-pil")
from PIL import Image  # noqa: E402

LRN = sys.argv[1]
IDENTITY = ["--alpha", "0", "--bias", "1"]
for tool in ("dwebp", "cwebp"):
    if not shutil.which(tool):
        print(f"reference missing: {tool}; install webp (bash .ci/install-deps)", file=sys.stderr)
        sys.exit(1)


checks = Checks(LRN)
run, check = checks.run, checks.check


def dwebp(src, dst):
    subprocess.run(["dwebp", "-quiet", src, "-o", dst], check=True)
    return np.asarray(Image.open(dst))


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


rng = np.random.default_rng(15)
# A smooth picture with noise: lossy codecs behave on it as on photos.
y, x = np.mgrid[0:61, 0:83]
base = np.stack([x * 3, y * 4, (x + y) * 2], axis=-1) % 256
rgb = np.clip(base + rng.integers(-8, 9, base.shape), 0, 255).astype(np.uint8)
rgba = np.concatenate([rgb, rng.integers(0, 256, (61, 83, 1), dtype=np.uint8)], axis=-1)

with tempfile.TemporaryDirectory() as d:
    p = lambda n: os.path.join(d, n)  # noqa: E731
    for name, px, mode in [("RGB", rgb, "RGB"), ("RGBA", rgba, "RGBA")]:
        # Read: lossless and lossy files PIL wrote, against PIL's own decoding of them.
        for kind, kw in [("lossless", dict(lossless=True)), ("lossy", dict(quality=80))]:
            Image.fromarray(px, mode).save(p("in.webp"), **kw)
            run(p("in.webp"), p("out.png"), *IDENTITY)
            got = np.asarray(Image.open(p("out.png")))
            want = np.asarray(Image.open(p("in.webp")).convert(mode))
            check(f"read {kind} {name} == PIL", got.shape == want.shape and np.array_equal(got, want))
        # Write lossless: dwebp gives back exactly the pixels.
        Image.fromarray(px, mode).save(p("src.png"))
        run(p("src.png"), p("ll.webp"), "--lossless", *IDENTITY)
        check(f"write lossless {name}: dwebp decodes the same pixels", np.array_equal(dwebp(p("ll.webp"), p("ll.png")), px))
        # Write lossy at a quality: close to the source, and as close as cwebp at that quality.
        run(p("src.png"), p("q.webp"), "-q", "85", *IDENTITY)
        subprocess.run(["cwebp", "-quiet", "-q", "85", p("src.png"), "-o", p("c.webp")], check=True)
        ours = psnr(dwebp(p("q.webp"), p("q.png"))[..., :3], px[..., :3])
        theirs = psnr(dwebp(p("c.webp"), p("c.png"))[..., :3], px[..., :3])
        check(f"write lossy {name} q85: PSNR {ours:.1f} dB (cwebp -q 85: {theirs:.1f})", ours > 30 and ours >= theirs - 1.0)

    # Grey is stored as RGB with equal channels.
    grey = rgb[..., 0]
    Image.fromarray(grey, "L").save(p("g.png"))
    run(p("g.png"), p("g.webp"), "--lossless", *IDENTITY)
    back = dwebp(p("g.webp"), p("g_back.png"))
    check("grey written as RGB", back.shape == (61, 83, 3) and all(np.array_equal(back[..., k], grey) for k in range(3)))

    # An animation: the first frame, with a warning.
    frames = [Image.fromarray(rgb, "RGB"), Image.fromarray(255 - rgb, "RGB")]
    frames[0].save(p("anim.webp"), save_all=True, append_images=frames[1:], lossless=True, duration=100)
    r = run(p("anim.webp"), p("anim.png"), *IDENTITY)
    first = np.asarray(Image.open(p("anim.png")).convert("RGB"))
    check("animation: first frame", np.array_equal(first, rgb))
    check("animation: warned", "an animated WebP (2 frames); the first frame was read" in r.stderr, repr(r.stderr))

    # LRN with real parameters sees the same values from WebP (lossless) as from PNG.
    run(p("ll.webp"), p("a.npy"))
    Image.fromarray(rgba, "RGBA").save(p("same.png"))
    run(p("same.png"), p("b.npy"))
    check("LRN of lossless WebP == LRN of PNG", np.array_equal(np.load(p("a.npy")), np.load(p("b.npy"))))

print(f"{checks.failed} failed" if checks.failed else "all WebP cross-checks passed")
sys.exit(1 if checks.failed else 0)
