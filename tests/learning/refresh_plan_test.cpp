#include "learning/refresh_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

namespace lodestone::learning {
namespace {

std::vector<std::size_t> range(std::size_t begin, std::size_t end) {
  std::vector<std::size_t> out(end - begin);
  std::iota(out.begin(), out.end(), begin);
  return out;
}

TEST(RefreshPlan, ASmallDatasetIsRefreshedWhole) {
  RefreshPlan plan(100, 100, 10);
  plan.focus(std::vector<std::size_t>{5, 7});
  EXPECT_EQ(plan.next(), range(0, 100));
  EXPECT_EQ(plan.waiting(), 0u);
  EXPECT_EQ(plan.next(), range(0, 100));
}

TEST(RefreshPlan, TheSweepCoversEveryItemInTurn) {
  RefreshPlan plan(1000, 300, 50);
  EXPECT_EQ(plan.next(), range(0, 300));
  EXPECT_EQ(plan.next(), range(300, 600));
  EXPECT_EQ(plan.next(), range(600, 900));
  EXPECT_EQ(plan.next(), range(900, 1000)) << "the last slice is what is left";
  EXPECT_EQ(plan.next(), range(0, 300)) << "and the sweep starts over";
}

TEST(RefreshPlan, TouchedItemsComeFirstOnceEachAndTheSweepGoesOn) {
  RefreshPlan plan(1000, 100, 4);
  EXPECT_EQ(plan.next(), range(0, 100));
  plan.focus(std::vector<std::size_t>{900, 901, 900, 150, 5000});  // a repeat, an item out of range
  plan.focus(std::vector<std::size_t>{901, 902, 903, 904});
  EXPECT_EQ(plan.waiting(), 6u);
  auto first = plan.next();
  EXPECT_EQ(std::vector<std::size_t>(first.begin(), first.begin() + 4), (std::vector<std::size_t>{900, 901, 150, 902}))
      << "at most focus_limit touched items, in the order they came";
  // The sweep's slice follows, without 150, which was just refreshed.
  auto slice = range(100, 200);
  slice.erase(std::find(slice.begin(), slice.end(), 150));
  EXPECT_EQ(std::vector<std::size_t>(first.begin() + 4, first.end()), slice);
  auto second = plan.next();
  EXPECT_EQ(std::vector<std::size_t>(second.begin(), second.begin() + 2), (std::vector<std::size_t>{903, 904}))
      << "the rest wait for the following refresh";
  EXPECT_EQ(second.size(), 102u);
  EXPECT_EQ(plan.waiting(), 0u);
  plan.focus(std::vector<std::size_t>{900});
  EXPECT_EQ(plan.next().front(), 900u) << "an item refreshed before may be touched again";
  plan.focus(std::vector<std::size_t>{910, 911});
  plan.clear_focus();
  plan.focus(std::vector<std::size_t>{911});
  EXPECT_EQ(plan.waiting(), 1u);
  EXPECT_EQ(plan.next().front(), 911u) << "after clear_focus only what was handed over since waits";
}

TEST(RefreshPlan, ALongStreamOfTouchesNeverStarvesTheSweep) {
  RefreshPlan plan(10'000, 500, 100);
  std::set<std::size_t> swept;
  for (int refresh = 0; refresh < 20; ++refresh) {
    plan.focus(range(5000, 5300));  // more than a refresh takes, every time
    for (const auto i : plan.next()) swept.insert(i);
  }
  EXPECT_EQ(swept.size(), 10'000u) << "20 slices of 500 reach every item";
  EXPECT_LE(plan.waiting(), 300u);
}

}  // namespace
}  // namespace lodestone::learning
