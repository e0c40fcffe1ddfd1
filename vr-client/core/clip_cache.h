#pragma once
// Clips kept on disk between sessions, so a returning annotator hears what they heard
// before without asking the server again: one FLAC file per item, in a folder per dataset
// content (its thumbnails' hash, id and size: a re-imported or changed dataset gets a new
// folder). Past `max_bytes` the least recently written clips go. A cache that cannot be
// written (disk full, no permission) says so once and the client goes on without it.
#include "lodestone/messages.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace lodestone::client {

class ClipCache {
 public:
  // `dir` empty: nothing is kept.
  explicit ClipCache(std::filesystem::path dir = {}, std::uint64_t max_bytes = 512ull << 20);

  std::optional<std::vector<std::uint8_t>> load(const DatasetDescription& dataset, std::uint32_t item) const;
  void store(const DatasetDescription& dataset, std::uint32_t item, std::span<const std::uint8_t> flac);
  // A cached clip that turned out unreadable.
  void forget(const DatasetDescription& dataset, std::uint32_t item);
  bool enabled() const { return !dir_.empty(); }

 private:
  std::filesystem::path path_of(const DatasetDescription& dataset, std::uint32_t item) const;
  void trim();

  std::filesystem::path dir_;
  std::uint64_t max_bytes_;
  std::uint64_t written_since_trim_ = 0;
  bool failed_ = false;
};

// $XDG_CACHE_HOME/lodestone, else ~/.cache/lodestone; empty when neither is known.
std::filesystem::path default_cache_dir();

}  // namespace lodestone::client
