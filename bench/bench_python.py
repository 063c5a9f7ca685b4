#!/usr/bin/python3
"""The Python module's figures, side by side in one run, one thread (issue 12):

1. lrn_img.lrn vs torch.nn.functional.local_response_norm on (8, 96, 55, 55) NCHW float32
   (torch convention, size 5): time ratio and the largest relative difference.
2. Call overhead: lrn_img.lrn on a (224, 224, 3) float32 array vs numpy.copy of it; the
   target is lrn <= 1.5 x copy + 20 us.
3. process_file(..., threads=1) over 32 photos in one Python process vs one CLI batch
   `lrn-img FILES -O DIR -j 1 -t 1` on the same files (target <= 1.05x).
4. Dask: 64 photos through client.map(process_file, threads=1) on a LocalCluster of 2 workers
   vs 1 worker (one thread each): throughput ratio (target >= 1.6x). Cluster start-up is not
   timed; each run follows a warm-up.

Each pair is timed interleaved (A, B, A, B, ...) and the medians compared.
Usage: PYTHONPATH=build/python bench/bench_python.py build/lrn-img [--runs N]
Not a test: nothing is asserted.
"""
import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

import lrn_img

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLE_DIRS = [ROOT / "samples", ROOT.parent / "shared" / "samples", pathlib.Path("/work/shared/samples")]


def interleaved(a, b, runs):
    ta, tb = [], []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def photos(n, folder):
    """n photos in folder, copies of the project's samples (JPEG and PNG, not the LRN outputs)."""
    seen, src = set(), []
    for d in SAMPLE_DIRS:
        for p in sorted(d.glob("*")) if d.is_dir() else []:
            if p.suffix in (".jpg", ".png") and "lrn" not in p.name and p.name not in seen:
                seen.add(p.name)
                src.append(p)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        s = src[i % len(src)]
        f = folder / f"{i:03d}{s.suffix}"
        shutil.copy(s, f)
        files.append(f)
    return files, [s.name for s in src]


def bench_torch(runs):
    torch.set_num_threads(1)
    x = torch.rand((8, 96, 55, 55), generator=torch.Generator().manual_seed(1)) * 100 - 50
    a = x.numpy()
    out = np.empty_like(a)
    res = {}
    ours = lambda: lrn_img.lrn(a, layout="nchw", convention="torch", size=5, alpha=1e-4, beta=0.75, bias=1.0, threads=1, out=out)
    theirs = lambda: res.__setitem__("t", F.local_response_norm(x, 5, alpha=1e-4, beta=0.75, k=1.0))
    t_ours, t_torch = interleaved(ours, theirs, runs)
    ours()
    diff = np.max(np.abs(out - res["t"].numpy()) / np.maximum(np.abs(res["t"].numpy()), 1e-30))
    print(f"| lrn_img.lrn vs torch local_response_norm, (8, 96, 55, 55) NCHW | {t_ours*1e3:.2f} ms | "
          f"{t_torch*1e3:.2f} ms | **{t_torch/t_ours:.1f}x faster** (max rel diff {diff:.1e}) | >= 5x |")


def bench_overhead(runs):
    x = (np.random.default_rng(2).random((224, 224, 3)) * 255).astype(np.float32)
    reps = 200
    def ours():
        for _ in range(reps):
            lrn_img.lrn(x, threads=1)
    def copy():
        for _ in range(reps):
            np.copy(x)
    t_ours, t_copy = interleaved(ours, copy, runs)
    t_ours, t_copy = t_ours / reps, t_copy / reps
    bound = 1.5 * t_copy + 20e-6
    print(f"| lrn_img.lrn, (224, 224, 3) float32 | {t_ours*1e6:.0f} us | numpy.copy {t_copy*1e6:.0f} us | "
          f"**{t_ours/t_copy:.2f}x copy = {t_ours/bound:.2f}x the bound** (1.5 x copy + 20 us = {bound*1e6:.0f} us) | <= 1x the bound |")


def bench_files(binary, runs, tmp):
    files, names = photos(32, tmp / "in")
    outp, outc = tmp / "py", tmp / "cli"
    outp.mkdir()
    outc.mkdir()
    def py():
        for f in files:
            lrn_img.process_file(f, outp / f.name, threads=1)
    def cli():
        subprocess.run([binary, *map(str, files), "-O", str(outc), "-j", "1", "-t", "1", "--quiet"], check=True)
    t_py, t_cli = interleaved(py, cli, runs)
    same = all((outp / f.name).read_bytes() == (outc / f.name).read_bytes() for f in files)
    print(f"| process_file(threads=1), 32 photos ({', '.join(names)}) | {t_py*1e3:.0f} ms | CLI -j 1 -t 1 "
          f"{t_cli*1e3:.0f} ms | **{t_py/t_cli:.3f}x** (same bytes: {same}) | <= 1.05x |")


def bench_dask(binary, runs, tmp):
    from distributed import Client, LocalCluster
    files, _ = photos(64, tmp / "dask-in")
    srcs = [str(f) for f in files]
    times = {}
    for workers in (1, 2):
        out = tmp / f"dask-out{workers}"
        out.mkdir()
        dsts = [str(out / f.name) for f in files]
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            def once():
                client.gather(client.map(lrn_img.process_file, srcs, dsts, threads=1, pure=False))
            once()  # warm-up: workers import lrn_img
            ts = []
            for _ in range(runs):
                t0 = time.perf_counter()
                once()
                ts.append(time.perf_counter() - t0)
            times[workers] = statistics.median(ts)
    print(f"| Dask, 64 photos, LocalCluster 2 workers vs 1 (nthreads=1, threads=1) | {times[2]*1e3:.0f} ms | "
          f"1 worker {times[1]*1e3:.0f} ms | **{times[1]/times[2]:.2f}x throughput** | >= 1.6x |")
    # The machine's own ceiling at this moment: the CLI's -j 2 vs -j 1 on the same files.
    out = tmp / "cli-j"
    out.mkdir()
    cli = lambda j: subprocess.run([binary, *srcs, "-O", str(out), "-j", str(j), "-t", "1", "--quiet"], check=True)
    t1, t2 = interleaved(lambda: cli(1), lambda: cli(2), runs)
    print(f"| (info) the same 64 photos, CLI -j 2 -t 1 vs -j 1 -t 1 (what the machine allows now) | {t2*1e3:.0f} ms | "
          f"-j 1 {t1*1e3:.0f} ms | {t1/t2:.2f}x throughput | |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--only", default="torch,overhead,files,dask")
    a = ap.parse_args()
    only = a.only.split(",")
    print(f"lrn_img {lrn_img.__version__}, torch {torch.__version__}, numpy {np.__version__}, "
          f"{a.runs} interleaved runs, medians, load average {os.getloadavg()[0]:.1f}\n")
    print("| case | lrn_img | reference | ratio | target |")
    print("|---|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        if "torch" in only:
            bench_torch(a.runs)
        if "overhead" in only:
            bench_overhead(a.runs)
        if "files" in only:
            bench_files(a.binary, a.runs, tmp)
        if "dask" in only:
            bench_dask(a.binary, max(3, a.runs // 2), tmp)


if __name__ == "__main__":
    main()
