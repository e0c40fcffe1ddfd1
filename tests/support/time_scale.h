#pragma once
// How long tests wait for the real processes they start. Under the sanitizers every
// process runs several times slower (each LibTorch process alone takes seconds to start),
// so the asan test preset sets LODESTONE_TEST_TIME_SCALE and every wait for "eventually"
// stretches by it. Waits only: what a test asserts does not change.
#include <cstdlib>

namespace lodestone::testing {

inline double time_scale() {
  static const double scale = [] {
    const char* text = std::getenv("LODESTONE_TEST_TIME_SCALE");
    const double value = text != nullptr ? std::atof(text) : 1.0;
    return value >= 1.0 ? value : 1.0;
  }();
  return scale;
}

inline int scaled_ms(int ms) { return static_cast<int>(ms * time_scale()); }

}  // namespace lodestone::testing
