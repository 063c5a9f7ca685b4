"""zca vs NumPy float64: y = (x - mean) @ P per pixel (pylearn2 ZCA.apply), with (mean, P)
fitted the way pylearn2's ZCA.fit does (cov = Xc^T Xc / N + 0.1 I, P = V diag(1/sqrt(l)) V^T)
on random colour data, plus a non-symmetric P. 1e-6 relative (floor 1e-3: outputs are in
whitened units)."""
import numpy as np

from common import Checker, probe

check = Checker("zca vs NumPy float64")
rng = np.random.default_rng(23)


def fit_zca(X, filter_bias=0.1):
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T.dot(Xc) / Xc.shape[0] + filter_bias * np.identity(X.shape[1])
    eigs, eigv = np.linalg.eigh(cov)
    P = eigv.dot(np.diag(1.0 / np.sqrt(eigs))).dot(eigv.T)
    return mean, P


def keys(mean, P):
    return {"mean": ",".join(repr(float(v)) for v in mean),
            "P": ",".join(repr(float(v)) for v in P.ravel())}


for shape in ((13, 17, 3), (1, 1, 3), (1, 9, 4), (7, 1, 1), (5, 6, 2)):
    C = shape[2]
    x = (rng.random(shape) * 255).astype(np.float32)
    mix = rng.random((C, C)) + np.identity(C)
    mean, P = fit_zca((rng.random((500, C)) * 255).dot(mix))
    for name, (m, p) in (("pylearn2 fit", (mean, P)), ("non-symmetric", (mean, rng.normal(size=(C, C))))):
        want = (x.astype(np.float64).reshape(-1, C) - m).dot(p).reshape(shape)
        got = probe("zca", x, **keys(m, p))
        check.close(got, want, 1e-6, 1e-3, f"{name} {shape}")
check.done()
