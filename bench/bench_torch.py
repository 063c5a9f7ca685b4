#!/usr/bin/python3
"""torch.nn.functional.local_response_norm on (N, C, 55, 55) float32, one thread, both memory
formats (contiguous NCHW and channels_last NHWC), as a ratio to a memcpy of the same bytes
timed interleaved in the same process (torch's own copy_, which is a memcpy for contiguous
tensors). Size 5, alpha 1e-4 (torch divides by the size), beta 0.75, k 1: the LRN bench_dnnl
times, so bench_tensors.sh can put the two x-memcpy figures side by side.

Usage: bench_torch.py [--runs N] [--images N] [--channels 3,16,96,256]
Prints one markdown row per case. Not a test: nothing is asserted.
"""
import argparse
import statistics
import time

import torch


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--images", type=int, default=8)
    ap.add_argument("--channels", default="3,16,96,256")
    a = ap.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, one thread, {a.runs} runs, ({a.images}, C, 55, 55) float32\n")
    print("| C | layout | memcpy ms | torch ms | torch x memcpy |")
    print("|---:|---|---:|---:|---:|")
    g = torch.Generator().manual_seed(42)
    for c in (int(v) for v in a.channels.split(",")):
        x = torch.rand((a.images, c, 55, 55), generator=g) * 100 - 50
        for layout in ("nchw", "nhwc"):
            fmt = torch.contiguous_format if layout == "nchw" else torch.channels_last
            xi = x.contiguous(memory_format=fmt)
            out = torch.empty_like(xi)
            def lrn():
                return torch.nn.functional.local_response_norm(xi, 5, alpha=1e-4, beta=0.75, k=1.0)
            lrn()
            out.copy_(xi)
            t_copy, t_lrn = [], []
            for _ in range(a.runs):
                t_copy.append(timed(lambda: out.copy_(xi)))
                t_lrn.append(timed(lrn))
            mc, ml = statistics.median(t_copy), statistics.median(t_lrn)
            print(f"| {c} | {layout} | {mc:.3f} | {ml:.3f} | {ml / mc:.2f} |", flush=True)


if __name__ == "__main__":
    main()
