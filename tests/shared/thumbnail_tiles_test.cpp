// The client's copy of the thumbnails, filled tile by tile in the server's order.
#include "lodestone/thumbnail_tiles.h"

#include <gtest/gtest.h>

namespace lodestone {
namespace {

ThumbnailTiles tiles(std::vector<std::uint32_t> items, std::uint8_t first_byte = 1) {
  ThumbnailTiles t{0xABC, 2, std::move(items), {}};
  for (std::size_t k = 0; k < t.items.size(); ++k) {
    t.bytes.push_back(static_cast<std::uint8_t>(first_byte + 2 * k));
    t.bytes.push_back(static_cast<std::uint8_t>(first_byte + 2 * k + 1));
  }
  return t;
}

std::vector<std::uint8_t> bytes_of(const ThumbnailTileSet& set) { return {set.blob().begin(), set.blob().end()}; }

TEST(ThumbnailTileSet, TilesLandAtTheirItemsInAnyOrder) {
  ThumbnailTileSet set;
  set.reset(0xABC, 5, 2);
  std::string why;
  ASSERT_TRUE(set.apply(tiles({4, 1}, 10), why)) << why;
  EXPECT_EQ(set.held(), 2u);
  EXPECT_TRUE(set.has(4));
  EXPECT_TRUE(set.has(1));
  EXPECT_FALSE(set.has(0));
  EXPECT_EQ(bytes_of(set), (std::vector<std::uint8_t>{0, 0, 12, 13, 0, 0, 0, 0, 10, 11}));
  ASSERT_TRUE(set.apply(tiles({0, 2, 3}), why)) << why;
  EXPECT_TRUE(set.complete());
}

TEST(ThumbnailTileSet, FreshTilesAreTakenOnceInArrivalOrder) {
  ThumbnailTileSet set;
  set.reset(0xABC, 6, 2);
  std::string why;
  ASSERT_TRUE(set.apply(tiles({5, 2, 0}), why));
  EXPECT_EQ(set.take_fresh(2), (std::vector<std::uint32_t>{5, 2}));
  ASSERT_TRUE(set.apply(tiles({2, 3}), why));  // 2 again: not fresh twice
  EXPECT_EQ(set.take_fresh(10), (std::vector<std::uint32_t>{0, 3}));
  EXPECT_TRUE(set.take_fresh(10).empty());
  EXPECT_EQ(set.held(), 4u);
}

TEST(ThumbnailTileSet, TilesThatDoNotFitAreRefusedAndChangeNothing) {
  ThumbnailTileSet set;
  set.reset(0xABC, 3, 2);
  std::string why;
  auto other_hash = tiles({0});
  other_hash.content_hash = 0xDEF;
  EXPECT_FALSE(set.apply(other_hash, why));
  EXPECT_NE(why.find("another dataset"), std::string::npos);
  auto wrong_size = tiles({0});
  wrong_size.tile_bytes = 3;
  EXPECT_FALSE(set.apply(wrong_size, why));
  auto short_bytes = tiles({0, 1});
  short_bytes.bytes.pop_back();
  EXPECT_FALSE(set.apply(short_bytes, why));
  EXPECT_FALSE(set.apply(tiles({1, 3}), why));  // item 3 of 3
  EXPECT_NE(why.find("item 3 of 3"), std::string::npos);
  EXPECT_EQ(set.held(), 0u);
  EXPECT_EQ(bytes_of(set), std::vector<std::uint8_t>(6, 0));
}

TEST(ThumbnailTileSet, AFilledSetIsCompleteWithNothingFresh) {
  ThumbnailTileSet set;
  set.fill(0xABC, 2, 2, {1, 2, 3, 4});
  EXPECT_TRUE(set.complete());
  EXPECT_EQ(set.held(), 2u);
  EXPECT_TRUE(set.take_fresh(10).empty());
  EXPECT_EQ(set.content_hash(), 0xABCu);
}

}  // namespace
}  // namespace lodestone
