#include "learning/fresh_targets.h"

namespace lodestone::learning {

void FreshTargets::age_to(std::uint64_t step) {
  while (!changes_.empty() && step - changes_.front().step > window_steps_) changes_.pop_front();
}

std::int64_t FreshTargets::draw(std::mt19937_64& rng) const {
  return changes_[std::uniform_int_distribution<std::size_t>(0, changes_.size() - 1)(rng)].item;
}

}  // namespace lodestone::learning
