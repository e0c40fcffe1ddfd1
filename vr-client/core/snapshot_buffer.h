#pragma once
// Received room snapshots on the server's clock, and interpolation between the two
// around a render time a fixed delay in the past, so motion is smooth at any frame rate
// whatever the snapshot rate and jitter.
#include "lodestone/types.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace lodestone::client {

class SnapshotBuffer {
 public:
  explicit SnapshotBuffer(std::size_t capacity = 32) : capacity_(capacity) {}

  // Adds a decoded snapshot; out-of-order or duplicate ones are ignored.
  void add(std::uint64_t seq, double server_time, std::vector<Vec3> positions);

  // Positions at `server_time`: interpolated between the snapshots around it, the
  // oldest/newest when outside them. Empty before the first snapshot.
  std::vector<Vec3> sample(double server_time) const;

  // The two snapshots around `server_time` (both the same one outside them), for the
  // renderer to interpolate on the GPU: it uploads a pair once and moves between them
  // with a time uniform. `from`/`to` are null before the first snapshot.
  struct Bracket {
    const std::vector<Vec3>* from = nullptr;
    const std::vector<Vec3>* to = nullptr;
    std::uint64_t from_seq = 0, to_seq = 0;
    double from_time = 0, to_time = 0;
    // How far `server_time` is from `from` to `to`, in [0, 1].
    float fraction(double server_time) const;
  };
  Bracket bracket(double server_time) const;

  bool empty() const { return snapshots_.empty(); }
  std::uint64_t newest_seq() const { return snapshots_.empty() ? 0 : snapshots_.back().seq; }
  const std::vector<Vec3>& newest() const { return snapshots_.back().positions; }

 private:
  struct Entry {
    std::uint64_t seq;
    double time;
    std::vector<Vec3> positions;
  };
  std::size_t capacity_;
  std::deque<Entry> snapshots_;
};

}  // namespace lodestone::client
