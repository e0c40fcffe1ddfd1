#include "room/snapshot_stream.h"

#include <algorithm>
#include <cmath>

namespace lodestone::room {
namespace {

// A point within a few millimetres of its new target stays where it is: training nudges
// every point a little on each refresh, and sending those invisible creeps would cost
// most of the bandwidth.
constexpr float kStill = 0.003f;

}  // namespace

SnapshotStream::SnapshotStream(Box room, double smoothing_seconds, double tick_seconds, std::size_t history)
    : room_(room),
      glide_ticks_(std::max(1, static_cast<int>(std::lround(smoothing_seconds / tick_seconds)))),
      history_size_(history) {}

void SnapshotStream::set_target(const std::vector<Vec3>& positions) {
  const auto target = quantise(positions, room_);
  if (grid_.size() != target.xyz.size()) {  // first refresh: appear in place
    grid_ = target.xyz;
    glides_.assign(target.size(), Glide{});
    display_ = dequantise(target);
    return;
  }
  // Each point sets off toward its target with the whole-step velocity that gets there
  // (within half a step a tick, a fraction of a millimetre) in the smoothing time.
  const Vec3 unit = quantisation_step(room_);
  const float units[3] = {unit.x, unit.y, unit.z};
  for (std::size_t i = 0; i < glides_.size(); ++i) {
    std::int32_t d[3];
    float metres_squared = 0;
    for (std::size_t a = 0; a < 3; ++a) {
      d[a] = static_cast<std::int32_t>(target.xyz[i * 3 + a]) - grid_[i * 3 + a];
      metres_squared += (static_cast<float>(d[a]) * units[a]) * (static_cast<float>(d[a]) * units[a]);
    }
    Glide& glide = glides_[i];
    if (metres_squared < kStill * kStill) {
      glide = {};
      continue;
    }
    for (std::size_t a = 0; a < 3; ++a) {
      glide.step[a] = static_cast<std::int32_t>(std::lround(static_cast<double>(d[a]) / glide_ticks_));
    }
    glide.ticks_left = glide_ticks_;
  }
}

void SnapshotStream::advance() {
  if (grid_.empty()) return;
  const Vec3 unit = quantisation_step(room_);
  for (std::size_t i = 0; i < glides_.size(); ++i) {
    Glide& glide = glides_[i];
    if (glide.ticks_left == 0) continue;
    --glide.ticks_left;
    for (std::size_t a = 0; a < 3; ++a) {
      const std::int32_t moved = grid_[i * 3 + a] + glide.step[a];
      grid_[i * 3 + a] = static_cast<std::uint16_t>(std::clamp(moved, 0, 65535));
    }
    display_[i] = {room_.min.x + grid_[i * 3] * unit.x, room_.min.y + grid_[i * 3 + 1] * unit.y,
                   room_.min.z + grid_[i * 3 + 2] * unit.z};
  }
  history_.emplace_back(++seq_, QuantisedCloud{room_, grid_});
  while (history_.size() > history_size_) history_.pop_front();
  frames_.clear();
}

const QuantisedCloud* SnapshotStream::find(std::uint64_t seq) const {
  if (seq == 0) return nullptr;
  for (const auto& [s, cloud] : history_) {
    if (s == seq) return &cloud;
  }
  return nullptr;
}

SnapshotStream::Frame SnapshotStream::frame_for(std::uint64_t acked_seq, std::uint64_t previous_acked_seq) {
  if (history_.empty()) return {};
  const QuantisedCloud* base = acked_seq != seq_ ? find(acked_seq) : nullptr;
  const QuantisedCloud* previous = base && previous_acked_seq < acked_seq ? find(previous_acked_seq) : nullptr;
  const std::uint64_t base_seq = base ? acked_seq : 0;
  const std::uint64_t previous_seq = previous ? previous_acked_seq : 0;
  auto it = frames_.find({base_seq, previous_seq});
  if (it == frames_.end()) {
    const auto& current = history_.back().second;
    std::vector<std::uint8_t> frame;
    if (previous) {
      frame = encode_predicted_delta(*previous, *base, current, static_cast<std::uint32_t>(base_seq - previous_seq),
                                     static_cast<std::uint32_t>(seq_ - base_seq));
    } else if (base) {
      frame = encode_delta(*base, current);
    } else {
      frame = encode_keyframe(current);
    }
    it = frames_.emplace(std::pair{base_seq, previous_seq}, std::move(frame)).first;
  }
  return {base_seq, &it->second};
}

}  // namespace lodestone::room
