// Validation of LrnParams: report every problem at once.
#include "lrn/params.h"

#include <cmath>

namespace lrn {

std::vector<std::string> validate(const LrnParams& p) {
  std::vector<std::string> errors;
  if (p.before < 0 || p.after < 0) errors.push_back("the window offsets must be >= 0");
  if (!std::isfinite(p.bias) || p.bias < 0) errors.push_back("bias must be a finite number >= 0");
  if (!std::isfinite(p.alpha) || p.alpha < 0)
    errors.push_back("alpha must be a finite number >= 0");
  if (!std::isfinite(p.beta)) errors.push_back("beta must be a finite number");
  if (p.bias == 0 && p.alpha == 0) errors.push_back("bias and alpha cannot both be 0");
  return errors;
}

}  // namespace lrn
