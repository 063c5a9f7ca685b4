// Strided views of float32 tensors in the four layouts frameworks store feature maps in.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lrn_img/export.h"

namespace lrn_img {

/// The order of a tensor's axes. Channel-last (HWC, NHWC) is what TensorFlow and image
/// decoders use; channel-first (CHW, NCHW) what PyTorch, ONNX and Caffe use. Normalization
/// runs across the channel axis in every layout; nothing is transposed.
enum class Layout { Hwc, Chw, Nhwc, Nchw };

/// "hwc", "chw", "nhwc", "nchw".
LRN_IMG_API const char* layout_name(Layout l);

/// A view of float32 values owned elsewhere (a NumPy array, a torch tensor's storage, your
/// buffer): no copy is made and nothing is freed.
///
/// The geometry is stated once, layout-independently: `images` x `height` x `width` x
/// `channels` (a 3-D layout has images == 1), and the strides of the four axes in elements
/// (not bytes), any sign, any order: value (n, y, x, c) is at
///   data[n * image_stride + y * row_stride + x * column_stride + c * channel_stride].
/// Strides may describe padding, a crop or a transposed array. make_view() fills them for a
/// C-contiguous array of the layout's shape.
template <class T>
struct BasicView {
  T* data = nullptr;
  Layout layout = Layout::Hwc;
  std::size_t images = 1, height = 0, width = 0, channels = 0;
  std::ptrdiff_t image_stride = 0, row_stride = 0, column_stride = 0, channel_stride = 0;
};
using TensorView = BasicView<float>;             ///< written to
using ConstTensorView = BasicView<const float>;  ///< read from

/// The C-contiguous view of `data` with shape `dims` under `layout`: (H, W, C) for Hwc,
/// (C, H, W) for Chw, (N, H, W, C) for Nhwc, (N, C, H, W) for Nchw. `rank` must be 3 or 4 as
/// the layout says; throws InvalidArgument otherwise.
LRN_IMG_API TensorView make_view(float* data, Layout layout, const std::size_t* dims,
                                 std::size_t rank);
LRN_IMG_API ConstTensorView make_view(const float* data, Layout layout, const std::size_t* dims,
                                      std::size_t rank);

/// A mutable view seen as a const one.
inline ConstTensorView as_const(const TensorView& v) {
  return ConstTensorView{v.data,          v.layout,        v.images,       v.height,
                         v.width,         v.channels,      v.image_stride, v.row_stride,
                         v.column_stride, v.channel_stride};
}

}  // namespace lrn_img
