// Clips kept on disk: found again by a later session of the same dataset, never by
// another dataset's, trimmed oldest first past the size given, and a cache that cannot
// be written costs nothing but the caching.
#include "core/clip_cache.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace lodestone::client {
namespace {

DatasetDescription dataset(std::uint64_t thumbnails_hash) {
  DatasetDescription d;
  d.dataset_id = 3;
  d.item_count = 100;
  d.thumbnails_hash = thumbnails_hash;
  d.sample_rate = 16000;
  return d;
}

TEST(ClipCache, ALaterSessionFindsTheClipsOfTheSameDatasetOnly) {
  testing::TempDir dir;
  const std::vector<std::uint8_t> flac{'f', 'L', 'a', 'C', 1, 2, 3};
  ClipCache(dir.path()).store(dataset(7), 12, flac);
  const ClipCache later(dir.path());
  EXPECT_EQ(later.load(dataset(7), 12), flac);
  EXPECT_FALSE(later.load(dataset(7), 13));
  EXPECT_FALSE(later.load(dataset(8), 12)) << "a changed dataset must not play the old clips";
  ClipCache(dir.path()).forget(dataset(7), 12);
  EXPECT_FALSE(later.load(dataset(7), 12));
  EXPECT_FALSE(ClipCache().load(dataset(7), 12));
}

TEST(ClipCache, PastItsSizeTheOldestClipsGoFirst) {
  testing::TempDir dir;
  ClipCache cache(dir.path(), 10'000);
  const std::vector<std::uint8_t> clip(1'000, 0x42);
  for (std::uint32_t item = 0; item < 30; ++item) {
    cache.store(dataset(7), item, clip);
    // Distinct write times, so "oldest" is well defined on coarse file systems.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::size_t kept = 0;
  for (std::uint32_t item = 0; item < 30; ++item) kept += cache.load(dataset(7), item) ? 1u : 0u;
  EXPECT_LE(kept, 11u);
  EXPECT_GE(kept, 5u);
  EXPECT_TRUE(cache.load(dataset(7), 29)) << "the newest clip must stay";
  EXPECT_FALSE(cache.load(dataset(7), 0)) << "the oldest clip must go";
}

TEST(ClipCache, ACacheThatCannotBeWrittenIsGivenUpQuietly) {
  testing::TempDir dir;
  std::ofstream(dir / "a-file") << "not a folder";
  ClipCache cache(dir / "a-file");
  cache.store(dataset(7), 1, std::vector<std::uint8_t>{1, 2, 3});
  EXPECT_FALSE(cache.load(dataset(7), 1));
}

}  // namespace
}  // namespace lodestone::client
