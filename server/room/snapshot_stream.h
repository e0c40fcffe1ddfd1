#pragma once
// What clients see of the room: display positions that glide toward each new training
// refresh at constant speed (so even a big update arrives as motion over a fraction of a
// second), a numbered history of quantised snapshots, and per-client frames encoded
// against the two snapshots that client last acknowledged. The glide moves each point by
// the same whole number of quantisation steps every snapshot, which is exactly what the
// predicted delta predicts: between refreshes a moving cloud costs almost nothing.
#include "lodestone/point_codec.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace lodestone::room {

class SnapshotStream {
 public:
  // `tick_seconds`: the interval between snapshots (1 / the snapshot rate).
  SnapshotStream(Box room, double smoothing_seconds, double tick_seconds, std::size_t history = 64);

  // A new refresh from the trainer: where the points should go.
  void set_target(const std::vector<Vec3>& positions);
  // Moves display positions one tick toward the target and records a snapshot.
  void advance();

  std::uint64_t seq() const { return seq_; }
  const std::vector<Vec3>& display() const { return display_; }
  const Box& room() const { return room_; }
  bool empty() const { return display_.empty(); }

  struct Frame {
    std::uint64_t base_seq = 0;  // 0: keyframe
    const std::vector<std::uint8_t>* bytes = nullptr;
  };
  // The current snapshot encoded for a client whose newest acknowledged snapshot is
  // `acked_seq` (0: none) and the one it acknowledged before that `previous_acked_seq`
  // (0: none). A predicted delta when both are still in the history, a delta when only
  // the newest is, otherwise a keyframe. Frames are cached per pair for the current tick,
  // so clients in the same state share one.
  Frame frame_for(std::uint64_t acked_seq, std::uint64_t previous_acked_seq = 0);

 private:
  Box room_;
  // A point on its way: the same step, in quantisation units per axis, each tick.
  struct Glide {
    std::int32_t step[3] = {0, 0, 0};
    int ticks_left = 0;
  };
  int glide_ticks_;
  std::size_t history_size_;
  std::vector<std::uint16_t> grid_;  // display positions, quantised (xyz interleaved)
  std::vector<Glide> glides_;
  std::vector<Vec3> display_;        // the same, in metres
  std::uint64_t seq_ = 0;
  std::deque<std::pair<std::uint64_t, QuantisedCloud>> history_;
  const QuantisedCloud* find(std::uint64_t seq) const;
  // (base seq, previous seq) → frame, this tick
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::uint8_t>> frames_;
};

}  // namespace lodestone::room
