// Internal: box window sums of squares in exact float arithmetic, for 8-bit image data.
#pragma once

#include <cstddef>
#include <functional>

#include "lrn/family/window.h"

namespace lrn::family::detail {

/// Largest window side box_squares_exact takes: every sum and every partial sum it forms stays
/// an integer below 2^24 (float's exact range) when |x| <= kExactMaxValue: (n^2 + n) 255^2 <
/// 2^24 holds up to n = 15.
constexpr std::size_t kExactMaxSize = 15;
/// Largest |x| (and x must be an integer) the exact path takes: the values 8-bit images decode
/// to at the default pixel scale (0..255).
constexpr float kExactMaxValue = 255.0f;

/// Packed row y of the image (width * lanes floats).
using PackedRowAt = std::function<const float*(std::size_t y)>;
/// Receives the window sums of output row y, columns [x0, x1) ((x1 - x0) * lanes floats,
/// integers, valid during the call).
using EmitRowF =
    std::function<void(std::size_t y, std::size_t x0, std::size_t x1, const float* sums)>;

/// The zero-padded n x n box sums of x^2 that window_sums(box_taps(n), ...) gives for a packed
/// image (lanes values per pixel, lanes 1..4), for output rows [y0, y1), a whole row per emit
/// call (in float: each converts to window_sums' double exactly).
///
/// Where every value in the rows [y0 - r, y1 + r) is an integer with |x| <= 255 (n <= 15), every
/// square, sum and difference below is an integer under 2^24, so float arithmetic is exact and
/// the sums equal window_sums' (exact too, in double) bit for bit, whatever the order. So the
/// sums can run: a column sum per position rolls down the rows (add the row entering the
/// window, subtract the one leaving) and each row's box sum rolls along it (a vector prefix scan
/// of the column sums' differences), a constant number of float operations per value for any n
/// and no transposes.
///
/// Each row is checked as it enters the window. Returns the first output row not emitted:
/// y1 when all were; at the first row whose window holds a value that does not qualify (a
/// fraction, |x| > 255, NaN or infinity), the rows from there on are left to the caller
/// (window_sums over [returned, y1) gives them, with the same bits for the rows above).
/// Preconditions: n odd, 1 <= n <= kExactMaxSize, 1 <= lanes <= 4, y0 < y1 <= height.
std::size_t box_squares_exact(const PackedRowAt& row, std::size_t width, std::size_t height,
                              std::size_t lanes, std::size_t n, std::size_t y0, std::size_t y1,
                              const EmitRowF& emit);

}  // namespace lrn::family::detail
