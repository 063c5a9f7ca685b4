#!/usr/bin/python3
"""Two lrn-img binaries (BEFORE, AFTER: e.g. main's and a branch's), interleaved in one run:
the CLI batch of bench_python.py's 32 photos (`-j 1 -t 1 --quiet`) and start-up (one process
on samples/rocket.jpg, figure 5's case). Prints medians, AFTER/BEFORE ratios and whether both
wrote the same bytes.

  PYTHONPATH=build/python /usr/bin/python3 bench/bench_cli_ab.py BEFORE AFTER [--runs 15] [--small-runs 200]
"""
import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench_python as bp  # noqa: E402  (its photos(): the same 32 files)


def timed(cmd, acc):
    """Appends (wall, CPU) seconds of one run; CPU time (user + system of the child) moves
    less than wall time on a loaded machine."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    acc.append((wall, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime))


def medians(acc):
    return statistics.median(w for w, _ in acc), statistics.median(c for _, c in acc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--small-runs", type=int, default=200)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        files, names = bp.photos(32, tmp / "in")
        (tmp / "a").mkdir()
        (tmp / "b").mkdir()
        ta, tb = [], []
        for _ in range(a.runs):
            for binary, out, acc in ((a.before, tmp / "a", ta), (a.after, tmp / "b", tb)):
                timed([binary, *map(str, files), "-O", str(out), "-j", "1", "-t", "1", "--quiet"], acc)
        same = all((tmp / "a" / f.name).read_bytes() == (tmp / "b" / f.name).read_bytes() for f in files)
        (ma, ca), (mb, cb) = medians(ta), medians(tb)
        print(f"batch of 32 photos ({', '.join(names)}) -j 1 -t 1: wall before {ma*1e3:.1f} ms, after "
              f"{mb*1e3:.1f} ms, after/before {mb/ma:.3f}; CPU {ca*1e3:.1f} -> {cb*1e3:.1f} ms, "
              f"{cb/ca:.3f} (same bytes: {same}; {a.runs} runs each)")
        rocket = str(bp.ROOT / "samples" / "rocket.jpg")
        sa, sb = [], []
        for _ in range(a.small_runs):
            timed([a.before, rocket, str(tmp / "ra.jpg")], sa)
            timed([a.after, rocket, str(tmp / "rb.jpg")], sb)
        same = (tmp / "ra.jpg").read_bytes() == (tmp / "rb.jpg").read_bytes()
        (ma, ca), (mb, cb) = medians(sa), medians(sb)
        print(f"start-up, rocket.jpg in one process: wall before {ma*1e3:.2f} ms, after {mb*1e3:.2f} ms, "
              f"after/before {mb/ma:.3f}; CPU {ca*1e3:.2f} -> {cb*1e3:.2f} ms, {cb/ca:.3f} "
              f"(same bytes: {same}; {a.small_runs} runs each)")
        print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
