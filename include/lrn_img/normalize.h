// Normalizing a tensor in memory.
#pragma once

#include <atomic>

#include "lrn_img/export.h"
#include "lrn_img/params.h"
#include "lrn_img/tensor.h"

namespace lrn_img {

/// Writes the normalization of `in` to `out`, value for value: for Method::Lrn out(n, y, x, c)
/// is computed from in(n, y, x, 0 .. channels - 1) by the formula of Resolved; for a family
/// method (params.h) from the image's neighbourhood or statistics as that method and
/// convention define it, each of the `images` on its own (per-image statistics for gcn and the
/// jarrett and pylearn2 LCN). Values are used as they are (no scaling: images in 0..255 give
/// lrn-img's results for photos).
///
/// - in and out must have the same images, height, width and channels; their layouts and
///   strides may differ (out may be channel-first when in is channel-last).
/// - out may be in itself (same data and strides): normalization in place. Any other overlap
///   between the two is refused.
/// - threads: worker threads at most, >= 1 (0: usable_cores()). Results do not depend on it.
///   LRN gives each thread at least 2^18 values (threads start per call, which would cost
///   more than a small tensor's whole normalization): below 2^19 it runs on the caller's.
/// - Results are bit-identical to lrn-img's on the same float32 values, on every CPU.
/// - A family method reads an image where it is when its channels are interleaved (column
///   stride = channels, channel stride 1) and writes it in place when out is such a view
///   apart from in; otherwise it works on a float copy of one image (input and/or output),
///   the windowed methods' neighbourhoods needing whole rows in one layout.
///
/// - cancel: when set, checked between blocks of at most 4096 pixels (by every thread); once
///   it is true, normalize stops and throws Cancelled. out then holds a mix of normalized and
///   untouched values. It may be raised from another thread or a signal handler.
///
/// Throws InvalidArgument for a geometry mismatch, a zero stride on an axis longer than 1 of
/// out, partial overlap, bad parameters (resolve()'s errors; FileError for an unreadable
/// zca_file), a Resolved for a family method not made by resolve(), or a zca whitening whose
/// size is not the tensor's channels. Nothing is written then.
LRN_IMG_API void normalize(const ConstTensorView& in, const TensorView& out, const Params& params,
                           unsigned threads = 1, const std::atomic<bool>* cancel = nullptr);
/// The same with parameters already resolved (saves resolving them on every call).
LRN_IMG_API void normalize(const ConstTensorView& in, const TensorView& out, const Resolved& params,
                           unsigned threads = 1, const std::atomic<bool>* cancel = nullptr);

/// The cores this process may use: the CPUs of its affinity mask, capped by a cgroup v2 CPU
/// quota when one is set (a container's --cpus), at least 1; what threads = 0 means here and
/// in FileOptions, and lrn-img's default for --threads. std::thread::hardware_concurrency()
/// sees neither the mask nor the quota. Reads /sys on every call (about 12 us): a caller that
/// normalizes many small tensors asks once and passes the count.
LRN_IMG_API unsigned usable_cores();

}  // namespace lrn_img
