"""lrn_img.lrn against a float64 NumPy reference (TensorFlow's formula) and against
torch.nn.functional.local_response_norm; layouts, dtypes, strides, in place, threads, torch
tensors, and every argument error with its wording."""
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lrn_img

rng = np.random.default_rng(12)


def reference(x, radius=2, bias=1.0, alpha=0.001 / 9, beta=0.75, axis=-1):
    """tf.nn.local_response_normalization in float64: sqr_sum over channels c-r..c+r (clipped),
    y = x / (bias + alpha * sqr_sum) ** beta."""
    x = np.moveaxis(np.asarray(x, np.float64), axis, -1)
    c = x.shape[-1]
    sq = x * x
    s = np.zeros_like(x)
    for i in range(c):
        s[..., i] = sq[..., max(0, i - radius):min(c, i + radius + 1)].sum(axis=-1)
    return np.moveaxis(x / (bias + alpha * s) ** beta, -1, axis)


def image(shape, scale=255.0, dtype=np.float32):
    return (rng.random(shape) * scale).astype(dtype)


@pytest.mark.parametrize("channels", [1, 2, 3, 4, 5, 7, 16])
@pytest.mark.parametrize("radius", [0, 1, 2, 5])
@pytest.mark.parametrize("beta", [0.5, 0.75, 1.0, 1.3])
def test_matches_float64_reference(channels, radius, beta):
    x = image((9, 11, channels))
    got = lrn_img.lrn(x, radius=radius, alpha=1e-3, beta=beta, bias=2.0)
    assert got.dtype == np.float32 and got.shape == x.shape
    np.testing.assert_allclose(got, reference(x, radius, 2.0, 1e-3, beta), rtol=1e-5)


def test_defaults_are_the_blog_preset():
    x = image((6, 7, 3))
    np.testing.assert_allclose(lrn_img.lrn(x), reference(x), rtol=1e-5)
    assert np.array_equal(lrn_img.lrn(x), lrn_img.lrn(x, preset="blog"))


def test_presets_and_conventions_resolve_as_the_cli():
    x = image((5, 5, 8))
    caffe = lrn_img.lrn(x, preset="caffe-alexnet")
    np.testing.assert_allclose(caffe, reference(x, 2, 1.0, 1e-4 / 5, 0.75), rtol=1e-5)
    assert np.array_equal(caffe, lrn_img.lrn(x, convention="caffe", size=5, alpha=1e-4))
    # explicit values win over the preset's
    np.testing.assert_allclose(lrn_img.lrn(x, preset="caffe-alexnet", beta=0.5),
                               reference(x, 2, 1.0, 1e-4 / 5, 0.5), rtol=1e-5)
    np.testing.assert_allclose(lrn_img.lrn(x, preset="tf-defaults"),
                               reference(x, 5, 1.0, 1.0, 0.5), rtol=1e-5)
    # torch: an even size is channels c - N/2 .. c + (N-1)/2
    t = torch.from_numpy(x.transpose(2, 0, 1)[None].copy())
    want = F.local_response_norm(t, 4, alpha=1e-4, beta=0.75, k=1.0)[0].numpy().transpose(1, 2, 0)
    np.testing.assert_allclose(lrn_img.lrn(x, preset="torch-defaults", size=4), want, rtol=1e-5)


def test_matches_torch_nchw():
    x = torch.rand(8, 96, 27, 27) * 10
    want = F.local_response_norm(x, 5, alpha=1e-4, beta=0.75, k=1.0).numpy()
    got = lrn_img.lrn(x.numpy(), convention="torch", size=5, alpha=1e-4, beta=0.75, bias=1.0,
                      layout="nchw")
    np.testing.assert_allclose(got, want, rtol=1e-5)
    # the same tensor channel-last gives the same values
    nhwc = lrn_img.lrn(np.ascontiguousarray(x.numpy().transpose(0, 2, 3, 1)), convention="torch",
                       size=5, alpha=1e-4, layout="nhwc")
    assert np.array_equal(nhwc.transpose(0, 3, 1, 2), got)


def test_layouts_agree_bit_for_bit():
    hwc = image((13, 17, 6))
    chw = np.ascontiguousarray(hwc.transpose(2, 0, 1))
    a = lrn_img.lrn(hwc, radius=1)
    assert np.array_equal(lrn_img.lrn(chw, radius=1, layout="chw"), a.transpose(2, 0, 1))
    batch = np.stack([hwc, hwc[::-1]])
    nhwc = lrn_img.lrn(batch, radius=1, layout="nhwc")
    assert np.array_equal(nhwc[0], a)
    nchw = lrn_img.lrn(np.ascontiguousarray(batch.transpose(0, 3, 1, 2)), radius=1, layout="nchw")
    assert np.array_equal(nchw, nhwc.transpose(0, 3, 1, 2))


@pytest.mark.parametrize("layout", ["hwc", "chw", "nhwc", "nchw"])
def test_two_dimensional_is_one_channel(layout):
    x = image((5, 6))
    got = lrn_img.lrn(x, layout=layout, alpha=1e-3)
    np.testing.assert_allclose(got, x / (1 + 1e-3 * x.astype(np.float64) ** 2) ** 0.75, rtol=1e-5)


def test_empty_arrays():
    for shape, layout in (((0, 4, 3), "hwc"), ((2, 0, 5, 3), "nhwc"), ((2, 3, 4, 0), "nchw")):
        got = lrn_img.lrn(np.zeros(shape, np.float32), layout=layout)
        assert got.shape == shape and got.dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float16, np.uint8])
def test_other_dtypes_are_read_as_float32(dtype):
    x = image((7, 9, 3), dtype=dtype)  # uint8 as 0..255, as the CLI sees decoded pixels
    got = lrn_img.lrn(x)
    assert got.dtype == np.float32
    assert np.array_equal(got, lrn_img.lrn(x.astype(np.float32)))
    np.testing.assert_allclose(got, reference(x.astype(np.float32)), rtol=1e-5)


@pytest.mark.parametrize("view", [
    lambda a: a[:, ::2],                      # strided rows
    lambda a: a[::-1, :, ::-1],               # negative strides
    lambda a: a.transpose(1, 0, 2),           # transposed
    lambda a: np.asfortranarray(a),           # Fortran order
    lambda a: a[1:-1, 2:-3, :],               # a window into a bigger array
    lambda a: a.astype(np.float64)[:, ::3],   # strided float64
])
def test_strided_inputs(view):
    x = view(image((16, 20, 5)))
    assert np.array_equal(lrn_img.lrn(x), lrn_img.lrn(np.ascontiguousarray(x, np.float32)))


def test_strided_planar_input():
    x = image((2, 20, 8, 9)).transpose(0, 1, 3, 2)[:, ::2]  # (2, 10, 9, 8), nothing contiguous
    got = lrn_img.lrn(x, layout="nchw", radius=3)
    np.testing.assert_allclose(got, reference(x, 3, axis=1), rtol=1e-5)


def test_in_place_and_out():
    x = image((3, 11, 13, 5))
    want = lrn_img.lrn(x, layout="nhwc")
    y = x.copy()
    r = lrn_img.lrn(y, layout="nhwc", out=y)
    assert r is y and np.array_equal(y, want)
    out = np.empty_like(x)
    assert lrn_img.lrn(x, layout="nhwc", out=out) is out and np.array_equal(out, want)
    # an out that overlaps the input without being it: the input is read first
    buf = np.concatenate([x.ravel(), np.zeros(7, np.float32)])
    src, dst = buf[:x.size].reshape(x.shape), buf[7:].reshape(x.shape)
    assert np.array_equal(lrn_img.lrn(src, layout="nhwc", out=dst), want)
    # a strided float64 input into out
    out2 = np.empty((11, 13, 5), np.float32)
    xd = x.astype(np.float64)[1]
    lrn_img.lrn(xd, out=out2)
    assert np.array_equal(out2, want[1])


def test_threads_do_not_change_results():
    # Over 2^19 values each, so that threads split them (smaller tensors run on one thread).
    for shape, layout in (((600, 301, 3), "hwc"), ((3, 7, 300, 149), "nchw"), ((2, 180, 181, 9), "nhwc")):
        x = image(shape)
        one = lrn_img.lrn(x, layout=layout, threads=1)
        for t in (2, 3, 7, None):
            assert np.array_equal(lrn_img.lrn(x, layout=layout, threads=t), one)


def test_torch_tensor_through_numpy_without_a_copy():
    t = torch.rand(2, 16, 9, 9) * 100
    want = F.local_response_norm(t, 5, alpha=1e-4, beta=0.75, k=1.0).numpy()
    a = t.numpy()  # shares the tensor's memory
    r = lrn_img.lrn(a, layout="nchw", preset="torch-defaults", size=5, out=a)
    assert np.shares_memory(r, t.numpy())
    np.testing.assert_allclose(t.numpy(), want, rtol=1e-5)  # the tensor itself changed


ERRORS = [
    (dict(radius=-1), ValueError, "radius must be >= 0, got -1"),
    (dict(size=0, convention="torch"), ValueError, "size must be >= 1, got 0"),
    (dict(size=5), ValueError, "size belongs to convention torch, onnx or caffe; under tf give radius"),
    (dict(radius=2, convention="onnx", size=3), ValueError,
     "radius belongs to convention tf, but this run uses onnx"),
    (dict(convention="torch"), ValueError, "convention torch needs size N (the window size)"),
    (dict(convention="caffe", size=4), ValueError, "caffe takes an odd size only; torch and onnx accept an even size"),
    (dict(convention="pytorch"), ValueError, "convention 'pytorch' is not 'tf', 'torch', 'onnx' or 'caffe'"),
    (dict(preset="alexnet"), ValueError, "preset: 'alexnet' is not blog, tf-cifar10, "),
    (dict(preset="caffe-alexnet", convention="tf"), ValueError,
     "preset caffe-alexnet uses convention caffe, not tf"),
    (dict(bias=-1.0), ValueError, "bias must be a finite number >= 0, got -1"),
    (dict(alpha=float("nan")), ValueError, "alpha must be a finite number >= 0, got nan"),
    (dict(beta=float("inf")), ValueError, "beta must be a finite number, got inf"),
    (dict(bias=0.0, alpha=0.0), ValueError, "bias and alpha cannot both be 0"),
    (dict(threads=0), ValueError, "threads must be 1..1024, got 0"),
    (dict(layout="nchw"), ValueError, "layout 'nchw' needs a 4-D array (or a 2-D (H, W) one), got shape (4, 5, 3)"),
    (dict(layout="NCHW"), ValueError, "layout 'NCHW' is not 'hwc', 'chw', 'nhwc' or 'nchw'"),
    (dict(out=np.zeros((4, 5, 3), np.float64)), TypeError, "out must be a float32 array, got dtype float64"),
    (dict(out=np.zeros((4, 5, 4), np.float32)), ValueError, "out has shape (4, 5, 4), but array has shape (4, 5, 3)"),
    (dict(out=np.zeros((4, 5, 6), np.float32)[:, :, ::2]), ValueError, "out must be C-contiguous"),
    (dict(out=[0.0]), TypeError, "out must be a NumPy array, got list"),
]


@pytest.mark.parametrize("kwargs,error,message", ERRORS)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        lrn_img.lrn(image((4, 5, 3)), **kwargs)


def test_bad_arrays():
    with pytest.raises(TypeError, match=re.escape("array has dtype int32; lrn takes float32, float64, float16 or uint8")):
        lrn_img.lrn(np.zeros((4, 5, 3), np.int32))
    with pytest.raises(TypeError, match=re.escape("array must be a NumPy array, got Tensor (a CPU torch.Tensor t passes as t.numpy(), without a copy)")):
        lrn_img.lrn(torch.zeros(4, 5, 3))
    with pytest.raises(ValueError, match=re.escape("layout 'hwc' needs a 3-D array (or a 2-D (H, W) one), got shape (7,)")):
        lrn_img.lrn(np.zeros(7, np.float32))
    ro = np.zeros((4, 5, 3), np.float32)
    ro.setflags(write=False)
    with pytest.raises(ValueError, match="out is read-only"):
        lrn_img.lrn(ro, out=ro)
    with pytest.raises(TypeError):  # keywords only after the array
        lrn_img.lrn(np.zeros((4, 5, 3), np.float32), 2)
    with pytest.raises(TypeError):
        lrn_img.lrn(np.zeros((4, 5, 3), np.float32), radius=2.5)


def test_python_threads_call_it_side_by_side():
    # The GIL is released while it computes: calls from several Python threads overlap, and
    # each still gets its own array's result.
    from concurrent.futures import ThreadPoolExecutor
    xs = [image((3, 40, 41, 7)) for _ in range(8)]
    want = [lrn_img.lrn(x, layout="nhwc", threads=1) for x in xs]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda x: lrn_img.lrn(x, layout="nhwc", threads=2), xs))
    assert all(np.array_equal(g, w) for g, w in zip(got, want))
