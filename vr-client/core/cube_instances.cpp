#include "core/cube_instances.h"

#include <algorithm>
#include <cmath>

namespace lodestone::client {

namespace {

std::uint32_t mix_rgb(std::uint32_t a, std::uint32_t b, float t) {
  std::uint32_t out = 0;
  for (int shift : {16, 8, 0}) {
    const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
    out |= static_cast<std::uint32_t>(std::lround(x + (y - x) * t)) << shift;
  }
  return out;
}

}  // namespace

std::uint32_t cube_rgb(std::uint32_t item, const SceneState& scene, const CubeStyle& style) {
  const auto it = scene.labels.find(item);
  if (it != scene.labels.end()) {
    for (const auto& c : scene.label_set.classes) {
      if (c.id == it->second) return c.color & 0xFFFFFF;
    }
    return kUnlabelledGrey;
  }
  if (!style.predictions || item >= scene.predictions.size()) return kUnlabelledGrey;
  const auto& p = scene.predictions[item];
  if (p.class_position >= scene.label_set.classes.size()) return kUnlabelledGrey;
  // Subtle: even a certain prediction keeps some grey, so labelled cubes stand apart.
  const float strength = 0.15f + 0.5f * confidence_of(p.confidence);
  return mix_rgb(kUnlabelledGrey, scene.label_set.classes[p.class_position].color & 0xFFFFFF, strength);
}

std::vector<std::uint32_t> least_certain_items(const SceneState& scene) {
  std::vector<std::uint32_t> unlabelled;
  for (const auto& p : scene.predictions) {
    if (p.class_position != kNoPrediction && !scene.labels.contains(p.item_index)) unlabelled.push_back(p.item_index);
  }
  if (unlabelled.empty()) return {};
  const std::size_t keep = std::min(
      {unlabelled.size(), kMostSuggested,
       std::max<std::size_t>(1, static_cast<std::size_t>(kSuggestedShare * static_cast<double>(unlabelled.size())))});
  const auto less_certain = [&](std::uint32_t a, std::uint32_t b) {
    return scene.predictions[a].confidence != scene.predictions[b].confidence
               ? scene.predictions[a].confidence < scene.predictions[b].confidence
               : a < b;
  };
  std::partial_sort(unlabelled.begin(), unlabelled.begin() + static_cast<std::ptrdiff_t>(keep), unlabelled.end(),
                    less_certain);
  unlabelled.resize(keep);
  return unlabelled;
}

std::optional<Vec3> densest_uncertain_region(const SceneState& scene, const std::vector<Vec3>& positions) {
  const auto items = least_certain_items(scene);
  if (items.empty()) return std::nullopt;
  // The uncertain item with the most uncertain neighbours within a room-scaled radius,
  // then the mean of those neighbours: a few hundred points, so the square cost is small.
  const Box room = scene.dataset ? scene.dataset->room : Box{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
  const float radius = 0.1f * (room.max.x - room.min.x);
  std::size_t best = 0, best_count = 0;
  for (std::size_t a = 0; a < items.size(); ++a) {
    if (items[a] >= positions.size()) continue;
    std::size_t count = 0;
    for (auto b : items) count += b < positions.size() && length(positions[b] - positions[items[a]]) <= radius;
    if (count > best_count) best = a, best_count = count;
  }
  if (best_count == 0) return std::nullopt;
  Vec3 sum{0, 0, 0};
  for (auto b : items) {
    if (b < positions.size() && length(positions[b] - positions[items[best]]) <= radius) sum = sum + positions[b];
  }
  return sum * (1.0f / static_cast<float>(best_count));
}

float cube_half_size(std::size_t items, const Box& room) {
  const float volume = (room.max.x - room.min.x) * (room.max.y - room.min.y) * (room.max.z - room.min.z);
  if (items == 0 || !(volume > 0)) return 0.02f;
  const float spacing = std::cbrt(volume / static_cast<float>(items));
  return std::clamp(0.18f * spacing, 0.006f, 0.025f);
}

void CubeInstances::choose_nearest(Vec3 viewer, std::size_t most_cubes) {
  lod_viewer_ = viewer;
  near_count_ = std::min(instances_.size(), most_cubes);
  if (near_count_ == instances_.size()) return;
  // Partitioned, not sorted: linear in the items, and only when the pair or the viewer's
  // place changed (a few times a second), never per frame.
  const auto distance2 = [&](const CubeInstance& c) {
    const float dx = c.next[0] - viewer.x, dy = c.next[1] - viewer.y, dz = c.next[2] - viewer.z;
    return dx * dx + dy * dy + dz * dz;
  };
  std::nth_element(instances_.begin(), instances_.begin() + static_cast<std::ptrdiff_t>(near_count_), instances_.end(),
                   [&](const CubeInstance& a, const CubeInstance& b) { return distance2(a) < distance2(b); });
}

bool CubeInstances::refresh(const SnapshotBuffer::Bracket& bracket, const SceneState& scene, const CubeStyle& style,
                            Vec3 viewer, std::size_t most_cubes) {
  if (bracket.from == nullptr) return false;
  if (built_ && bracket.from_seq == from_seq_ && bracket.to_seq == to_seq_ &&
      scene.labels_version == labels_version_ && scene.label_set.classes.size() == class_count_ &&
      scene.predictions_version == predictions_version_ && style.predictions == showed_predictions_) {
    if (instances_.size() <= most_cubes || length(viewer - lod_viewer_) < kLodStep) return false;
    choose_nearest(viewer, most_cubes);  // the same cloud, seen from elsewhere
    return true;
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
  // R8G8B8A8 in memory: red in the lowest byte.
  const auto paint = [&](std::uint32_t item, std::uint32_t rgb, std::uint32_t alpha = kOpaqueAlpha) {
    instances_[item].rgba = (alpha << 24) | ((rgb >> 16) & 0xFF) | (rgb & 0xFF00) | ((rgb & 0xFF) << 16);
  };
  if (style.predictions) {
    for (const auto& p : scene.predictions) {
      if (p.item_index < n && p.class_position != kNoPrediction) paint(p.item_index, cube_rgb(p.item_index, scene, style));
    }
    // The suggestions change with the predictions and labels, not with every snapshot pair.
    if (!suggested_built_ || scene.predictions_version != predictions_version_ || scene.labels_version != labels_version_) {
      suggested_ = least_certain_items(scene);
      suggested_built_ = true;
    }
    for (auto item : suggested_) {
      if (item < n) paint(item, kSuggestionRgb, kSuggestionAlpha);
    }
  }
  for (const auto& [item, cls] : scene.labels) {
    if (item < n) paint(item, cube_rgb(item, scene, style));
  }
  choose_nearest(viewer, most_cubes);
  from_seq_ = bracket.from_seq;
  to_seq_ = bracket.to_seq;
  labels_version_ = scene.labels_version;
  predictions_version_ = scene.predictions_version;
  showed_predictions_ = style.predictions;
  class_count_ = scene.label_set.classes.size();
  built_ = true;
  return true;
}

}  // namespace lodestone::client
