#pragma once
// Which BLAS LibTorch runs on, and keeping it from oversubscribing the cores: OpenBLAS's
// own threads on top of LibTorch's halve throughput on two cores.
#include <string>

namespace lodestone::learning {

// "OpenBLAS 0.3.21 ..." or a note that the BLAS is not OpenBLAS (likely the slow reference).
std::string blas_description();
// Pins OpenBLAS to `threads` threads; false when the BLAS is not OpenBLAS.
bool pin_blas_threads(int threads);

}  // namespace lodestone::learning
