"""lms vs scikit-image and PyTorch, both border rules.

torch7 (valid count): skimage.filters.rank.mean with a square footprint on integer (uint8 and
uint16) images, its output asked for as float64 (the mean is sum / in-image count), per
channel; and torch.nn.functional.avg_pool2d(count_include_pad=False) in float64.
zero-pad (fixed n^2): avg_pool2d(count_include_pad=True). Box windows (what they offer),
sizes 1..15 including windows larger than the image; y = x - mean, 1e-6 relative (floor 1e-3).
"""
import warnings

import numpy as np

from common import Checker, need, probe

need("skimage", "python3-skimage")
torch = need("torch", "python3-torch")
from skimage.filters import rank  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# 12-bit inputs make rank filters warn about their speed; expected here.
warnings.filterwarnings("ignore", message="Bad rank filter performance")
check = Checker("lms vs scikit-image / PyTorch")
rng = np.random.default_rng(13)


def torch_mean(x, n, include_pad):
    t = torch.from_numpy(x.astype(np.float64).transpose(2, 0, 1)[None])
    m = F.avg_pool2d(t, n, stride=1, padding=n // 2, count_include_pad=include_pad)
    return m[0].numpy().transpose(1, 2, 0)


for shape in ((17, 23, 3), (1, 1, 1), (1, 12, 2), (12, 1, 3), (5, 4, 3)):
    for n in (1, 3, 5, 9, 15):
        for dtype, top in ((np.uint8, 256), (np.uint16, 4096)):
            xi = rng.integers(0, top, size=shape).astype(dtype)
            x = xi.astype(np.float32)
            got = probe("lms", x, convention="torch7", kernel="box", size=n)
            fp = np.ones((n, n), dtype=np.uint8)
            sk = np.stack([rank.mean(xi[:, :, c], fp, out=np.empty(shape[:2], np.float64))
                           for c in range(shape[2])], axis=2)
            check.close(got, x - sk, 1e-6, 1e-3, f"torch7 {shape} n={n} {dtype.__name__} vs skimage")
        x = (rng.random(shape) * 255).astype(np.float32)
        for conv, pad in (("torch7", False), ("zero-pad", True)):
            got = probe("lms", x, convention=conv, kernel="box", size=n)
            check.close(got, x - torch_mean(x, n, pad), 1e-6, 1e-3,
                        f"{conv} {shape} n={n} vs avg_pool2d(count_include_pad={pad})")
check.done()
