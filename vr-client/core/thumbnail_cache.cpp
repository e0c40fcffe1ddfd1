#include "core/thumbnail_cache.h"

#include "core/write_aside.h"
#include "lodestone/hash.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace lodestone::client {

namespace fs = std::filesystem;

ThumbnailCache::ThumbnailCache(fs::path dir, std::size_t keep) : dir_(std::move(dir)), keep_(std::max<std::size_t>(keep, 1)) {}

fs::path ThumbnailCache::blob_path(std::uint64_t hash) const { return dir_ / "thumbnails" / (to_hex(hash) + ".bin"); }

fs::path ThumbnailCache::pointer_path(const std::string& server) const {
  return dir_ / "thumbnails" / ("server-" + to_hex(hash64(server)) + ".txt");
}

std::optional<ThumbnailCache::Held> ThumbnailCache::load(const std::string& server) const {
  if (dir_.empty()) return std::nullopt;
  std::ifstream pointer(pointer_path(server));
  std::string hex;
  if (!(pointer >> hex) || hex.empty() || hex.size() > 16) return std::nullopt;
  Held held;
  try {
    held.hash = std::stoull(hex, nullptr, 16);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::error_code ec;
  const auto size = fs::file_size(blob_path(held.hash), ec);
  std::ifstream blob(blob_path(held.hash), std::ios::binary);
  if (ec || !blob) return std::nullopt;
  held.bytes.resize(static_cast<std::size_t>(size));
  if (!blob.read(reinterpret_cast<char*>(held.bytes.data()), static_cast<std::streamsize>(size))) return std::nullopt;
  if (held.bytes.empty() || hash64(std::as_bytes(std::span(held.bytes))) != held.hash) return std::nullopt;
  return held;
}

bool ThumbnailCache::store(const std::string& server, std::uint64_t hash, std::span<const std::uint8_t> bytes) {
  if (dir_.empty()) return false;
  const auto blob = blob_path(hash);
  const std::string hex = to_hex(hash);
  std::error_code ec;
  const std::vector<std::uint8_t> pointer(hex.begin(), hex.end());
  const bool written = (fs::exists(blob, ec) || write_aside(blob, bytes).empty()) &&
                       write_aside(pointer_path(server), pointer).empty();
  if (!written) {
    std::fprintf(stderr, "thumbnails are not kept on disk: cannot write under %s\n", (dir_ / "thumbnails").string().c_str());
    return false;
  }
  fs::last_write_time(blob, fs::file_time_type::clock::now(), ec);  // the newest in use
  // The newest `keep_` blobs stay; pointers to a removed blob simply find nothing.
  std::vector<std::pair<fs::file_time_type, fs::path>> blobs;
  for (const auto& entry : fs::directory_iterator(dir_ / "thumbnails", ec)) {
    if (entry.path().extension() == ".bin") blobs.emplace_back(entry.last_write_time(ec), entry.path());
  }
  std::sort(blobs.begin(), blobs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = keep_; i < blobs.size(); ++i) fs::remove(blobs[i].second, ec);
  return true;
}

}  // namespace lodestone::client
