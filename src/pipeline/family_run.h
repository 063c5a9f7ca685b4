// The normalization family in the pipeline: decoder rows -> float rows -> a ring of the rows an
// operation's window needs (StreamDriver) -> quantise -> encoder rows.
#pragma once

#include <string>

#include "image/format.h"
#include "pipeline/stages.h"

namespace lrn::pipeline_stages {

/// Applies opt.method (set) to every image of the reader (a .npy batch: each image alone, its
/// statistics its own) and writes the writer's rows. Memory: a one-pass method on an
/// interleaved image holds 2 * halo + block rows; a two-pass method, --rescale (which needs
/// the output's range first) and a planar (CHW) tensor hold the image as decoded (8/16-bit for
/// JPEG and PNG), never a float copy of it. Throws FileError when the method does not fit the
/// image (zca's channel count), naming in_name.
void run_family(ImageReader& reader, ImageWriter& writer, const Plan& p, const RunOptions& opt,
                const std::string& in_name, const std::string& out_name);

}  // namespace lrn::pipeline_stages
