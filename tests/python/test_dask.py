"""The Dask examples on a distributed.LocalCluster of 2 worker processes (a real scheduler and
workers on this machine), run as scripts given the scheduler's address, as on a cluster:
dask_folder.py writes the bytes `lrn-img -R SRC -O DST` writes, and dask_array.py the array
lrn_img.lrn computes on the whole array in one call."""
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest
from distributed import LocalCluster

import lrn_img

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def scheduler():
    # Workers are new processes: they find lrn_img through PYTHONPATH, set by ctest.
    assert "lrn_img" in str(pathlib.Path(lrn_img.__file__).parent)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        assert len(cluster.workers) == 2
        yield cluster.scheduler_address


def run_example(name, *args):
    r = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)],
                       capture_output=True, text=True, timeout=120, env=os.environ)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_folder_example_writes_the_cli_bytes(tmp_path, scheduler, cli):
    src = tmp_path / "photos"
    (src / "sub").mkdir(parents=True)
    shutil.copy(ROOT / "samples/rocket.jpg", src / "rocket.jpg")
    shutil.copy(ROOT / "samples/coffee.png", src / "coffee.png")
    shutil.copy(ROOT / "samples/rocket.jpg", src / "sub/rocket2.jpg")
    shutil.copy(ROOT / "tests/data/png_rgba8.png", src / "sub/rgba.png")
    out = run_example("dask_folder.py", src, tmp_path / "dask", "--scheduler", scheduler,
                      "--preset", "caffe-alexnet")
    assert "4 images written" in out
    (tmp_path / "cli").mkdir()
    cli("-R", src, "-O", tmp_path / "cli", "-j", "1", "--preset", "caffe-alexnet", "--quiet")
    written = sorted(p.relative_to(tmp_path / "dask") for p in (tmp_path / "dask").rglob("*") if p.is_file())
    assert written == sorted(p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*") if p.is_file())
    assert len(written) == 4
    for rel in written:
        assert (tmp_path / "dask" / rel).read_bytes() == (tmp_path / "cli" / rel).read_bytes(), rel


def test_array_example_matches_one_call(tmp_path, scheduler):
    x = (np.random.default_rng(5).random((10, 24, 13, 17)) * 40).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    run_example("dask_array.py", tmp_path / "in.npy", tmp_path / "out.npy", "--scheduler", scheduler,
                "--chunk", "3", "--preset", "torch-defaults", "--size", "5")
    got = np.load(tmp_path / "out.npy")
    want = lrn_img.lrn(x, layout="nchw", preset="torch-defaults", size=5)
    assert got.dtype == np.float32 and np.array_equal(got, want)


def test_map_blocks_with_chunks_across_h_and_w(scheduler):
    import dask.array as da
    from distributed import Client
    sys.path.insert(0, str(EXAMPLES))
    from dask_array import lrn_nchw
    x = (np.random.default_rng(6).random((4, 10, 20, 22)) * 40).astype(np.float32)
    with Client(scheduler) as client:
        # C split on purpose: lrn_nchw rechunks it whole
        y = client.compute(lrn_nchw(da.from_array(x, chunks=(2, 3, 7, 11)), radius=3)).result()
    assert np.array_equal(y, lrn_img.lrn(x, layout="nchw", radius=3))
