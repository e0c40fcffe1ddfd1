#include "learning/blas_info.h"

#include <dlfcn.h>

namespace lodestone::learning {

// Looked up at run time: the system picks libblas.so.3 through Debian's alternatives,
// so what we run on is only known once loaded.
std::string blas_description() {
  using ConfigFn = char* (*)();
  if (auto fn = reinterpret_cast<ConfigFn>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    return fn();
  }
  return "not OpenBLAS (probably the reference BLAS, ~50x slower: install libopenblas0-pthread)";
}

bool pin_blas_threads(int threads) {
  using SetFn = void (*)(int);
  if (auto fn = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    fn(threads);
    return true;
  }
  return false;
}

}  // namespace lodestone::learning
