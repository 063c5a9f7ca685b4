// OnDemandLibrary: dlopen once, dlsym by name (see on_demand.h).
#include "on_demand.h"

#include <dlfcn.h>

#include <stdexcept>

namespace lrn_glue {

OnDemandLibrary::OnDemandLibrary(const char* soname, const char* what)
    : soname_(soname), what_(what) {
  handle_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char* why = dlerror();
    error_ = why ? why : std::string("cannot load ") + soname;
  }
}

void* OnDemandLibrary::symbol(const char* name) const {
  if (!handle_) throw std::runtime_error(std::string(what_) + " support unavailable: " + error_);
  void* sym = dlsym(handle_, name);
  if (!sym)
    throw std::runtime_error(std::string(what_) + " support unavailable: no " + name + " in " +
                             soname_);
  return sym;
}

std::string OnDemandLibrary::needs() const {
  return handle_ ? std::string() : std::string(what_) + " support needs " + soname_ + ": " + error_;
}

const char* OnDemandLibrary::load_error() const { return handle_ ? nullptr : error_.c_str(); }

}  // namespace lrn_glue
