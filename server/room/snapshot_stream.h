#pragma once
// What clients see of the room: display positions that glide toward each new training
// refresh (so even a big update arrives as motion over a fraction of a second), a
// numbered history of quantised snapshots, and per-client frames encoded as deltas
// against the snapshot that client last acknowledged.
#include "lodestone/point_codec.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace lodestone::room {

class SnapshotStream {
 public:
  SnapshotStream(Box room, double smoothing_seconds, std::size_t history = 64);

  // A new refresh from the trainer: where the points should go.
  void set_target(const std::vector<Vec3>& positions);
  // Moves display positions toward the target by `dt` seconds and records a snapshot.
  void advance(double dt);

  std::uint64_t seq() const { return seq_; }
  const std::vector<Vec3>& display() const { return display_; }
  const Box& room() const { return room_; }
  bool empty() const { return display_.empty(); }

  struct Frame {
    std::uint64_t base_seq = 0;  // 0: keyframe
    const std::vector<std::uint8_t>* bytes = nullptr;
  };
  // The current snapshot encoded for a client that acknowledged `acked_seq` (0: none).
  // A delta when that snapshot is still in the history, otherwise a keyframe. Frames
  // are cached per base for the current tick, so clients on the same base share one.
  Frame frame_for(std::uint64_t acked_seq);

 private:
  Box room_;
  double smoothing_seconds_;
  std::size_t history_size_;
  std::vector<Vec3> target_;
  std::vector<Vec3> display_;
  std::uint64_t seq_ = 0;
  std::deque<std::pair<std::uint64_t, QuantisedCloud>> history_;
  std::map<std::uint64_t, std::vector<std::uint8_t>> frames_;  // base seq → frame, this tick
};

}  // namespace lodestone::room
