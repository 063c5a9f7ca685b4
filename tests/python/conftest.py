"""Shared set-up for the lrn_img tests: the module from the build (PYTHONPATH, set by ctest),
the CLI binary ($LRN_IMG_BINARY) and the samples. A missing reference package fails, it
does not skip."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def cli():
    binary = os.environ.get("LRN_IMG_BINARY")
    assert binary, "set LRN_IMG_BINARY to the lrn-img binary (ctest does)"

    def run(*args):
        r = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    return run


@pytest.fixture(scope="session")
def sample():
    return SAMPLES / "rocket.jpg"
