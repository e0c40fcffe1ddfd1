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
  // Within half a millimetre a point lands on its target: an exponential approach would
  // otherwise keep every point creeping by a quantum or two, and each creep costs bytes.
  constexpr float kSnap = 0.0005f;
  const auto approach = [f](float& at, float to) {
    const float d = to - at;
    at = std::fabs(d) < kSnap ? to : at + d * f;
  };
  for (std::size_t i = 0; i < display_.size(); ++i) {
    approach(display_[i].x, target_[i].x);
    approach(display_[i].y, target_[i].y);
    approach(display_[i].z, target_[i].z);
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
