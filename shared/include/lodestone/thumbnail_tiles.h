#pragma once
// A client's copy of the room's thumbnails, filled tile by tile as ThumbnailTiles arrive
// in whatever order the server chose: which items it holds, and which arrived since the
// renderer last asked. Shared by the VR client, the bot and the console.
#include "lodestone/messages.h"
#include "lodestone/page_bytes.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lodestone {

class ThumbnailTileSet {
 public:
  // Empty, for `count` items of `tile_bytes` each, under the room's content hash.
  void reset(std::uint64_t content_hash, std::size_t count, std::size_t tile_bytes);
  // Every tile at once (the client's cache held them).
  void fill(std::uint64_t content_hash, std::size_t count, std::size_t tile_bytes, PageBytes blob);
  // Copies the message's tiles in; false with `error` when it does not fit the set (another
  // hash, another tile size, an item past the count, bytes that are not one tile per item).
  bool apply(const ThumbnailTiles& tiles, std::string& error);

  std::uint64_t content_hash() const { return hash_; }
  std::size_t tile_bytes() const { return tile_bytes_; }
  std::size_t count() const { return have_.size(); }
  std::size_t held() const { return held_; }
  bool complete() const { return !have_.empty() && held_ == have_.size(); }
  bool has(std::uint32_t item) const { return item < have_.size() && have_[item] != 0; }
  std::span<const std::uint8_t> blob() const { return blob_; }  // by item index; zeros where missing
  const std::vector<std::uint8_t>& held_items() const { return have_; }  // per item, 1 where held
  // The items that arrived since the last call (each once), oldest first, at most `most`.
  std::vector<std::uint32_t> take_fresh(std::size_t most);

 private:
  std::uint64_t hash_ = 0;
  std::size_t tile_bytes_ = 0, held_ = 0, fresh_next_ = 0;
  PageBytes blob_;  // untouched pages until tiles land in them
  std::vector<std::uint8_t> have_;
  std::vector<std::uint32_t> fresh_;
};

}  // namespace lodestone
