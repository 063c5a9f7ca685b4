#!/usr/bin/python3
"""A chunked (N, C, H, W) dask.array through lrn_img.lrn with map_blocks: LRN mixes channels
only, so any chunking that keeps C whole computes exactly what one call on the whole array does.

    python3 examples/dask_array.py in.npy out.npy                  # a LocalCluster on this machine
    python3 examples/dask_array.py in.npy out.npy --scheduler tcp://scheduler:8786

in.npy is a float32 (N, C, H, W) array; --preset etc. go to lrn_img.lrn (default: the blog's).
"""
import argparse

import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

import lrn_img


def lrn_nchw(x, **params):
    """LRN over a (N, C, H, W) dask array, chunk by chunk (C rechunked whole if it is not)."""
    if len(x.chunks[1]) != 1:
        x = x.rechunk({1: -1})
    return x.map_blocks(lrn_img.lrn, layout="nchw", threads=1, dtype=np.float32, **params)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--scheduler", help="a running scheduler's address (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--chunk", type=int, default=4, help="images per chunk")
    ap.add_argument("--preset")
    ap.add_argument("--size", type=int)
    args = ap.parse_args()
    if args.scheduler:
        client = Client(args.scheduler)  # the only change for a cluster
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                     dashboard_address=":0"))
    with client:
        x = da.from_array(np.load(args.src, mmap_mode="r"), chunks=(args.chunk, -1, -1, -1))
        y = lrn_nchw(x, preset=args.preset, size=args.size).compute()
    np.save(args.dst, y)
    print(f"{args.dst}: {y.shape} float32")


if __name__ == "__main__":
    main()
