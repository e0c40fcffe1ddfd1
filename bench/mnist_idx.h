#pragma once
// The MNIST digits as IDX files, for benchmarks that import them through a real server.
#include <filesystem>

namespace lodestone::bench {

// The npm digits repeated to `items`, as images.idx and labels.idx in `dir`: real digits
// make the cloud move as it does for users (a synthetic dataset settles and hardly moves).
void write_mnist_idx(const std::filesystem::path& dir, int items);

}  // namespace lodestone::bench
