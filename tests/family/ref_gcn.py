"""gcn vs frozen float64 values and OpenCV's MVN layer.

pylearn2 and tf: tests/data/family/gcn.npz holds inputs and float64 expected outputs made by
make_gcn_data.py (pylearn2's global_contrast_normalize transcribed line by line; the tf
formula), for every pylearn2 parameterisation the spec names, the presets included.
caffe-mvn: cv2.dnn's MVN layer (normalize_variance, eps 1e-9) from a prototxt, per channel
(across_channels false) and across channels, and the float64 formula. The frozen data are
compared at 1e-6 relative (floor 1e-6); MVN outputs are in standard deviations, so there the
error is |got - want| / max(|want|, 1) <= 1e-6: relative to 1 std (OpenCV's own float32
rounding of x - mean is ~1e-7 std, which a relative measure near y = 0 would magnify). The
array of values 100..101 goes to the float64 formula only: OpenCV's float32 mean subtraction
loses 2e-5 std on it, ours stays at 6e-8.
"""
import os
import tempfile

import numpy as np

from common import Checker, need, probe

cv2 = need("cv2", "python3-opencv")
data = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "family", "gcn.npz"))
check = Checker("gcn vs pylearn2/tf float64 data and OpenCV MVN")

CASES = {
    "default": {},
    "maxout": {"preset": "maxout-cifar10"},
    "coates": {"preset": "coates"},
    "use_std": {"use_std": 1},
    "sqrt_bias": {"sqrt_bias": 3.0},
    "scale": {"scale": 2.5},
    "min_divisor": {"scale": 2e6, "min_divisor": 1e6},
    "all": {"scale": 10.0, "use_std": 1, "sqrt_bias": 0.5, "min_divisor": 1e-3},
}
names = sorted(k[3:] for k in data.files if k.startswith("in_"))
for name in names:
    x = data["in_" + name]
    for case, keys in CASES.items():
        got = probe("gcn", x, convention="pylearn2", **keys)
        check.close(got, data[f"out_{name}_{case}"], 1e-6, 1e-6, f"pylearn2 {case} on {name}")
    check.close(probe("gcn", x, convention="tf"), data[f"out_{name}_tf"], 1e-6, 1e-6, f"tf on {name}")

PROTO = """name: "mvn"
input: "data"
input_shape {{ dim: 1 dim: {c} dim: {h} dim: {w} }}
layer {{
  name: "mvn" type: "MVN" bottom: "data" top: "out"
  mvn_param {{ normalize_variance: true across_channels: {across} eps: 1e-9 }}
}}
"""


def opencv_mvn(x, across):
    h, w, c = x.shape
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mvn.prototxt")
        with open(path, "w") as f:
            f.write(PROTO.format(c=c, h=h, w=w, across="true" if across else "false"))
        net = cv2.dnn.readNetFromCaffe(path)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setInput(np.ascontiguousarray(x.transpose(2, 0, 1)[None]))
    return net.forward()[0].transpose(1, 2, 0)


rng = np.random.default_rng(8)
for shape, lo, hi in (((17, 23, 3), 0, 255), ((9, 8, 4), -1, 1), ((1, 7, 3), 0, 255),
                      ((6, 1, 2), 0, 255), ((32, 32, 3), -0.5, 0.5), ((32, 32, 3), 100, 101)):
    x = (lo + rng.random(shape) * (hi - lo)).astype(np.float32)
    for across in (False, True):
        got = probe("gcn", x, convention="caffe-mvn", per_channel=0 if across else 1)
        x64 = x.astype(np.float64)
        axes = None if across else (0, 1)
        ref = (x64 - x64.mean(axis=axes)) / (x64.std(axis=axes) + 1e-9)
        what = f"caffe-mvn {shape} across_channels={across}"
        if lo < 100:
            check.close(got, opencv_mvn(x, across), 1e-6, 1.0, what + " vs OpenCV MVN")
        check.close(got, ref, 1e-6, 1.0, what + " vs float64")
check.done()
