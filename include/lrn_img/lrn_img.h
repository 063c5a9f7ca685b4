// lrn_img: Local Response Normalization for images and tensors, exactly as TensorFlow's
// tf.nn.local_response_normalization (and PyTorch, ONNX, Caffe) compute it. The one header
// to include; docs/api.md has a complete example.
#pragma once

#include "lrn_img/errors.h"
#include "lrn_img/file.h"
#include "lrn_img/normalize.h"
#include "lrn_img/params.h"
#include "lrn_img/tensor.h"
#include "lrn_img/version.h"
