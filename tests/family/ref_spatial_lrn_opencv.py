"""spatial-lrn caffe vs OpenCV's dnn LRN layer (norm_region WITHIN_CHANNEL), which follows
Caffe's within-channel LRN (K = 1, alpha / n^2, fixed divisor). No caffemodel: the net is
only the prototxt. Sizes 1, 3, 5, 7 on multi-channel float arrays.

Tolerance 1e-6 relative, except 2e-6 where the base 1 + alpha S / n^2 exceeds 1000 (alpha 1 on
0..255 values): OpenCV raises it to -beta in float32 and is itself up to 1.4e-6 from the
float64 formula there, while ours stays within 1e-7 of it. So every case is also compared with
the float64 formula (NumPy, zero padding, divisor n^2) at 1e-6."""
import os
import tempfile

import numpy as np

from common import Checker, need, probe

cv2 = need("cv2", "python3-opencv")

PROTO = """name: "lrn"
input: "data"
input_shape {{ dim: 1 dim: {c} dim: {h} dim: {w} }}
layer {{
  name: "lrn" type: "LRN" bottom: "data" top: "out"
  lrn_param {{ local_size: {n} alpha: {alpha} beta: {beta} norm_region: WITHIN_CHANNEL }}
}}
"""


def opencv_lrn(x, n, alpha, beta):
    h, w, c = x.shape
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "lrn.prototxt")
        with open(path, "w") as f:
            f.write(PROTO.format(c=c, h=h, w=w, n=n, alpha=repr(alpha), beta=repr(beta)))
        net = cv2.dnn.readNetFromCaffe(path)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    net.setInput(np.ascontiguousarray(x.transpose(2, 0, 1)[None]))
    return net.forward()[0].transpose(1, 2, 0)


def window_sum(v, n):
    """n x n sums over in-image samples (zero padding), float64."""
    r, (h, w) = n // 2, v.shape[:2]
    p = np.pad(v, ((r, r), (r, r), (0, 0)))
    return sum(p[i:i + h, j:j + w] for i in range(n) for j in range(n))


check = Checker("spatial-lrn caffe vs OpenCV dnn")
rng = np.random.default_rng(5)
# Floats, then 8-bit data (integers 0..255, what a decoded photo is: lrn-img sums those in exact
# float arithmetic, src/lrn/family/box_exact.h), up to its largest size, 15.
for shape, scale, integral in (((17, 23, 3), 255.0, False), ((9, 12, 4), 1.0, False),
                               ((1, 1, 2), 255.0, False), ((1, 13, 3), 255.0, False),
                               ((11, 1, 3), 255.0, False), ((4, 3, 3), 255.0, False),
                               ((19, 70, 3), 256.0, True), ((9, 66, 1), 256.0, True),
                               ((7, 9, 4), 256.0, True)):
    x = (rng.random(shape) * scale).astype(np.float32)
    if integral:
        x = np.floor(x)
    for n in (1, 3, 5, 7) + ((9, 15) if integral else ()):
        for alpha, beta in ((1.0, 0.75), (0.01, 0.75), (1e-4, 0.5), (0.3, 1.0), (0.05, 0.6)):
            want = opencv_lrn(x, n, alpha, beta)
            got = probe("spatial-lrn", x, convention="caffe", size=n, alpha=alpha, beta=beta)
            base = 1 + alpha * window_sum(x.astype(np.float64) ** 2, n) / n**2
            tol = 2e-6 if base.max() > 1000 else 1e-6
            what = f"{shape} n={n} alpha={alpha} beta={beta}"
            check.close(got, want, tol, 1e-6, what + f" vs OpenCV (tol {tol:g})")
            check.close(got, x * base ** -beta, 1e-6, 1e-6, what + " vs float64")
check.done()
