#include "dataset/dataset.h"

#include "lodestone/hash.h"

namespace lodestone::dataset {

std::string content_hash(const Dataset& dataset) {
  const std::string shape = std::to_string(dataset.width) + "x" + std::to_string(dataset.height) +
                            "x" + std::to_string(dataset.channels);
  std::uint64_t h = hash64(shape);
  for (const auto& item : dataset.items) {
    h = hash64(std::as_bytes(std::span(item.pixels)), h);
    h = hash64(item.ground_truth.value_or(std::string("\x01none")), h);
    // Audio windows of one file can look alike; where they lie tells them apart.
    if (item.span) h = hash64(item.source + "@" + std::to_string(item.span->start), h);
  }
  return to_hex(h);
}

}  // namespace lodestone::dataset
