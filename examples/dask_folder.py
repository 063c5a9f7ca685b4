#!/usr/bin/python3
"""A folder of images through lrn_img.process_file on a Dask cluster: one task per image,
outputs mirrored under DST as `lrn-img -R SRC -O DST` writes them.

    python3 examples/dask_folder.py photos out                    # a LocalCluster on this machine
    python3 examples/dask_folder.py photos out --scheduler tcp://scheduler:8786   # a real cluster

On a cluster every worker needs lrn_img (the .deb, or PYTHONPATH) and sees SRC and DST at the
same paths (a shared file system). Extra options go to process_file: --preset caffe-alexnet.
"""
import argparse
import pathlib

from dask.distributed import Client, LocalCluster

import lrn_img

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".npy"}


def plan(src, dst):
    """(input, output) path pairs for every image under src, in a stable order."""
    src, dst = pathlib.Path(src), pathlib.Path(dst)
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    return [(str(p), str(dst / p.relative_to(src))) for p in files]


def run(client, src, dst, **options):
    """Processes every image under src on the client's workers; returns how many."""
    pairs = plan(src, dst)
    for _, out in pairs:
        pathlib.Path(out).parent.mkdir(parents=True, exist_ok=True)
    futures = client.map(lrn_img.process_file, [i for i, _ in pairs], [o for _, o in pairs],
                         pure=False, **options)
    client.gather(futures)  # re-raises the first failure (OSError, ValueError) here
    return len(pairs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--scheduler", help="a running scheduler's address (default: a LocalCluster)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--threads", type=int, default=1, help="threads inside one image")
    ap.add_argument("--preset")
    args = ap.parse_args()
    if args.scheduler:
        client = Client(args.scheduler)  # the only change for a cluster
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                     dashboard_address=":0"))
    with client:
        n = run(client, args.src, args.dst, threads=args.threads, preset=args.preset)
    print(f"{n} images written under {args.dst}")


if __name__ == "__main__":
    main()
