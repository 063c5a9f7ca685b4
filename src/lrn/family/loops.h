// Internal: the family's innermost loops, compiled for x86-64-v4 (AVX-512), AVX2 and baseline
// x86-64 and picked at load time (GCC target_clones), so a portable binary still uses the
// CPU's vectors (GCC keeps 256-bit ones on v4 too, with AVX-512's masks, broadcasts and
// two-source permutes: fewer instructions per vector).
#pragma once

#include <cstddef>

namespace lrn::family::detail {

// Every clone computes the same bits: the operations are IEEE adds, multiplies, divides and
// square roots (correctly rounded in any vector width), with no FMA contraction
// (-ffp-contract=off for these files).

/// Asks for the next strip of a packed row (columns [xb, xb + (xb - xa)), C floats each) while
/// this strip is read: the windows read a tile of rows strip by strip, so each row's next piece
/// comes a whole tile later and starts a fresh page the hardware prefetcher must learn again.
inline void prefetch_next_strip(const float* row, std::size_t xa, std::size_t xb, std::size_t width,
                                std::size_t C) {
  const std::size_t end = (width < xb + (xb - xa) ? width : xb + (xb - xa)) * C;
  for (std::size_t o = xb * C; o < end; o += 16) __builtin_prefetch(row + o, 0, 2);
}

void add_into(double* dst, const double* a, const double* b, std::size_t n);  ///< dst = a + b
void add_to(double* dst, const double* b, std::size_t n);                     ///< dst += b
void squares(const float* x, double* dst, std::size_t n);                     ///< dst = x^2

void widen(const float* x, double* dst, std::size_t n);  ///< dst = x
/// Sum of v in four interleaved accumulators (i mod 4), combined as (a0 + a1) + (a2 + a3):
/// a fixed order, so any vector width gives the same bits.
double sum4(const double* v, std::size_t n);
/// Sum of (v - mean)^2 in the same four accumulators.
double centred_squares4(const double* v, double mean, std::size_t n);
/// y = float((x - mean) * inv).
void standardize(const float* x, double mean, double inv, float* y, std::size_t n);

/// y = x * f^(-1/2), x * f^(-3/4), x / f with f = float(d), d = k + a s (in double);
/// 0 where f <= 0 (or NaN). Return true when some d is outside [1e-30, 1e30] or NaN (the
/// caller redoes those). Checked on f, in float vectors: rounding is monotonic, so
/// f <= float(1e-30) or f >= float(1e30) or NaN flags every such d (and at most a few more,
/// which the caller's exact check then leaves alone).
bool pow_half(const float* x, const double* s, double k, double a, float* y, std::size_t n);
bool pow_three_quarters(const float* x, const double* s, double k, double a, float* y,
                        std::size_t n);
bool pow_one(const float* x, const double* s, double k, double a, float* y, std::size_t n);
/// The same with float sums (box_exact.h's): d = k + a * double(s[i]), the same bits.
bool pow_half(const float* x, const float* s, double k, double a, float* y, std::size_t n);
bool pow_three_quarters(const float* x, const float* s, double k, double a, float* y,
                        std::size_t n);
bool pow_one(const float* x, const float* s, double k, double a, float* y, std::size_t n);

// LCN's packed-RGB joint case (three interleaved channels, one lane), per pixel i < n:
/// dst[i] = ((0 + x0) + x1) + x2 of pixel i, in double.
void sum3(const float* x, double* dst, std::size_t n);
/// dst[i] = ((0 + v0^2) + v1^2) + v2^2 of pixel i.
void sum3_squares(const double* v, double* dst, std::size_t n);
/// v[3 i + c] = x[3 i + c] - s[i] * k_i with k_i = scale * icm[i] (icm null: k_i = scale).
void centre3(const float* x, const double* s, double scale, const double* icm, double* v,
             std::size_t n);
/// centre3, and q[i] = ((0 + v0^2) + v1^2) + v2^2 of the pixel's v (as sum3_squares);
/// v null: q only (the same q).
void centre3_squares(const float* x, const double* s, double scale, const double* icm, double* v,
                     double* q, std::size_t n);
/// out[i] = sqrt(std::max(s[i] * inside, 0.0)) * k_i with k_i = scale * icm[i] (icm null: k_i = 1).
void roots(const double* s, double inside, double scale, const double* icm, double* out,
           std::size_t n);
/// y[3 i + c] = float(v[3 i + c] * q_i), q_i = 1 / d_i where d_i = max(den[i], floor) > 0, else 0.
void divide3(const double* v, const double* den, double floor, float* y, std::size_t n);

/// roots, then divide3, in one pass (the same operations, no den buffer): per pixel
/// e = sqrt(std::max(s[i] * inside, 0.0)) * k_i (k_i as in roots), then divide3 with den[i] = e.
void roots_divide3(const double* v, const double* s, double inside, double scale, const double* icm,
                   double floor, float* y, std::size_t n);

/// LCN over one window of packed RGB, per pixel i < n, from s (2 L lanes: the window sums of x,
/// then of x^2). Pinto (joint, L = 1): num[3 i + c] = x - S1 / size,
/// den[i] = sqrt(std::max(S2 - S1 S1 / size, 0.0)) + 1e-5, or 1 where that is < t + 1e-5.
void pinto3(const float* x, const double* s, double size, double t, double* num, double* den,
            std::size_t n);
/// Pylearn2 per channel (L = 3): num[3 i + c] = x - s[6 i + c] a,
/// den[3 i + c] = sqrt(std::max(s[6 i + 3 + c] a, 0.0)) (the general path's s a / group with
/// group 1: dividing by 1 changes no bits).
void pylearn2_3(const float* x, const double* s, double a, double* num, double* den, std::size_t n);
/// Per channel packed RGB with both sums: dst[6 i + c] = x[3 i + c], dst[6 i + 3 + c] = its square.
void values_and_squares3(const float* x, double* dst, std::size_t n);
/// divide3 with one divisor per sample and a floor per channel:
/// y[3 i + c] = float(v[3 i + c] * q), q = 1 / d where d = max(den[3 i + c], floor[c]) > 0, else 0.
void divide_each3(const double* v, const double* den, const double* floor, float* y, std::size_t n);

/// Local mean subtraction of packed RGB: y[3 i + c] = float(x[3 i + c] - s[i L + l] * q_i) with
/// q_i = 1 / (mass_i * per_lane), mass_i = row_mass * col_mass[i] (col_mass null: full_mass);
/// l = c and L = 3 per channel, l = 0 and L = 1 joint.
void subtract_means3(const float* x, const double* s, bool per_channel, double row_mass,
                     const double* col_mass, double full_mass, double per_lane, float* y,
                     std::size_t n);

/// out[i] = (((0 + w[0] rows[0][i]) + w[1] rows[1][i]) + ...) over `count` rows, i < m: the
/// same adds as accumulating the rows tap by tap into a zeroed row, in one pass.
void weighted_rows(const double* const* rows, const double* w, std::size_t count, double* out,
                   std::size_t m);

/// The same weighted sum for symmetric taps (w[p] == w[n - 1 - p], n odd >= 3) and n rows:
/// s_p = rows[p][i] + rows[n - 1 - p][i], A = ((w[0] s_0 + w[2] s_2) + w[4] s_4) + ... (even
/// p < R = n / 2), B the same over odd p (absent when R = 1), out[i] = (A + B) + w[R] rows[R][i].
/// Half the multiplies and a short chain of adds; a fixed order, so every clone gives the same
/// bits.
void weighted_rows_symmetric(const double* const* rows, const double* w, std::size_t n, double* out,
                             std::size_t m);

/// weighted_rows_symmetric along one row of `lanes` values per position: rows[p] = v + p lanes
/// (the same bits; the taps at constant offsets from one pointer).
void weighted_row_symmetric(const double* v, std::size_t lanes, const double* w, std::size_t n,
                            double* out, std::size_t m);

/// weighted_rows_symmetric of rows [k, k + n) into out[k] for k < count, from n + count - 1
/// rows: each row is read once for all the outputs that use it (the same bits as count calls).
void weighted_rows_symmetric_rows(const double* const* rows, const double* w, std::size_t n,
                                  double* const* out, std::size_t count, std::size_t m);

/// Four row sums side by side: t[4 j + k] = a[k][j] + b[k][j] for j < m (k < 4). Box sums of
/// such a row with 4 L lanes are the four rows' sums with L lanes, one vector per (position,
/// lane).
void interleave4_add(const double* const* a, const double* const* b, double* t, std::size_t m);
/// The inverse: out[k][j] = t[4 j + k].
void deinterleave4(const double* t, double* const* out, std::size_t m);

/// Horizontal box sums of side n for outputs x in [sx, ex) of four interleaved rows (above),
/// `lanes` values per row and position: v holds image columns [sx - r, ex + r) (zeros outside
/// the image), 4 lanes doubles per position; see window.h for the block scheme. suf holds
/// 4 n lanes doubles, out 4 (ex - sx) lanes.
void box_sums4(const double* v, std::size_t sx, std::size_t ex, std::size_t lanes, std::size_t n,
               double* suf, double* out);

/// centre3_squares keeping each pixel's mean instead of its centred values: m[i] = s[i] k_i
/// (the mean centre3 subtracts) and q[i] as centre3_squares (the same bits); m null: q only.
void means3_squares(const float* x, const double* s, double scale, const double* icm, double* m,
                    double* q, std::size_t n);
/// roots_divide3 with v made on the fly from x and the means m of means3_squares:
/// v[3 i + c] = x[3 i + c] - m[i] (as centre3), so the same bits as centre3 then roots_divide3,
/// reading 12 + 8 bytes a pixel instead of v's 24.
void centre_roots_divide3(const float* x, const double* m, const double* s, double inside,
                          double scale, const double* icm, double floor, float* y, std::size_t n);

}  // namespace lrn::family::detail
