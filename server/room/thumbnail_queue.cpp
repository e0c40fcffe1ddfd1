#include "room/thumbnail_queue.h"

#include <algorithm>

namespace lodestone::room {

void ThumbnailQueue::start(std::size_t count) {
  sent_.assign(count, 0);
  first_.clear();
  first_next_ = cursor_ = 0;
  left_ = count;
}

void ThumbnailQueue::finish() {
  sent_.clear();
  first_.clear();
  first_next_ = cursor_ = left_ = 0;
}

void ThumbnailQueue::focus(const std::vector<Vec3>& positions, Vec3 viewer, std::size_t most) {
  if (left_ == 0 || most == 0) return;
  struct Near {
    float distance2;
    std::uint32_t item;
  };
  std::vector<Near> unsent;
  unsent.reserve(std::min(left_, positions.size()));
  const std::size_t n = std::min(positions.size(), sent_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (sent_[i] != 0) continue;
    const float dx = positions[i].x - viewer.x, dy = positions[i].y - viewer.y, dz = positions[i].z - viewer.z;
    unsent.push_back({dx * dx + dy * dy + dz * dz, static_cast<std::uint32_t>(i)});
  }
  const auto nearer = [](const Near& a, const Near& b) { return a.distance2 < b.distance2; };
  const std::size_t keep = std::min(most, unsent.size());
  std::nth_element(unsent.begin(), unsent.begin() + static_cast<std::ptrdiff_t>(keep), unsent.end(), nearer);
  unsent.resize(keep);
  std::sort(unsent.begin(), unsent.end(), nearer);
  first_.clear();
  first_next_ = 0;
  for (const auto& u : unsent) first_.push_back(u.item);
}

std::vector<std::uint32_t> ThumbnailQueue::take(std::size_t most) {
  std::vector<std::uint32_t> out;
  const auto send = [&](std::size_t item) {
    sent_[item] = 1;
    --left_;
    out.push_back(static_cast<std::uint32_t>(item));
  };
  while (out.size() < most && first_next_ < first_.size()) {
    const auto item = first_[first_next_++];
    if (sent_[item] == 0) send(item);
  }
  while (out.size() < most && left_ > 0 && cursor_ < sent_.size()) {
    if (sent_[cursor_] == 0) send(cursor_);
    ++cursor_;
  }
  return out;
}

}  // namespace lodestone::room
