#include "core/clip_cache.h"

#include "core/write_aside.h"
#include "lodestone/hash.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace lodestone::client {

namespace fs = std::filesystem;

ClipCache::ClipCache(fs::path dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

fs::path ClipCache::path_of(const DatasetDescription& dataset, std::uint32_t item) const {
  const std::string key = std::to_string(dataset.dataset_id) + ":" + std::to_string(dataset.item_count) + ":" +
                          std::to_string(dataset.thumbnails_hash);
  return dir_ / "clips" / to_hex(hash64(key)) / (std::to_string(item) + ".flac");
}

std::optional<std::vector<std::uint8_t>> ClipCache::load(const DatasetDescription& dataset, std::uint32_t item) const {
  if (!enabled()) return std::nullopt;
  std::ifstream in(path_of(dataset, item), std::ios::binary);
  if (!in) return std::nullopt;
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return std::nullopt;
  return bytes;
}

void ClipCache::store(const DatasetDescription& dataset, std::uint32_t item, std::span<const std::uint8_t> flac) {
  if (!enabled() || failed_) return;
  const auto path = path_of(dataset, item);
  if (const auto why = write_aside(path, flac); !why.empty()) {
    std::fprintf(stderr, "clips are not kept on disk: cannot write %s (%s)\n", path.string().c_str(), why.c_str());
    failed_ = true;
    return;
  }
  written_since_trim_ += flac.size();
  if (written_since_trim_ > max_bytes_ / 16) trim();
}

void ClipCache::forget(const DatasetDescription& dataset, std::uint32_t item) {
  std::error_code ec;
  if (enabled()) fs::remove(path_of(dataset, item), ec);
}

void ClipCache::trim() {
  written_since_trim_ = 0;
  struct Entry {
    fs::file_time_type written;
    std::uint64_t bytes;
    fs::path path;
  };
  std::vector<Entry> entries;
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_ / "clips", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto bytes = it->file_size(ec);
    entries.push_back({it->last_write_time(ec), bytes, it->path()});
    total += bytes;
  }
  if (total <= max_bytes_) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.written < b.written; });
  for (const auto& e : entries) {
    if (total <= max_bytes_ * 3 / 4) break;  // some room, so the next clips do not trim again at once
    if (fs::remove(e.path, ec)) total -= e.bytes;
  }
}

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "lodestone";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "lodestone";
  return {};
}

}  // namespace lodestone::client
