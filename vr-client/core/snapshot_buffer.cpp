#include "core/snapshot_buffer.h"

namespace lodestone::client {

void SnapshotBuffer::add(std::uint64_t seq, double server_time, std::vector<Vec3> positions) {
  if (!snapshots_.empty() && seq <= snapshots_.back().seq) return;
  // A new point count (another dataset) invalidates what came before.
  if (!snapshots_.empty() && snapshots_.back().positions.size() != positions.size()) snapshots_.clear();
  snapshots_.push_back({seq, server_time, std::move(positions)});
  while (snapshots_.size() > capacity_) snapshots_.pop_front();
}

std::vector<Vec3> SnapshotBuffer::sample(double t) const {
  if (snapshots_.empty()) return {};
  if (t <= snapshots_.front().time) return snapshots_.front().positions;
  if (t >= snapshots_.back().time) return snapshots_.back().positions;
  for (std::size_t i = 1; i < snapshots_.size(); ++i) {
    const auto& b = snapshots_[i];
    if (b.time < t) continue;
    const auto& a = snapshots_[i - 1];
    const float f = static_cast<float>((t - a.time) / (b.time - a.time));
    std::vector<Vec3> out(a.positions.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
      out[k] = {a.positions[k].x + (b.positions[k].x - a.positions[k].x) * f,
                a.positions[k].y + (b.positions[k].y - a.positions[k].y) * f,
                a.positions[k].z + (b.positions[k].z - a.positions[k].z) * f};
    }
    return out;
  }
  return snapshots_.back().positions;
}

SnapshotBuffer::Bracket SnapshotBuffer::bracket(double t) const {
  if (snapshots_.empty()) return {};
  auto one = [](const Entry& e) { return Bracket{&e.positions, &e.positions, e.seq, e.seq, e.time, e.time}; };
  if (t <= snapshots_.front().time) return one(snapshots_.front());
  if (t >= snapshots_.back().time) return one(snapshots_.back());
  for (std::size_t i = 1; i < snapshots_.size(); ++i) {
    const auto& b = snapshots_[i];
    if (b.time < t) continue;
    const auto& a = snapshots_[i - 1];
    return {&a.positions, &b.positions, a.seq, b.seq, a.time, b.time};
  }
  return one(snapshots_.back());
}

float SnapshotBuffer::Bracket::fraction(double t) const {
  if (to_time <= from_time) return 0;
  const double f = (t - from_time) / (to_time - from_time);
  return static_cast<float>(f < 0 ? 0 : (f > 1 ? 1 : f));
}

}  // namespace lodestone::client
