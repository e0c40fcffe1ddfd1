#include "core/cube_instances.h"

#include <algorithm>
#include <cmath>

namespace lodestone::client {

std::uint32_t cube_rgb(std::uint32_t item, const SceneState& scene) {
  const auto it = scene.labels.find(item);
  if (it == scene.labels.end()) return kUnlabelledGrey;
  for (const auto& c : scene.label_set.classes) {
    if (c.id == it->second) return c.color & 0xFFFFFF;
  }
  return kUnlabelledGrey;
}

float cube_half_size(std::size_t items, const Box& room) {
  const float volume = (room.max.x - room.min.x) * (room.max.y - room.min.y) * (room.max.z - room.min.z);
  if (items == 0 || !(volume > 0)) return 0.02f;
  const float spacing = std::cbrt(volume / static_cast<float>(items));
  return std::clamp(0.18f * spacing, 0.006f, 0.025f);
}

bool CubeInstances::refresh(const SnapshotBuffer::Bracket& bracket, const SceneState& scene) {
  if (bracket.from == nullptr) return false;
  if (built_ && bracket.from_seq == from_seq_ && bracket.to_seq == to_seq_ &&
      scene.labels_version == labels_version_ && scene.label_set.classes.size() == class_count_) {
    return false;
  }
  const auto& a = *bracket.from;
  const auto& b = *bracket.to;
  const std::size_t n = std::min(a.size(), b.size());
  instances_.resize(n);
  // Colours by item: grey, then each label painted over (labels are few beside items).
  for (std::size_t i = 0; i < n; ++i) {
    instances_[i] = {{a[i].x, a[i].y, a[i].z}, {b[i].x, b[i].y, b[i].z}, 0xFF000000u | 0x8C8C8Cu,
                     static_cast<std::uint32_t>(i)};
  }
  for (const auto& [item, cls] : scene.labels) {
    if (item >= n) continue;
    const std::uint32_t rgb = cube_rgb(item, scene);
    // R8G8B8A8 in memory: red in the lowest byte.
    instances_[item].rgba = 0xFF000000u | ((rgb >> 16) & 0xFF) | (rgb & 0xFF00) | ((rgb & 0xFF) << 16);
  }
  from_seq_ = bracket.from_seq;
  to_seq_ = bracket.to_seq;
  labels_version_ = scene.labels_version;
  class_count_ = scene.label_set.classes.size();
  built_ = true;
  return true;
}

}  // namespace lodestone::client
