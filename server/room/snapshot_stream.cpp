#include "room/snapshot_stream.h"

#include <cmath>

namespace lodestone::room {

SnapshotStream::SnapshotStream(Box room, double smoothing_seconds, std::size_t history)
    : room_(room), smoothing_seconds_(smoothing_seconds), history_size_(history) {}

void SnapshotStream::set_target(const std::vector<Vec3>& positions) {
  target_ = positions;
  if (display_.size() != target_.size()) display_ = target_;  // first refresh: appear in place
}

void SnapshotStream::advance(double dt) {
  if (target_.empty()) return;
  // Exponential approach: 95% of the way in three time constants.
  const float f = smoothing_seconds_ > 0
                      ? static_cast<float>(1.0 - std::exp(-dt / (smoothing_seconds_ / 3.0)))
                      : 1.0f;
  // A point within a few millimetres of its target stays where it is: training nudges
  // every point a little on each refresh, and sending those invisible creeps would cost
  // most of the bandwidth. Points further away glide toward their target.
  constexpr float kStill = 0.003f;
  for (std::size_t i = 0; i < display_.size(); ++i) {
    const Vec3 d{target_[i].x - display_[i].x, target_[i].y - display_[i].y, target_[i].z - display_[i].z};
    if (d.x * d.x + d.y * d.y + d.z * d.z < kStill * kStill) continue;
    display_[i] = {display_[i].x + d.x * f, display_[i].y + d.y * f, display_[i].z + d.z * f};
  }
  history_.emplace_back(++seq_, quantise(display_, room_));
  while (history_.size() > history_size_) history_.pop_front();
  frames_.clear();
}

SnapshotStream::Frame SnapshotStream::frame_for(std::uint64_t acked_seq) {
  if (history_.empty()) return {};
  const QuantisedCloud* base = nullptr;
  for (const auto& [seq, cloud] : history_) {
    if (seq == acked_seq) base = &cloud;
  }
  const std::uint64_t base_seq = base && acked_seq != seq_ ? acked_seq : 0;
  auto it = frames_.find(base_seq);
  if (it == frames_.end()) {
    const auto& current = history_.back().second;
    it = frames_.emplace(base_seq, base_seq ? encode_delta(*base, current) : encode_keyframe(current)).first;
  }
  return {base_seq, &it->second};
}

}  // namespace lodestone::room
