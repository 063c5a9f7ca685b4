// Tensor layouts: how an array's axes map to images, rows, columns and channels. Shared by the
// .npy codec, the pipeline and (to come) the public strided-view API and the Python module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lrn {

/// The four orders frameworks store feature maps in. TensorFlow holds tensors channel-last
/// (HWC, NHWC: a pixel's channels are adjacent, what image decoders produce); PyTorch, ONNX,
/// Caffe, OpenCV's dnn module and oneDNN's default hold them channel-first (CHW, NCHW: one
/// plane of H*W values per channel). LRN runs across the channel axis in both; neither is
/// transposed into the other (the kernel has an interleaved and a planar form).
enum class Layout { Hwc, Chw, Nhwc, Nchw };

/// "hwc", "chw", "nhwc", "nchw".
const char* layout_name(Layout l);
/// The inverse of layout_name (lower case only); nullopt for anything else.
std::optional<Layout> parse_layout(const std::string& name);

/// Channel planes (CHW, NCHW) rather than interleaved channels (HWC, NHWC).
inline bool is_planar(Layout l) { return l == Layout::Chw || l == Layout::Nchw; }
/// A leading batch axis N (NHWC, NCHW).
inline bool has_batch(Layout l) { return l == Layout::Nhwc || l == Layout::Nchw; }

/// An array's geometry as LRN sees it: `images` images of height x width pixels with
/// `channels` values each, channel-last or planar. `dims` is the array's own shape, which an
/// output that keeps the input's shape writes back unchanged.
struct TensorShape {
  std::size_t images = 1, height = 0, width = 0, channels = 1;
  bool planar = false;
  std::vector<std::uint64_t> dims;

  std::size_t pixels() const { return height * width; }             ///< per image
  std::size_t image_values() const { return pixels() * channels; }  ///< per image
  std::size_t values() const { return images * image_values(); }

  // Element strides of the C-ordered array, in values: (image n, channel c, pixel i = y * W + x)
  // is at n * image_stride() + c * channel_stride() + i * pixel_stride(). Kernel::run takes
  // pixel_stride() == channels, Kernel::run_planar channel_stride() == pixels(); a strided
  // view of the public API maps onto one of the two the same way.
  std::size_t image_stride() const { return image_values(); }
  std::size_t channel_stride() const { return planar ? pixels() : 1; }
  std::size_t pixel_stride() const { return planar ? 1 : channels; }
};

/// The shape of `dims` under `layout`: (H, W) and the layout's own rank (3 for hwc/chw, 4 for
/// nhwc/nchw). (H, W) means one channel in every layout. nullopt when the rank does not fit.
std::optional<TensorShape> shape_for_layout(const std::vector<std::uint64_t>& dims, Layout layout);

/// The reading without a layout (lrn-img before --layout): (H, W), (H, W, C), (N, H, W, C).
std::optional<TensorShape> default_shape(const std::vector<std::uint64_t>& dims);

/// True when a channel-last reading of the last three axes (a, b, c) of a 3-D or 4-D shape
/// looks like a channel-first array read wrongly: a is 1..4 and c is larger than 4 and than a
/// (an image, (3, 224, 224)), or b == c != a (a square feature map, AlexNet's (96, 55, 55)).
bool looks_channel_first(const std::vector<std::uint64_t>& dims);

/// "(2,3,4,5)"; a 1-tuple keeps Python's trailing comma.
std::string shape_text(const std::vector<std::uint64_t>& dims);

}  // namespace lrn
