#pragma once
// Every item's thumbnails kept on disk between sessions, by content hash, so a returning
// annotator downloads none of them: the client names the hash it holds in its hello, and
// the server sends thumbnails only when the room's differ. A blob is used only when its
// bytes still hash to its name (a torn or altered file is fetched again); the newest few
// blobs are kept.
#include "lodestone/page_bytes.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lodestone::client {

class ThumbnailCache {
 public:
  // `dir` empty: nothing is kept. `keep`: the blobs kept (one per dataset, usually).
  explicit ThumbnailCache(std::filesystem::path dir = {}, std::size_t keep = 4);

  // The thumbnails last kept for `server` ("host:port"), with their hash; nothing when
  // none are, or the blob is missing or does not match its hash.
  struct Held {
    std::uint64_t hash = 0;
    PageBytes bytes;
  };
  std::optional<Held> load(const std::string& server) const;
  // Keeps `bytes` (whose hash is `hash`) as `server`'s thumbnails; false (said once on
  // stderr) when they cannot be written.
  bool store(const std::string& server, std::uint64_t hash, std::span<const std::uint8_t> bytes);

 private:
  std::filesystem::path blob_path(std::uint64_t hash) const;
  std::filesystem::path pointer_path(const std::string& server) const;

  std::filesystem::path dir_;
  std::size_t keep_;
};

}  // namespace lodestone::client
