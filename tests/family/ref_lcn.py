"""lcn vs float64 NumPy transcriptions of the cited sources, line by line.

torch7:   torch/nn SpatialSubtractiveNormalization.lua + SpatialDivisiveNormalization.lua
          (SpatialContrastiveNormalization = the two in sequence; Threshold.lua), with the 2-D
          kernel ones(n, n) (the module's default) and the 1-D kernel image.gaussian1D(n).
jarrett:  Jarrett et al. 2009 / Intel DAAL LCN: weights w = outer(g, g) / C summing to 1 over
          all channels, zero padding, divisor max(sigma, mean(sigma)).
pylearn2: pylearn2/datasets/preprocessing.py lecun_lcn + gaussian_filter, per channel
          (the filter kept in float64 here; pylearn2 stores it as float32).
pinto:    npinto/v1like v1like_funcs.py v1like_norm, conv_mode 'same'.
Joint and per-channel variants (per channel = the source run on each plane alone). Shapes
include 1x1, 1xN, Nx1 and windows larger than the image. 1e-6 relative, with a floor of 1e-3:
outputs are in units of the local deviation (|y| is O(1)), and where x - mean cancels (a 1x1
image: the mean is x itself) both sides hold rounding noise of ~1e-14 x / t, which a relative
measure would magnify (it reached 1.4e-10 absolute here, 0 on our side).
"""
FLOOR = 1e-3
import numpy as np

from common import Checker, probe


def correlate_same(plane, k):
    """2-D correlation of an (H, W) plane with a (kh, kw) kernel, zero padding, same size."""
    kh, kw = k.shape
    ph, pw = kh // 2, kw // 2
    p = np.pad(plane, ((ph, ph), (pw, pw)))
    h, w = plane.shape
    out = np.zeros((h, w))
    for i in range(kh):
        for j in range(kw):
            out += k[i, j] * p[i:i + h, j:j + w]
    return out


# ---- torch7 -------------------------------------------------------------------------------
def gaussian1D(size, sigma=0.25, amplitude=1, normalize=False, mean=0.5):
    gauss = np.zeros(size)
    center = mean * size + 0.5
    for i in range(1, size + 1):
        gauss[i - 1] = amplitude * np.exp(-(((i - center) / (sigma * size)) ** 2 / 2))
    if normalize:
        gauss /= gauss.sum()
    return gauss


def torch_meanestimator(x, kernel):
    """SpatialZeroPadding -> convolution(s) -> Replicate, kernel already normalised."""
    C = x.shape[0]
    if kernel.ndim == 2:
        # SpatialConvolution(nInputPlane, 1, kw, kh), weight[1][i] = kernel for every plane
        out = sum(correlate_same(x[c], kernel) for c in range(C))
    else:
        # SpatialConvolutionMap(oneToOne, kw, 1) then SpatialConvolution(nInputPlane, 1, 1, kh)
        horiz = [correlate_same(x[c], kernel[None, :]) for c in range(C)]
        out = sum(correlate_same(horiz[c], kernel[:, None]) for c in range(C))
    return np.repeat(out[None], C, axis=0)


def torch7_lcn(x, kernel, threshold):
    """x: (C, H, W). SpatialContrastiveNormalization(C, kernel, threshold, threshold)."""
    C = x.shape[0]
    k = kernel / (kernel.sum() * C)  # self.kernel:div(self.kernel:sum() * self.nInputPlane)
    # SpatialSubtractiveNormalization
    coef = torch_meanestimator(np.ones_like(x), k)
    localsums = torch_meanestimator(x, k)
    adjustedsums = localsums / coef
    v = x - adjustedsums
    # SpatialDivisiveNormalization (its own coef: the same mean estimator on ones)
    localstds = np.sqrt(torch_meanestimator(v ** 2, k))
    adjustedstds = localstds / coef
    thresholdedstds = np.where(adjustedstds > threshold, adjustedstds, threshold)  # Threshold(t, t)
    return v / thresholdedstds


# ---- jarrett ------------------------------------------------------------------------------
def jarrett_lcn(x, n, threshold=0.0):
    C = x.shape[0]
    g = gaussian1D(n, normalize=True)
    w = np.outer(g, g) / C
    m = sum(correlate_same(x[c], w) for c in range(C))
    v = x - m
    sigma = np.sqrt(sum(correlate_same(v[c] ** 2, w) for c in range(C)))
    divisor = np.maximum(np.maximum(sigma, sigma.mean()), threshold)
    return np.where(divisor > 0, v / np.where(divisor > 0, divisor, 1), 0)


# ---- pylearn2 -----------------------------------------------------------------------------
def gaussian_filter(kernel_shape):
    x = np.zeros((kernel_shape, kernel_shape), dtype="float64")

    def gauss(x, y, sigma=2.0):
        Z = 2 * np.pi * sigma ** 2
        return 1. / Z * np.exp(-(x ** 2 + y ** 2) / (2. * sigma ** 2))

    mid = np.floor(kernel_shape / 2.)
    for kernel_idx in range(0, kernel_shape):
        for kernel_idy in range(0, kernel_shape):
            x[kernel_idx, kernel_idy] = gauss(kernel_idx - mid, kernel_idy - mid)
    return x / np.sum(x)


def conv_full(X, filters):
    """Theano Conv2D border_mode 'full' (true convolution; the filter is symmetric)."""
    k = filters.shape[0]
    h, w = X.shape
    p = np.pad(X, ((k - 1, k - 1), (k - 1, k - 1)))
    out = np.zeros((h + k - 1, w + k - 1))
    f = filters[::-1, ::-1]
    for i in range(k):
        for j in range(k):
            out += f[i, j] * p[i:i + h + k - 1, j:j + w + k - 1]
    return out


def lecun_lcn(X, kernel_shape, threshold=1e-4):
    """One channel (H, W), lines of pylearn2's lecun_lcn."""
    filters = gaussian_filter(kernel_shape)
    convout = conv_full(X, filters)
    mid = int(np.floor(kernel_shape / 2.))
    h, w = X.shape
    centered_X = X - convout[mid:mid + h, mid:mid + w]  # [:, mid:-mid, mid:-mid, :]
    sum_sqr_XX = conv_full(X ** 2, filters)
    denom = np.sqrt(sum_sqr_XX[mid:mid + h, mid:mid + w])
    per_img_mean = denom.mean()
    divisor = np.maximum(per_img_mean, denom)  # tensor.largest
    divisor = np.maximum(divisor, threshold)
    return centered_X / divisor


def pylearn2_joint(x, n, threshold=1e-4):
    """The same with one mean and one denom map over all C channels (weights / C)."""
    C = x.shape[0]
    w = gaussian_filter(n) / C
    m = sum(correlate_same(x[c], w) for c in range(C))
    denom = np.sqrt(sum(correlate_same(x[c] ** 2, w) for c in range(C)))
    divisor = np.maximum(np.maximum(denom.mean(), denom), threshold)
    return (x - m) / divisor


# ---- pinto --------------------------------------------------------------------------------
def v1like_norm(hin, kshape, threshold):
    """hin: (H, W, D); conv_mode 'same'."""
    eps = 1e-5
    h, w, d = hin.shape
    kh, kw = kshape
    kd = d
    hsrc = hin.copy()
    ker = np.ones((kh, kw))
    hssq = sum(correlate_same(hsrc[:, :, i] ** 2, ker) for i in range(d))[:, :, None]
    hsum = sum(correlate_same(hsrc[:, :, i], ker) for i in range(d))[:, :, None]
    size = kh * kw * kd
    hnum = hsrc - (hsum / size)
    val = (hssq - (hsum ** 2.) / size)
    val[val < 0] = 0
    hdiv = val ** (1. / 2) + eps
    np.putmask(hdiv, hdiv < (threshold + eps), 1.)
    return hnum / hdiv


def per_channel(fn, x):
    return np.concatenate([fn(x[c:c + 1]) for c in range(x.shape[0])], axis=0)


check = Checker("lcn vs NumPy float64 transcriptions")
rng = np.random.default_rng(17)
shapes = ((19, 23, 3), (1, 1, 1), (1, 14, 3), (13, 1, 2), (4, 5, 3), (16, 16, 1))
for shape in shapes:
    x = (rng.random(shape) * 255).astype(np.float32)
    chw = x.astype(np.float64).transpose(2, 0, 1)
    hwc = lambda a: a.transpose(1, 2, 0)  # noqa: E731
    for n in (1, 3, 5, 9):
        for t in (1e-4, 1.0):
            for pc in (0, 1):
                run = (lambda f: per_channel(f, chw)) if pc else (lambda f: f(chw))
                box = np.ones((n, n))
                want = hwc(run(lambda a: torch7_lcn(a, box, t)))
                got = probe("lcn", x, convention="torch7", kernel="box", size=n, threshold=t, per_channel=pc)
                check.close(got, want, 1e-6, FLOOR, f"torch7 box {shape} n={n} t={t} per_channel={pc}")
                want = hwc(run(lambda a: torch7_lcn(a, gaussian1D(n), t)))
                got = probe("lcn", x, convention="torch7", kernel="gaussian", size=n, threshold=t, per_channel=pc)
                check.close(got, want, 1e-6, FLOOR, f"torch7 gaussian1D {shape} n={n} t={t} per_channel={pc}")
            pc = int(t == 1.0)
            run = (lambda f: per_channel(f, chw)) if pc else (lambda f: f(chw))
            want = hwc(run(lambda a: jarrett_lcn(a, n)))
            got = probe("lcn", x, convention="jarrett", size=n, per_channel=pc)
            check.close(got, want, 1e-6, FLOOR, f"jarrett {shape} n={n} per_channel={pc}")
            if pc:
                want = np.stack([lecun_lcn(chw[c], n, t) for c in range(chw.shape[0])], axis=2)
            else:
                want = hwc(pylearn2_joint(chw, n, t))
            got = probe("lcn", x, convention="pylearn2", size=n, threshold=t, per_channel=pc)
            check.close(got, want, 1e-6, FLOOR, f"pylearn2 {shape} n={n} t={t} per_channel={pc}")
            for pinto_t in (t, 50.0):
                if pc:
                    want = np.concatenate([v1like_norm(x[:, :, c:c + 1].astype(np.float64), (n, n), pinto_t)
                                           for c in range(shape[2])], axis=2)
                else:
                    want = v1like_norm(x.astype(np.float64), (n, n), pinto_t)
                got = probe("lcn", x, convention="pinto", size=n, threshold=pinto_t, per_channel=pc)
                check.close(got, want, 1e-6, FLOOR, f"pinto {shape} n={n} t={pinto_t} per_channel={pc}")
# The conventions' own defaults (no size or threshold given).
x = (rng.random((21, 18, 3)) * 255).astype(np.float32)
chw = x.astype(np.float64).transpose(2, 0, 1)
check.close(probe("lcn", x), torch7_lcn(chw, np.ones((9, 9)), 1e-4).transpose(1, 2, 0), 1e-6, FLOOR,
            "torch7 defaults (box 9, t 1e-4, joint)")
check.close(probe("lcn", x, convention="jarrett"), jarrett_lcn(chw, 9).transpose(1, 2, 0), 1e-6, FLOOR,
            "jarrett defaults (gaussian1D 9, joint)")
check.close(probe("lcn", x, convention="pylearn2"),
            np.stack([lecun_lcn(chw[c], 7) for c in range(3)], axis=2), 1e-6, FLOOR,
            "pylearn2 defaults (gaussian 7 sigma 2, t 1e-4, per channel)")
check.close(probe("lcn", x, convention="pinto"), v1like_norm(x.astype(np.float64), (3, 3), 1.0),
            1e-6, FLOOR, "pinto defaults (box 3, t 1, joint)")
check.done()
