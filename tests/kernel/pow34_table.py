#!/usr/bin/python3
"""beta 0.75's table (src/lrn/plan.h, kPow34Poly and kPow34Scale): how it was made, and a check.

  pow34_table.py PLAN_H          checks the table in PLAN_H (a ctest)
  pow34_table.py --fit           prints a freshly fitted table, as pasted into plan.h

The check reads the table from plan.h and evaluates d^-0.75 exactly as the kernel does (float32
rounding after every operation, no fused multiply-add; NumPy's float32 arithmetic rounds each
operation), for every float mantissa and each of the four exponent residues (the factor's
error depends on nothing else), and compares with float64's d ** -0.75:
  - worst relative error <= 1.9e-7 (2.2 ulp; the sqrt/div form it replaced: 2.1e-7, 3.1 ulp);
  - d = 2^(4k) gives 2^(-3k) exactly, so alpha 0 with bias 1 is the identity, bit for bit.
The fit: per sixteenth j of [1, 2), a cubic in u = m - (1 + j/16) for m^-0.75, near-minimax in
relative error (least squares reweighted by Lawson's rule), c0 rounded to float first (1 exactly
for j = 0) and c1..c3 refitted around it, then rounded to float.
"""
import re
import sys

import numpy as np

N = 16


def _weighted_fit(u, g, cols, target, iters=30):
    """c minimising max |cols @ c / g - target| (approximately), for relative error."""
    w = np.ones_like(u)
    for _ in range(iters):
        c, *_ = np.linalg.lstsq(cols / g[:, None] * w[:, None], target * w, rcond=None)
        resid = np.abs(cols @ c / g - target)
        w = w * (resid + 1e-30) ** 0.5
        w /= w.max()
    return c


def fit():
    table = np.zeros((4, N), dtype=np.float32)
    for j in range(N):
        u = np.linspace(0, 1.0 / N, 4001)
        g = (1 + j / N + u) ** -0.75
        powers = np.vander(u, 4, increasing=True)
        c = _weighted_fit(u, g, powers, np.ones_like(u))
        c0 = np.float32(1.0) if j == 0 else np.float32(c[0])
        rest = _weighted_fit(u, g, powers[:, 1:], 1 - float(c0) / g)
        table[:, j] = [c0] + [np.float32(x) for x in rest]
    scale = np.array([2.0 ** (((1 + k) & 3) / 4) for k in range(N)], dtype=np.float32)
    return table, scale


def hexf(v):
    s = float(v).hex()
    s = re.sub(r"(0x1\.[0-9a-f]*?)0+p", r"\1p", s).replace("0x1.p", "0x1p")
    return s + "f"


def print_table(table, scale):
    print("alignas(64) inline constexpr float kPow34Poly[4][16] = {")
    for k in range(4):
        vals = [hexf(v) for v in table[k]]
        rows = [", ".join(vals[i:i + 4]) for i in range(0, N, 4)]
        print("    {" + ",\n     ".join(rows) + "},")
    print("};")
    vals = ", ".join(hexf(v) for v in scale[:4])
    print("alignas(64) inline constexpr float kPow34Scale[16] = {\n    " +
          ",\n    ".join([vals] * 4) + "};")


def read_table(path):
    text = open(path).read()

    def floats(name):
        m = re.search(name + r"\[[^=]*=\s*\{(.*?)\};", text, re.S)
        if not m:
            sys.exit(f"pow34_table: {name} not found in {path}")
        return [float.fromhex(x) for x in re.findall(r"-?0x[0-9a-fA-F.]+p[-+]?\d+", m.group(1))]

    poly = np.array(floats("kPow34Poly"), dtype=np.float64)
    scale = np.array(floats("kPow34Scale"), dtype=np.float64)
    if poly.size != 4 * N or scale.size != N:
        sys.exit(f"pow34_table: expected 64 + 16 numbers, found {poly.size} + {scale.size}")
    t32 = poly.astype(np.float32).reshape(4, N)
    if not np.array_equal(t32.astype(np.float64).ravel(), poly):
        sys.exit("pow34_table: a coefficient is not a float")
    return t32, scale.astype(np.float32)


def factor(table, scale, bits):
    """The kernel's steps (pow_hwy-inl.h ThreeQuartersPoly, kernel_scalar.cpp three_quarters)."""
    j = (bits >> np.uint32(19)) & np.uint32(15)
    e = bits >> np.uint32(23)
    u = ((bits & np.uint32(0x7FFFF)) | np.uint32(0x3F800000)).view(np.float32) - np.float32(1)
    p = ((table[3][j] * u + table[2][j]) * u + table[1][j]) * u + table[0][j]
    f = p * scale[e & np.uint32(15)]
    q = (np.int64(381) - 3 * e.astype(np.int64)) // 4
    return (f.view(np.int32) + (q.astype(np.int32) << 23)).view(np.float32)


def check(path):
    table, scale = read_table(path)
    mant = np.arange(1 << 23, dtype=np.uint32)
    worst = 0.0
    failures = 0
    # The error depends on the exponent only through its residue mod 4; the extremes of the
    # range are checked too (the 2^q step must stay exact there).
    for e in (1, 2, 3, 4, 126, 127, 128, 129, 251, 252, 253, 254):
        bits = (np.uint32(e) << np.uint32(23)) | mant
        d = bits.view(np.float32).astype(np.float64)
        got = factor(table, scale, bits).astype(np.float64)
        rel = np.abs(got / d ** -0.75 - 1)
        worst = max(worst, float(rel.max()))
        if not np.all(np.isfinite(got)) or rel.max() > 1.9e-7:
            print(f"FAIL exponent {e}: worst relative error {rel.max():.3g}")
            failures += 1
    for k in range(-31, 32):
        d = np.float32(2.0 ** (4 * k))
        got = factor(table, scale, np.array([d]).view(np.uint32))[0]
        if got != np.float32(2.0 ** (-3 * k)):
            print(f"FAIL d = 2^{4 * k}: {got!r}, want 2^{-3 * k}")
            failures += 1
    print(f"d^-0.75 over every mantissa and exponent residue: worst relative error {worst:.3g}")
    if failures:
        sys.exit(f"pow34_table: {failures} failures")
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--fit":
        print_table(*fit())
    elif len(sys.argv) == 2:
        check(sys.argv[1])
    else:
        sys.exit(__doc__)
