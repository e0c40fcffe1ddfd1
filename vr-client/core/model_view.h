#pragma once
// What the model thinks, in words, for the panels beside the cloud: what a sphere holds
// (items, unlabelled, the classes the model predicts for them, what accepting would
// label) and one inspected item (its label, who gave it and when, its history, the
// model's prediction). Plain functions of the scene, so every backend shows the same.
#include "core/room_client.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone::client {

struct SphereContents {
  std::size_t items = 0, unlabelled = 0;
  std::size_t acceptable = 0;  // unlabelled, predicted at or above the acceptance threshold
  std::vector<std::pair<std::size_t, std::size_t>> predicted;  // (class position, unlabelled items), most first
};

SphereContents sphere_contents(const SceneState& scene, const std::vector<Vec3>& positions, Vec3 center, float radius);

// "412 items, 120 unlabelled" / "predicted: seven 80, one 25, nine 15" / "accept labels 95 (confidence >= 0.90)".
std::vector<std::string> describe_sphere(const SceneState& scene, const SphereContents& contents);

// The inspect panel's text: the item and its source, the current label (who, when, how),
// earlier annotations, and the model's prediction with its confidence. `details` is the
// server's answer (null while it is on its way).
std::vector<std::string> describe_item(const SceneState& scene, std::uint32_t item, const ItemDetails* details);

}  // namespace lodestone::client
