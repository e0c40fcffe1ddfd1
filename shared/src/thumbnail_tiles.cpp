#include "lodestone/thumbnail_tiles.h"

#include <algorithm>

namespace lodestone {

void ThumbnailTileSet::reset(std::uint64_t content_hash, std::size_t count, std::size_t tile_bytes) {
  hash_ = content_hash;
  tile_bytes_ = tile_bytes;
  held_ = 0;
  blob_ = PageBytes();  // fresh zero pages, not a pass writing zeros
  blob_.resize(count * tile_bytes);
  have_.assign(count, 0);
  fresh_.clear();
  fresh_next_ = 0;
}

void ThumbnailTileSet::fill(std::uint64_t content_hash, std::size_t count, std::size_t tile_bytes,
                            PageBytes blob) {
  reset(content_hash, 0, tile_bytes);
  blob_ = std::move(blob);
  blob_.resize(count * tile_bytes);
  have_.assign(count, 1);
  held_ = count;
}

bool ThumbnailTileSet::apply(const ThumbnailTiles& tiles, std::string& error) {
  if (tiles.content_hash != hash_) {
    error = "thumbnails of another dataset";
    return false;
  }
  if (tiles.tile_bytes != tile_bytes_ || tiles.bytes.size() != tiles.items.size() * tile_bytes_) {
    error = "thumbnail tiles of " + std::to_string(tiles.tile_bytes) + " bytes (" + std::to_string(tiles.bytes.size()) +
            " for " + std::to_string(tiles.items.size()) + " items), expected " + std::to_string(tile_bytes_) + " each";
    return false;
  }
  for (const auto item : tiles.items) {
    if (item >= have_.size()) {
      error = "a thumbnail for item " + std::to_string(item) + " of " + std::to_string(have_.size());
      return false;
    }
  }
  for (std::size_t k = 0; k < tiles.items.size(); ++k) {
    const auto item = tiles.items[k];
    std::copy_n(tiles.bytes.begin() + static_cast<std::ptrdiff_t>(k * tile_bytes_), tile_bytes_,
                blob_.begin() + static_cast<std::ptrdiff_t>(item * tile_bytes_));
    if (have_[item] == 0) {
      have_[item] = 1;
      ++held_;
      fresh_.push_back(item);
    }
  }
  return true;
}

std::vector<std::uint32_t> ThumbnailTileSet::take_fresh(std::size_t most) {
  const std::size_t n = std::min(most, fresh_.size() - fresh_next_);
  std::vector<std::uint32_t> out(fresh_.begin() + static_cast<std::ptrdiff_t>(fresh_next_),
                                 fresh_.begin() + static_cast<std::ptrdiff_t>(fresh_next_ + n));
  fresh_next_ += n;
  if (fresh_next_ == fresh_.size()) fresh_.clear(), fresh_next_ = 0;
  return out;
}

}  // namespace lodestone
