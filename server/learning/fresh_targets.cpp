#include "learning/fresh_targets.h"

namespace lodestone::learning {

void FreshTargets::age_to(std::uint64_t step) {
  while (head_ < changes_.size() && step - changes_[head_].step > window_steps_) ++head_;
  // The aged-out front is dropped once it is most of the vector: amortised constant time.
  if (head_ > 4096 && head_ * 2 > changes_.size()) {
    changes_.erase(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

std::int64_t FreshTargets::draw(std::mt19937_64& rng) const {
  return changes_[std::uniform_int_distribution<std::size_t>(head_, changes_.size() - 1)(rng)].item;
}

void FreshTargets::clear() {
  changes_.clear();
  head_ = 0;
}

}  // namespace lodestone::learning
