// Internal to the public API: a family method resolved from lrn_img::Params through the one
// resolver the command line uses (lrn/method.h), and what Resolved::family points to.
#pragma once

#include "lrn/method.h"
#include "lrn_img/params.h"

namespace lrn_img {

struct ResolvedFamily {
  lrn::FamilyMethod method;
};

/// p (method != Lrn) resolved: InvalidArgument with the parameter names marked (param()) for
/// what lrn::resolve_method refuses and for parameters the method does not take; FileError for
/// an unreadable zca_file.
lrn::FamilyMethod resolve_family(const Params& p);

/// Throws InvalidArgument naming the first parameter p states that p.method does not take.
void check_method_params(const Params& p);

}  // namespace lrn_img
