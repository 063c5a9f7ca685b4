"""Makes tests/data/family/gcn.npz, the fixed expected values of the gcn reference test.

Run once by hand (/usr/bin/python3 tests/family/make_gcn_data.py); the file is kept in the
repository so the test compares against frozen numbers, not against this script.

Inputs (float32, H x W x C): 'in_rand' 6x5x3 uniform 0..255 (NumPy default_rng(2026)),
'in_const' 3x4x3 all 7, 'in_one' 1x1x1 = 3, 'in_flat' 4x4x1 = 0.5 + 1e-9 * uniform (a
divisor below min_divisor), 'in_small' 2x3x2 small integers.
Expected (float64) 'out_<input>_<case>': pylearn2's global_contrast_normalize transcribed line
by line below (pylearn2/expr/preprocessing.py; one example = the whole image flattened), for
every parameterisation the spec names, and the tf formula (per_image_standardization).
"""
import os

import numpy as np


def global_contrast_normalize(X, scale=1., subtract_mean=True, use_std=False, sqrt_bias=0.,
                              min_divisor=1e-8):
    assert X.ndim == 2, "X.ndim must be 2"
    scale = float(scale)
    assert scale >= min_divisor
    mean = X.mean(axis=1)
    if subtract_mean:
        X = X - mean[:, np.newaxis]
    else:
        X = X.copy()
    if use_std:
        ddof = 1
        if X.shape[1] == 1:
            ddof = 0
        normalizers = np.sqrt(sqrt_bias + X.var(axis=1, ddof=ddof)) / scale
    else:
        normalizers = np.sqrt(sqrt_bias + (X ** 2).sum(axis=1)) / scale
    normalizers[normalizers < min_divisor] = 1.
    X /= normalizers[:, np.newaxis]
    return X


def tf_standardize(x):
    n = x.size
    return (x - x.mean()) / max(x.std(), 1 / np.sqrt(n))


CASES = {
    "default": {},
    "maxout": {"scale": 55.0},
    "coates": {"use_std": True, "sqrt_bias": 10.0},
    "use_std": {"use_std": True},
    "sqrt_bias": {"sqrt_bias": 3.0},
    "scale": {"scale": 2.5},
    "min_divisor": {"scale": 2e6, "min_divisor": 1e6},
    "all": {"scale": 10.0, "use_std": True, "sqrt_bias": 0.5, "min_divisor": 1e-3},
}

rng = np.random.default_rng(2026)
inputs = {
    "rand": (rng.random((6, 5, 3)) * 255).astype(np.float32),
    "const": np.full((3, 4, 3), 7, np.float32),
    "one": np.full((1, 1, 1), 3, np.float32),
    "flat": (0.5 + 1e-9 * rng.random((4, 4, 1))).astype(np.float32),
    "small": rng.integers(0, 5, size=(2, 3, 2)).astype(np.float32),
}
data = {}
for name, x in inputs.items():
    data["in_" + name] = x
    x64 = x.astype(np.float64)
    for case, kw in CASES.items():
        data[f"out_{name}_{case}"] = global_contrast_normalize(x64.reshape(1, -1), **kw).reshape(x.shape)
    data[f"out_{name}_tf"] = tf_standardize(x64)
out = os.path.join(os.path.dirname(__file__), "..", "data", "family", "gcn.npz")
np.savez(out, **data)
print("wrote", os.path.normpath(out), len(data), "arrays")
