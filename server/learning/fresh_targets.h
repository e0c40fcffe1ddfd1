#pragma once
// The items whose training target changed in the last few steps: a label arrived, and
// label propagation gave the items around it another class. A batch drawn uniformly
// from the whole dataset meets such an item about once in forty steps at 10k items (a
// batch of 256), so the model learned a new label's consequences long after the label;
// drawing part of every batch from these items teaches them within a few dozen steps
// (docs/LEARNING.md, "Fresh targets first").
#include <cstdint>
#include <deque>
#include <random>

namespace lodestone::learning {

class FreshTargets {
 public:
  // Items stay fresh for `window_steps` steps after their target changed.
  explicit FreshTargets(std::uint64_t window_steps) : window_steps_(window_steps) {}

  void changed(std::uint64_t step, std::int64_t item) { changes_.push_back({step, item}); }
  // Forgets the changes older than the window at `step`.
  void age_to(std::uint64_t step);
  bool empty() const { return changes_.empty(); }
  std::size_t size() const { return changes_.size(); }
  // One fresh item, uniformly over the changes in the window (an item changed twice is
  // twice as likely). Requires !empty().
  std::int64_t draw(std::mt19937_64& rng) const;
  void clear() { changes_.clear(); }

 private:
  struct Change {
    std::uint64_t step;
    std::int64_t item;
  };
  std::uint64_t window_steps_;
  std::deque<Change> changes_;  // in the order of their steps
};

}  // namespace lodestone::learning
