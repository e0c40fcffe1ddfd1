#pragma once
// Per-item cube data: positions of the snapshot pair being shown, the colour a label gives,
// the thumbnail tile. Rebuilt only when the pair or the labels change, never per frame.
#include "core/render_data.h"
#include "core/room_client.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lodestone::client {

inline constexpr std::uint32_t kUnlabelledGrey = 0x8C8C8C;

// How unlabelled cubes show the model's view (a view setting of the client).
struct CubeStyle {
  bool predictions = true;  // tint by predicted class, stronger the more confident; mark the least certain
};

// The share of unlabelled items marked as the model's least certain (suggestions to look
// at), and the most marked however large the dataset.
inline constexpr double kSuggestedShare = 0.01;
inline constexpr std::size_t kMostSuggested = 200;
inline constexpr std::uint32_t kSuggestionRgb = 0xF4F0D8;  // a pale glow beside the class colours, pulsing

// The face colour of an item: its class colour when labelled; unlabelled, grey, or with
// predictions shown a tint of the predicted class whose strength follows the confidence.
std::uint32_t cube_rgb(std::uint32_t item, const SceneState& scene, const CubeStyle& style = {});

// The least certain unlabelled items (lowest confidence first), at most
// max(1, kSuggestedShare of the unlabelled) and kMostSuggested.
std::vector<std::uint32_t> least_certain_items(const SceneState& scene);

// The centre of the densest cluster of the least certain items (where to go and look), or
// nullopt when the model has no verdicts yet.
std::optional<Vec3> densest_uncertain_region(const SceneState& scene, const std::vector<Vec3>& positions);

// A cube size that keeps `items` cubes in the room apart: under a fifth of their mean spacing.
float cube_half_size(std::size_t items, const Box& room);

class CubeInstances {
 public:
  // Rebuilds the instances when the bracket's pair or the labels changed since the last
  // call; true when it did (the renderer then uploads them).
  bool refresh(const SnapshotBuffer::Bracket& bracket, const SceneState& scene, const CubeStyle& style = {});
  const std::vector<CubeInstance>& instances() const { return instances_; }

 private:
  std::vector<CubeInstance> instances_;
  std::uint64_t from_seq_ = 0, to_seq_ = 0, labels_version_ = 0, predictions_version_ = 0;
  bool showed_predictions_ = true;
  std::vector<std::uint32_t> suggested_;  // least_certain_items as of the versions above
  bool suggested_built_ = false;
  std::size_t class_count_ = 0;
  bool built_ = false;
};

}  // namespace lodestone::client
