"""lrn_img.normalize / process_file / describe_params for every method of the family.

Truth: the lrn-img binary on the same .npy (bit for bit; tests/family checks the CLI against
OpenCV dnn, oneDNN, scikit-image, torch and float64 ports), and directly: torch avg_pool2d
(lms), OpenCV dnn's Caffe LRN layer (spatial-lrn caffe), a float64 NumPy port of torch7's
SpatialContrastiveNormalization (lcn), pylearn2/tf expected values kept in
tests/data/family/gcn.npz (gcn, made by tests/family/make_gcn_data.py) and (x - mean) P in
float64 (zca). A missing reference package fails, it does not skip."""
import os
import pathlib
import tempfile

import numpy as np
import pytest

import lrn_img

ROOT = pathlib.Path(__file__).resolve().parents[2]

# (method, keywords): every convention, and the family's other parameters.
CASES = [
    ("spatial-lrn", {}),
    ("spatial-lrn", {"convention": "onednn", "size": 3, "bias": 2.0, "alpha": 0.01}),
    ("spatial-lrn", {"convention": "matconvnet", "size": 7, "beta": 0.5}),
    ("lcn", {}),
    ("lcn", {"convention": "jarrett"}),
    ("lcn", {"convention": "pylearn2"}),
    ("lcn", {"convention": "pinto", "threshold": 2.0}),
    ("lcn", {"kernel": "gaussian", "size": 5, "per_channel": True}),
    ("lms", {}),
    ("lms", {"convention": "zero-pad", "kernel": "gaussian", "size": 7}),
    ("lms", {"per_channel": False, "size": 3}),
    ("gcn", {}),
    ("gcn", {"preset": "maxout-cifar10"}),
    ("gcn", {"preset": "coates"}),
    ("gcn", {"convention": "tf"}),
    ("gcn", {"convention": "caffe-mvn"}),
    ("gcn", {"use_std": True, "sqrt_bias": 10.0, "scale": 2.0, "min_divisor": 1e-3}),
]
ZCA_MEAN = np.array([120.0, 110.0, 100.0])
ZCA_P = np.array([[0.02, -0.003, 0.001], [-0.003, 0.03, -0.002], [0.001, -0.002, 0.025]])


def flags(method, kw):
    """lrn-img's options for the keywords."""
    args = ["--method", method]
    for k, v in kw.items():
        if k == "per_channel":
            args.append("--per-channel" if v else "--joint")
        elif k == "use_std":
            if v:
                args.append("--use-std")
        else:
            args += [f"--{k.replace('_', '-')}", repr(v) if isinstance(v, float) else str(v)]
    return args


def image(shape, seed=3):
    return (np.random.default_rng(seed).random(shape) * 255).astype(np.float32)


@pytest.fixture
def run_cli(cli, tmp_path):
    def run(x, method, kw, extra=()):
        src, dst = tmp_path / "in.npy", tmp_path / "out.npy"
        np.save(src, x)
        cli(src, dst, *flags(method, kw), *extra)
        return np.load(dst)
    return run


@pytest.fixture
def zca_file(tmp_path):
    path = tmp_path / "zca.npz"
    np.savez(path, mean=ZCA_MEAN, P=ZCA_P)
    return path


@pytest.mark.parametrize("method,kw", CASES)
def test_equals_cli_bit_for_bit(run_cli, method, kw):
    x = image((23, 19, 3))
    want = run_cli(x, method, kw)
    got = lrn_img.normalize(x, method=method, **kw)
    assert got.dtype == np.float32 and got.shape == x.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", [(1, 1, 3), (1, 9, 3), (9, 1, 3), (4, 5, 1)])
def test_border_shapes_equal_cli(run_cli, shape):
    """1x1, 1xN, Nx1 images (windows larger than the image) and one channel."""
    x = image(shape, seed=6)
    for method, kw in CASES:
        np.testing.assert_array_equal(lrn_img.normalize(x, method=method, **kw),
                                      run_cli(x, method, kw), err_msg=f"{method} {kw}")


@pytest.mark.parametrize("method,kw", [c for c in CASES if c[0] in ("gcn", "lcn", "lms")])
def test_batch_nchw_equals_cli(run_cli, method, kw):
    """N images: per-image statistics, channel-first, as lrn-img --layout nchw computes them."""
    x = image((3, 3, 9, 11), seed=4)
    x[1] *= 0.1  # images of different ranges: per-image statistics differ
    want = run_cli(x, method, kw, ["--layout", "nchw"])
    np.testing.assert_array_equal(lrn_img.normalize(x, method=method, layout="nchw", **kw), want)
    for n in range(3):  # each image alone gives the same
        alone = lrn_img.normalize(x[n], method=method, layout="chw", **kw)
        np.testing.assert_array_equal(alone, want[n])


def test_zca_file_and_data_equal_cli(run_cli, zca_file):
    x = image((8, 10, 3))
    want = run_cli(x, "zca", {}, ["--zca-file", zca_file])
    np.testing.assert_array_equal(lrn_img.normalize(x, method="zca", zca_file=zca_file), want)
    np.testing.assert_array_equal(lrn_img.normalize(x, method="zca", zca=(ZCA_MEAN, ZCA_P)), want)
    ref = (x.astype(np.float64) - ZCA_MEAN) @ ZCA_P  # pylearn2 ZCA.apply, float64
    np.testing.assert_allclose(want, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("method,kw", [CASES[0], CASES[3], CASES[4], CASES[9], CASES[11]])
def test_layouts_strides_dtypes_threads(method, kw):
    x = image((2, 12, 17, 3), seed=5)
    want = lrn_img.normalize(x, method=method, layout="nhwc", threads=1, **kw)
    nchw = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    got = lrn_img.normalize(nchw, method=method, layout="nchw", threads=3, **kw)
    np.testing.assert_array_equal(got.transpose(0, 2, 3, 1), want)
    # a strided view (every other column of a wider array), read where it is
    wide = np.zeros((2, 12, 34, 3), np.float32)
    wide[:, :, ::2] = x
    np.testing.assert_array_equal(lrn_img.normalize(wide[:, :, ::2], method=method, layout="nhwc",
                                                    **kw), want)
    # a channel-first view of channel-last data (not contiguous in any order)
    view = x.transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(
        lrn_img.normalize(view, method=method, layout="nchw", **kw).transpose(0, 2, 3, 1), want)
    # float64 and uint8 are read as their float32 values; out= and in place
    np.testing.assert_array_equal(
        lrn_img.normalize(x.astype(np.float64), method=method, layout="nhwc", **kw), want)
    u8 = x.astype(np.uint8)
    np.testing.assert_array_equal(lrn_img.normalize(u8, method=method, layout="nhwc", **kw),
                                  lrn_img.normalize(u8.astype(np.float32), method=method,
                                                    layout="nhwc", **kw))
    out = np.empty_like(x)
    assert lrn_img.normalize(x, method=method, layout="nhwc", out=out, **kw) is not None
    np.testing.assert_array_equal(out, want)
    y = x.copy()
    lrn_img.normalize(y, method=method, layout="nhwc", out=y, **kw)
    np.testing.assert_array_equal(y, want)


def test_lrn_method_is_lrn():
    x = image((5, 6, 7))
    np.testing.assert_array_equal(lrn_img.normalize(x), lrn_img.lrn(x))
    np.testing.assert_array_equal(lrn_img.normalize(x, method="lrn", convention="torch", size=3),
                                  lrn_img.lrn(x, convention="torch", size=3))


@pytest.mark.parametrize("method,kw", CASES[:1] + CASES[3:4] + CASES[12:13])
def test_describe_params_is_print_params(cli, method, kw):
    d = lrn_img.describe_params(method=method, **kw)
    assert d["text"] == cli(*flags(method, kw), "--print-params")
    assert d["method"] == method
    assert d["convention"] in d["text"]


def test_process_file_equals_cli(cli, tmp_path, zca_file):
    x = image((14, 9, 3))
    src = tmp_path / "x.npy"
    np.save(src, x)
    for method, kw in CASES[::3] + [("zca", {"zca_file": zca_file})]:
        cli_kw = {} if method == "zca" else kw
        extra = ["--zca-file", zca_file] if method == "zca" else []
        cli(src, tmp_path / "cli.npy", *flags(method, cli_kw), *extra)
        lrn_img.process_file(src, tmp_path / "py.npy", method=method, **kw)
        np.testing.assert_array_equal(np.load(tmp_path / "py.npy"), np.load(tmp_path / "cli.npy"))
    sample = ROOT / "samples" / "rocket.jpg"
    cli(sample, tmp_path / "cli.png", "--method", "lcn", "--rescale")
    lrn_img.process_file(sample, tmp_path / "py.png", method="lcn", rescale=True)
    assert (tmp_path / "py.png").read_bytes() == (tmp_path / "cli.png").read_bytes()


# ---- direct references ---------------------------------------------------------------------

def test_lms_vs_torch_avg_pool2d():
    import torch
    import torch.nn.functional as F
    x = image((13, 16, 3), seed=7)
    for conv, pad in (("torch7", False), ("zero-pad", True)):
        for n in (3, 9):
            t = torch.from_numpy(x.astype(np.float64).transpose(2, 0, 1)[None])
            m = F.avg_pool2d(t, n, stride=1, padding=n // 2, count_include_pad=pad)
            want = x - m[0].numpy().transpose(1, 2, 0)
            got = lrn_img.normalize(x, method="lms", convention=conv, size=n)
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-3)


def test_spatial_lrn_caffe_vs_opencv_dnn():
    import cv2
    proto = """name: "lrn"
input: "data"
input_shape {{ dim: 1 dim: {c} dim: {h} dim: {w} }}
layer {{
  name: "lrn" type: "LRN" bottom: "data" top: "out"
  lrn_param {{ local_size: {n} alpha: {alpha} beta: {beta} norm_region: WITHIN_CHANNEL }}
}}
"""
    x = image((11, 14, 3), seed=9)
    for n, alpha, beta in ((3, 1.0, 0.75), (5, 0.01, 0.75), (7, 1e-4, 0.5)):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "lrn.prototxt")
            with open(path, "w") as f:
                f.write(proto.format(c=3, h=11, w=14, n=n, alpha=repr(alpha), beta=repr(beta)))
            net = cv2.dnn.readNetFromCaffe(path)
        net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
        net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
        net.setInput(np.ascontiguousarray(x.transpose(2, 0, 1)[None]))
        want = net.forward()[0].transpose(1, 2, 0)
        got = lrn_img.normalize(x, method="spatial-lrn", size=n, alpha=alpha, beta=beta)
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def correlate_same(plane, k):
    kh, kw = k.shape
    p = np.pad(plane, ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    h, w = plane.shape
    return sum(k[i, j] * p[i:i + h, j:j + w] for i in range(kh) for j in range(kw))


def torch7_lcn(x, kernel, threshold):
    """x (C, H, W) float64: torch/nn SpatialContrastiveNormalization(C, kernel, t, t), as
    tests/family/ref_lcn.py transcribes it (2-D kernel: SpatialConvolution over all planes)."""
    C = x.shape[0]
    k = kernel / (kernel.sum() * C)
    est = lambda v: np.repeat(sum(correlate_same(v[c], k) for c in range(C))[None], C, axis=0)  # noqa: E731
    coef = est(np.ones_like(x))
    v = x - est(x) / coef
    std = np.sqrt(est(v ** 2)) / coef
    return v / np.where(std > threshold, std, threshold)


def test_lcn_torch7_vs_float64_port():
    x = image((15, 12, 3), seed=11)
    for n in (3, 9):
        want = torch7_lcn(x.astype(np.float64).transpose(2, 0, 1), np.ones((n, n)), 1e-4)
        got = lrn_img.normalize(x, method="lcn", size=n)
        np.testing.assert_allclose(got, want.transpose(1, 2, 0), rtol=1e-6, atol=1e-3 * 1e-6)


def test_gcn_vs_pylearn2_data():
    data = np.load(ROOT / "tests" / "data" / "family" / "gcn.npz")
    cases = {"default": {}, "maxout": {"preset": "maxout-cifar10"}, "coates": {"preset": "coates"},
             "use_std": {"use_std": True}, "sqrt_bias": {"sqrt_bias": 3.0}, "scale": {"scale": 2.5},
             "min_divisor": {"scale": 2e6, "min_divisor": 1e6},
             "all": {"scale": 10.0, "use_std": True, "sqrt_bias": 0.5, "min_divisor": 1e-3}}
    names = sorted(k[3:] for k in data.files if k.startswith("in_"))
    assert names
    for name in names:
        x = data["in_" + name]
        for case, kw in cases.items():
            want = data[f"out_{name}_{case}"]
            got = lrn_img.normalize(x, method="gcn", **kw)
            assert np.all(np.abs(got - want) <= 1e-6 * np.maximum(np.abs(want), 1.0)), (name, case)
        want = data[f"out_{name}_tf"]
        got = lrn_img.normalize(x, method="gcn", convention="tf")
        assert np.all(np.abs(got - want) <= 1e-6 * np.maximum(np.abs(want), 1.0)), (name, "tf")


# ---- bad arguments ---------------------------------------------------------------------------

@pytest.mark.parametrize("kw,param,words", [
    ({"method": "gcn", "size": 5}, "size", "size does not apply to method gcn"),
    ({"method": "lcn", "radius": 2}, "radius", "radius does not apply to method lcn"),
    ({"method": "lrn", "threshold": 1.0}, "threshold", "threshold does not apply to method lrn"),
    ({"method": "zca", "convention": "tf", "zca": (ZCA_MEAN, ZCA_P)}, "convention",
     "convention does not apply to method zca"),
    ({"method": "lcn", "convention": "caffe"}, "convention",
     "convention 'caffe' is not 'torch7', 'jarrett', 'pylearn2' or 'pinto' (method lcn)"),
    ({"method": "lrn", "convention": "torch7"}, "convention", "convention 'torch7' is not 'tf'"),
    ({"method": "lcn", "kernel": "disc"}, "kernel", "kernel 'disc' is not 'box' or 'gaussian'"),
    ({"method": "gcn", "preset": "blog"}, "preset", "preset: 'blog' is not maxout-cifar10 or coates"),
    ({"method": "spatial-lrn", "size": 4}, "size", "size must be odd"),
    ({"method": "lms", "size": 8}, "size", "size must be odd"),
    ({"method": "spatial-lrn", "bias": 2.0}, "bias", "onednn"),
    ({"method": "gcn", "scale": -1.0}, "scale", "scale must be a finite number > 0"),
    ({"method": "zca"}, "zca", "method zca needs its whitening"),
    ({"method": "zca", "zca": (ZCA_MEAN[:2], ZCA_P)}, "zca", "P must be C x C"),
    ({"method": "zca", "zca": (ZCA_MEAN, ZCA_P[:2])}, "zca", "P must be C x C"),
    ({"method": "spatial"}, "method", "method 'spatial' is not 'lrn', 'spatial-lrn'"),
])
def test_bad_arguments(kw, param, words):
    x = image((4, 5, 3))
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")) as e:
        lrn_img.normalize(x, **kw)
    assert e.value.parameter == param
    with pytest.raises(ValueError):
        lrn_img.describe_params(**kw)


def test_zca_channels_and_file_errors(tmp_path):
    with pytest.raises(ValueError, match="4 channel") as e:
        lrn_img.normalize(image((3, 3, 4)), method="zca", zca=(ZCA_MEAN, ZCA_P))
    assert e.value.parameter == "zca"
    with pytest.raises(lrn_img.FileError) as f:
        lrn_img.normalize(image((3, 3, 3)), method="zca", zca_file=tmp_path / "none.npz")
    assert "none.npz" in str(f.value)
    with pytest.raises(TypeError, match="pair"):
        lrn_img.normalize(image((3, 3, 3)), method="zca", zca=ZCA_MEAN)
