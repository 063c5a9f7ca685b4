"""lrn_img.process_file against the CLI (byte-identical outputs), its errors; describe_params
against `lrn-img --print-params`; __version__ against `lrn-img --version`."""
import pathlib
import re
import warnings

import numpy as np
import pytest

import lrn_img

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "samples"
DATA = pathlib.Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("ext,py_kwargs,cli_args", [
    (".jpg", {}, []),
    (".png", {}, []),
    (".npy", {}, []),
    (".jpg", dict(preset="caffe-alexnet", quality=75), ["--preset", "caffe-alexnet", "-q", "75"]),
    (".png", dict(rescale=True, radius=1, alpha=1e-3), ["--rescale", "-r", "1", "-a", "0.001"]),
    (".npy", dict(pixel_scale=1, dtype="float16"), ["--pixel-scale", "1", "--dtype", "f16"]),
    (".png", dict(convention="torch", size=4, beta=0.5), ["--convention", "torch", "--size", "4", "-b", "0.5"]),
])
@pytest.mark.parametrize("threads", [1, 2])
def test_process_file_writes_the_cli_bytes(tmp_path, cli, sample, ext, py_kwargs, cli_args, threads):
    cli(sample, tmp_path / ("cli" + ext), "-t", threads, *cli_args)
    lrn_img.process_file(sample, tmp_path / ("py" + ext), threads=threads, **py_kwargs)
    assert (tmp_path / ("py" + ext)).read_bytes() == (tmp_path / ("cli" + ext)).read_bytes()


def test_process_file_npy_tensor_with_layout(tmp_path, cli):
    x = (np.random.default_rng(3).random((2, 6, 9, 10)) * 50).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    cli(tmp_path / "in.npy", tmp_path / "cli.npy", "--layout", "nchw", "--preset", "caffe-alexnet")
    lrn_img.process_file(str(tmp_path / "in.npy"), str(tmp_path / "py.npy"), layout="nchw",
                         preset="caffe-alexnet")
    assert (tmp_path / "py.npy").read_bytes() == (tmp_path / "cli.npy").read_bytes()
    # and lrn on the array gives the same values
    assert np.array_equal(np.load(tmp_path / "py.npy"), lrn_img.lrn(x, layout="nchw", preset="caffe-alexnet"))


def test_process_file_format_keyword(tmp_path, cli, sample):
    cli(sample, tmp_path / "cli.png")
    lrn_img.process_file(sample, tmp_path / "out.tmp", format="png")
    assert (tmp_path / "out.tmp").read_bytes() == (tmp_path / "cli.png").read_bytes()


def test_process_file_warnings(tmp_path):
    # a CMYK JPEG is converted, with a warning (an error under strict=True)
    with pytest.warns(RuntimeWarning, match="CMYK"):
        lrn_img.process_file(DATA / "jpeg_cmyk.jpg", tmp_path / "o.png")
    with pytest.raises(OSError, match="CMYK"):
        lrn_img.process_file(DATA / "jpeg_cmyk.jpg", tmp_path / "strict.png", strict=True)
    assert not (tmp_path / "strict.png").exists()


def test_process_file_keep_metadata(tmp_path, cli):
    # keep_metadata is --keep-metadata: the same bytes; without it, none of the EXIF or ICC
    from PIL import Image, ImageCms
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = Image.Exif()
    exif[0x010F] = "lrn-img test"  # Make
    exif[0x0112] = 6  # Orientation
    src = tmp_path / "in.jpg"
    Image.new("RGB", (40, 30), (90, 120, 150)).save(src, exif=exif.tobytes(), icc_profile=icc)
    cli(src, tmp_path / "cli.png", "--keep-metadata")
    lrn_img.process_file(src, tmp_path / "py.png", keep_metadata=True)
    assert (tmp_path / "py.png").read_bytes() == (tmp_path / "cli.png").read_bytes()
    with Image.open(tmp_path / "py.png") as im:
        assert im.info["icc_profile"] == icc
        assert im.getexif()[0x010F] == "lrn-img test"
        assert im.getexif()[0x0112] == 1  # applied, so reset
    lrn_img.process_file(src, tmp_path / "none.png")
    with Image.open(tmp_path / "none.png") as im:
        assert "icc_profile" not in im.info and len(im.getexif()) == 0
    with pytest.warns(RuntimeWarning, match="dropped"):
        lrn_img.process_file(src, tmp_path / "o.npy", keep_metadata=True)


FILE_ERRORS = [
    (dict(), "missing.jpg", "o.jpg", OSError, "cannot read 'missing.jpg': no such file or directory"),
    (dict(), "sample", "o.gif", ValueError, "cannot tell the output format of dst"),
    (dict(format="png"), "sample", "o.jpg", ValueError, "format 'png' contradicts dst"),
    (dict(format="gif"), "sample", "o", ValueError, "format 'gif' is not 'jpg', 'png' or 'npy'"),
    (dict(quality=80), "sample", "o.png", ValueError, "quality applies to JPEG output"),
    (dict(quality=0), "sample", "o.jpg", ValueError, "quality: 0 is not in 1..100"),
    (dict(rescale=True), "sample", "o.npy", ValueError, "rescale applies to JPEG and PNG output"),
    (dict(pixel_scale=2), "sample", "o.jpg", ValueError, "pixel_scale: 2 is not 255 or 1"),
    (dict(dtype="f16"), "sample", "o.jpg", ValueError, "dtype applies to .npy output"),
    (dict(lenient=True, strict=True), "sample", "o.jpg", ValueError, "lenient and strict contradict"),
    (dict(layout="chw"), "sample", "o.jpg", ValueError, "layout applies to .npy input, and"),
    (dict(max_pixels=1000), "sample", "o.jpg", OSError, "pixels"),
    (dict(radius=-2), "sample", "o.jpg", ValueError, "radius must be >= 0, got -2"),
    (dict(threads=2000), "sample", "o.jpg", ValueError, "threads must be 1..1024, got 2000"),
]


@pytest.mark.parametrize("kwargs,src,dst,error,message", FILE_ERRORS)
def test_process_file_errors(tmp_path, sample, kwargs, src, dst, error, message):
    src = sample if src == "sample" else src
    with pytest.raises(error, match=re.escape(message)):
        lrn_img.process_file(src, tmp_path / dst, **kwargs)
    assert not (tmp_path / dst).exists()  # no partial output
    with pytest.raises(TypeError, match="dst must be a path"):
        lrn_img.process_file(sample, 3)


def print_params(text):
    """`lrn-img --print-params` as describe_params' dict."""
    lines = text.splitlines()
    m = re.match(r"window: (\d+) channel\(s\) before c, (\d+) after c", lines[0])
    d = {"before": int(m[1]), "after": int(m[2])}
    for line in lines[2:]:
        f = line.split()
        if f[1] == "n/a":
            d[f[0]] = None
        else:
            d[f[0]] = {f[1].lstrip("-"): int(f[2]), "bias": float(f[3]), "alpha": float(f[4]),
                       "beta": float(f[5])}
    return d


@pytest.mark.parametrize("kwargs,args", [
    ({}, []),
    (dict(preset="caffe-alexnet"), ["--preset", "caffe-alexnet"]),
    (dict(convention="torch", size=4), ["--convention", "torch", "--size", "4"]),
    (dict(convention="onnx", size=6, alpha=3e-4, bias=2), ["--convention", "onnx", "--size", "6", "-a", "3e-4", "-k", "2"]),
    (dict(radius=0, beta=1), ["-r", "0", "-b", "1"]),
    (dict(preset="tf-defaults"), ["--preset", "tf-defaults"]),
])
def test_describe_params_is_print_params(cli, kwargs, args):
    want = print_params(cli("--print-params", *args))
    got = lrn_img.describe_params(**kwargs)
    assert got.keys() == want.keys()
    for k, v in want.items():
        if isinstance(v, dict):
            assert got[k].keys() == v.keys()
            for kk in v:  # the CLI prints 6 significant digits
                assert got[k][kk] == pytest.approx(v[kk], rel=1e-5)
        else:
            assert got[k] == v


def test_describe_params_errors():
    with pytest.raises(ValueError, match=re.escape("convention torch needs size N")):
        lrn_img.describe_params(convention="torch")


def test_version(cli):
    assert cli("--version").strip() == "lrn-img " + lrn_img.__version__


def test_errors_keep_their_data(tmp_path, sample):
    with pytest.raises(lrn_img.FileError) as e:
        lrn_img.process_file(tmp_path / "missing.jpg", tmp_path / "o.jpg")
    assert isinstance(e.value, OSError)
    assert e.value.filename == str(tmp_path / "missing.jpg")
    assert str(e.value) == f"cannot read '{tmp_path / 'missing.jpg'}': no such file or directory"
    with pytest.raises(lrn_img.LimitExceeded) as e:
        lrn_img.process_file(sample, tmp_path / "o.jpg", max_pixels=1000)
    w, h = 640, 427  # samples/rocket.jpg
    assert (e.value.filename, e.value.limit, e.value.value, e.value.maximum) == (str(sample), "max_pixels", w * h, 1000)
    assert "max_pixels" in str(e.value) and "--max-pixels" not in str(e.value)
    with pytest.raises(ValueError) as e:
        lrn_img.lrn(np.zeros((2, 2, 3), np.float32), convention="torch", size=5, radius=2)
    assert (e.value.parameter, e.value.value) == ("radius", "2")


def test_ctrl_c_stops_process_file_and_writes_nothing(tmp_path):
    # src is a pipe fed slowly (64 KiB every 10 ms, 8 MiB in all) by a thread that sends
    # SIGINT after the first 256 KiB: the call checks for signals every 50 ms, so it raises
    # KeyboardInterrupt long before the writer is done, and the output is not written.
    import os, signal, threading, time
    x = np.ones((1024, 1024, 2), np.float32)
    np.save(tmp_path / "in.npy", x)
    data = (tmp_path / "in.npy").read_bytes()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    written = [0]

    def feed():
        try:
            with open(fifo, "wb") as f:
                for at in range(0, len(data), 1 << 16):
                    f.write(data[at:at + (1 << 16)])
                    f.flush()
                    written[0] = at + (1 << 16)
                    if at == 1 << 18:
                        os.kill(os.getpid(), signal.SIGINT)
                    time.sleep(0.01)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lrn_img.process_file(fifo, tmp_path / "out.npy", threads=1)
    finally:
        writer.join()
    assert not (tmp_path / "out.npy").exists()
    assert written[0] < len(data)  # stopped reading: the writer's pipe broke


def test_process_file_returns_the_report(tmp_path, cli):
    # An (N, H, W, C) batch: the shape, and per image the statistics as numpy computes them
    # from the input and from the float32 output file (output stats are before any rounding).
    x = (np.random.default_rng(5).random((2, 3, 4, 6)) * 300 - 20).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    r = lrn_img.process_file(tmp_path / "in.npy", tmp_path / "out.npy", layout="nhwc", stats=True)
    y = np.load(tmp_path / "out.npy").astype(np.float64)
    assert {k: r[k] for k in ("input_format", "output_format", "width", "height", "channels",
                              "images", "batch", "warnings")} == dict(
        input_format="npy", output_format="npy", width=4, height=3, channels=6, images=2,
        batch=True, warnings=0)
    assert len(r["stats"]) == 2
    for i, s in enumerate(r["stats"]):
        for side, v in (("input", x[i].astype(np.float64)), ("output", y[i])):
            np.testing.assert_allclose(s[side]["min"], v.min(axis=(0, 1)), rtol=1e-6)
            np.testing.assert_allclose(s[side]["max"], v.max(axis=(0, 1)), rtol=1e-6)
            np.testing.assert_allclose(s[side]["mean"], v.mean(axis=(0, 1)), rtol=1e-6, atol=1e-9)
    # the same numbers `lrn-img --json` prints for the file
    import json
    line = json.loads(cli(tmp_path / "in.npy", "-O", tmp_path, "--suffix", "-cli", "--layout", "nhwc",
                          "--json"))
    assert line["stats"] == r["stats"]
    # without stats=True: no statistics; an image's formats and the warnings counted
    with pytest.warns(RuntimeWarning, match="CMYK"):
        r = lrn_img.process_file(DATA / "jpeg_cmyk.jpg", tmp_path / "o.webp")
    assert "stats" not in r
    assert (r["input_format"], r["output_format"], r["channels"], r["images"], r["batch"],
            r["warnings"]) == ("jpg", "webp", 3, 1, False, 1)
