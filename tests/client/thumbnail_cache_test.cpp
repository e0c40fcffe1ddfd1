// Thumbnails kept on disk: found again for the same server, used only while their bytes
// still match their hash, and only the newest few kept.
#include "core/thumbnail_cache.h"
#include "lodestone/hash.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace lodestone::client {
namespace {

std::vector<std::uint8_t> blob(std::uint8_t seed, std::size_t size = 4096) {
  std::vector<std::uint8_t> b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

std::uint64_t hash_of(const std::vector<std::uint8_t>& b) { return hash64(std::as_bytes(std::span(b))); }

TEST(ThumbnailCache, ALaterSessionWithTheSameServerFindsThem) {
  testing::TempDir dir;
  const auto thumbs = blob(1);
  ASSERT_TRUE(ThumbnailCache(dir.path()).store("room:7777", hash_of(thumbs), thumbs));
  const auto held = ThumbnailCache(dir.path()).load("room:7777");
  ASSERT_TRUE(held);
  EXPECT_EQ(held->hash, hash_of(thumbs));
  EXPECT_EQ(std::vector<std::uint8_t>(held->bytes.begin(), held->bytes.end()), thumbs);
  EXPECT_FALSE(ThumbnailCache(dir.path()).load("other:7777"));
  EXPECT_FALSE(ThumbnailCache().load("room:7777"));
}

TEST(ThumbnailCache, AlteredBytesAreNotUsed) {
  testing::TempDir dir;
  const auto thumbs = blob(2);
  ASSERT_TRUE(ThumbnailCache(dir.path()).store("room:7777", hash_of(thumbs), thumbs));
  for (const auto& entry : std::filesystem::directory_iterator(dir / "thumbnails")) {
    if (entry.path().extension() != ".bin") continue;
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x7f');
  }
  EXPECT_FALSE(ThumbnailCache(dir.path()).load("room:7777"));
}

TEST(ThumbnailCache, OnlyTheNewestAreKept) {
  testing::TempDir dir;
  ThumbnailCache cache(dir.path(), 2);
  for (std::uint8_t i = 0; i < 4; ++i) {
    const auto thumbs = blob(i);
    ASSERT_TRUE(cache.store("room-" + std::to_string(i), hash_of(thumbs), thumbs));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(cache.load("room-0"));
  EXPECT_FALSE(cache.load("room-1"));
  EXPECT_TRUE(cache.load("room-2"));
  EXPECT_TRUE(cache.load("room-3"));
}

}  // namespace
}  // namespace lodestone::client
