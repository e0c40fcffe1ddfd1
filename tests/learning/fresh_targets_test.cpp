#include "learning/fresh_targets.h"

#include <gtest/gtest.h>

#include <set>

namespace lodestone::learning {
namespace {

std::set<std::int64_t> draws(const FreshTargets& fresh, int count) {
  std::mt19937_64 rng(7);
  std::set<std::int64_t> seen;
  for (int i = 0; i < count; ++i) seen.insert(fresh.draw(rng));
  return seen;
}

TEST(FreshTargets, DrawsOnlyItemsChangedWithinTheWindow) {
  FreshTargets fresh(100);
  EXPECT_TRUE(fresh.empty());
  fresh.changed(10, 1);
  fresh.changed(50, 2);
  fresh.changed(150, 3);
  fresh.age_to(150);
  EXPECT_EQ(fresh.size(), 2u) << "the change at step 10 is 140 steps old";
  EXPECT_EQ(draws(fresh, 200), (std::set<std::int64_t>{2, 3}));  // 100 steps old is still fresh
  fresh.age_to(250);
  EXPECT_EQ(draws(fresh, 50), (std::set<std::int64_t>{3}));
  fresh.age_to(400);
  EXPECT_TRUE(fresh.empty());
}

TEST(FreshTargets, KeepsWorkingAsOldChangesAreDropped) {
  FreshTargets fresh(10);
  for (std::uint64_t step = 0; step < 20'000; ++step) {
    fresh.changed(step, static_cast<std::int64_t>(step));
    fresh.age_to(step);
    ASSERT_LE(fresh.size(), 11u);
  }
  const auto seen = draws(fresh, 500);
  EXPECT_EQ(*seen.begin(), 19'989);
  EXPECT_EQ(*seen.rbegin(), 19'999);
  fresh.clear();
  EXPECT_TRUE(fresh.empty());
}

}  // namespace
}  // namespace lodestone::learning
