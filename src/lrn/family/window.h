// Internal: separable n x n window sums in double, exact-order and split-independent.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace lrn::family::detail {

/// A separable window of odd size n = 2r + 1: tap w[p] weighs row offset p - r and, the same
/// again, column offset p - r, so the 2-D weight of (p, q) is w[p] * w[q].
///
/// Box windows (all taps 1) are summed with the van Herk / Gil-Werman block scheme on each
/// axis: the axis is cut into blocks of n at fixed positions (multiples of n, counted from r
/// before the image), each position keeps its suffix sum inside its block and its prefix sum
/// inside its block, and a window is one suffix plus one prefix. O(1) adds per sample for any
/// n, no subtraction (so sums of squares stay >= 0 and never drift), and every sum depends only
/// on its position, never on where a call starts: splits cannot change bits. The horizontal
/// scans take four output rows at once, side by side in one vector per position and lane
/// (the same adds in the same order as one row at a time).
/// Other taps are summed directly on each axis. Symmetric taps (w[p] == w[n - 1 - p], the
/// Gaussians) fold each pair: w[p] (x[p] + x[n - 1 - p]), summed as
/// detail::weighted_rows_symmetric states (even and odd pairs in two chains, then the centre
/// tap): R + 1 multiplies and a short chain of adds per sample and axis. Any other taps: n
/// multiply-adds, taps in order.
/// Rows and columns outside the image count as 0 (zero padding); callers divide as they need.
struct Taps {
  std::vector<double> w;
  bool box = false;
  std::size_t size() const { return w.size(); }
  std::size_t radius() const { return w.size() / 2; }
  double sum() const;
};

/// n taps of 1 (n odd >= 1).
Taps box_taps(std::size_t n);
/// torch/image gaussian1D(n) with its defaults (sigma 0.25, mean 0.5, amplitude 1):
/// g[i] = exp(-((i - (n/2 + 0.5)) / (0.25 n))^2 / 2), i = 1..n, then divided by its sum.
Taps torch_gaussian_taps(std::size_t n);
/// pylearn2 gaussian_filter's axis factor: exp(-d^2 / (2 sigma^2)), d = -r..r, divided by its
/// sum (its 2-D kernel normalised to 1 is exactly the outer product of these).
Taps sigma_gaussian_taps(std::size_t n, double sigma);

/// Sum of the taps that fall inside [0, len) for a window centred at i (the in-image mass along
/// one axis; the 2-D mass is the product of the two axes' masses).
double axis_mass(const Taps& t, std::size_t i, std::size_t len);

/// Fills dst ((x1 - x0) * lanes doubles) with the summed quantity of image row y, columns
/// [x0, x1).
using FillRow = std::function<void(std::size_t y, std::size_t x0, std::size_t x1, double* dst)>;
/// Receives the window sums of output row y, columns [x0, x1) ((x1 - x0) * lanes doubles,
/// valid during the call).
using EmitRow =
    std::function<void(std::size_t y, std::size_t x0, std::size_t x1, const double* sums)>;

/// window_sums' buffers, kept by a caller that calls it many times (sized on first use).
struct WindowScratch {
  std::vector<double> cache, block, vrow, hrow, zeros, minus_zeros, rows4, hrows4, t4, o4, suf;
  std::vector<double> weights;
  std::vector<const double*> suffix, rows;
};

/// For the output tile rows [y0, y1) x columns [x0, x1):
///   sums[(x - x0) * lanes + l] = sum over in-image (p, q) of w[p] w[q] src(y + p - r, x + q - r, l).
/// Works in tiles of at most kTileRows rows and a strip of columns small enough for the
/// caches; emit is called once per (row, strip): tiles of rows in increasing y, within a tile
/// strips in increasing x, within a strip rows in increasing y. fill is called for rows [y0 - r, y1 + r) and columns
/// [x0 - r, x1 + r), clipped to the image. Values do not depend on the tiling (fixed anchors).
void window_sums(const Taps& t, std::size_t width, std::size_t height, std::size_t lanes,
                 std::size_t y0, std::size_t y1, std::size_t x0, std::size_t x1,
                 const FillRow& fill, const EmitRow& emit, WindowScratch* scratch = nullptr);

/// Image row y of a source the caller already holds: columns [x0 - r, x1 + r) of it
/// ((x1 - x0 + 2 r) * lanes doubles, zeros outside the image), for rows [y0 - r, y1 + r)
/// clipped to the image.
using RowAt = std::function<const double*(std::size_t y)>;

/// window_sums over rows that are ready in memory: read in place, no fill (the same sums,
/// the same bits).
void window_sums_rows(const Taps& t, std::size_t height, std::size_t lanes, std::size_t y0,
                      std::size_t y1, std::size_t x0, std::size_t x1, const RowAt& row_at,
                      const EmitRow& emit, WindowScratch* scratch = nullptr);

/// Rows per tile of window_sums.
constexpr std::size_t kTileRows = 64;
/// Columns per strip for `lanes` values per pixel (about 8 KB of doubles per row).
inline std::size_t strip_columns(std::size_t lanes) { return lanes >= 64 ? 16 : 1024 / lanes; }

}  // namespace lrn::family::detail
