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

// Level of detail: at most this many items, the nearest to the viewer, are drawn as cubes
// (12 triangles each: 1.2 M at most); the rest, too far to show a thumbnail, as points of
// their colour. Below it every item is a cube, as before.
inline constexpr std::size_t kMostCubes = 100'000;
// The viewer moving this far (metres) re-chooses the nearest, even while the cloud is still.
inline constexpr float kLodStep = 0.25f;

// A cube size that keeps `items` cubes in the room apart: under a fifth of their mean spacing.
float cube_half_size(std::size_t items, const Box& room);

class CubeInstances {
 public:
  // Rebuilds the instances when the bracket's pair or the labels changed since the last
  // call, or (past kMostCubes items) the viewer moved kLodStep; true when it did (the
  // renderer then uploads them). The first near_count() instances are the ones nearest
  // `viewer`, to draw as cubes; the others are drawn as points.
  bool refresh(const SnapshotBuffer::Bracket& bracket, const SceneState& scene, const CubeStyle& style = {},
               Vec3 viewer = {0, 1.6f, 0}, std::size_t most_cubes = kMostCubes);
  const std::vector<CubeInstance>& instances() const { return instances_; }
  std::size_t near_count() const { return near_count_; }

 private:
  void choose_nearest(Vec3 viewer, std::size_t most_cubes);

  std::vector<CubeInstance> instances_;
  std::size_t near_count_ = 0;
  Vec3 lod_viewer_{0, 0, 0};
  std::uint64_t from_seq_ = 0, to_seq_ = 0, labels_version_ = 0, predictions_version_ = 0;
  bool showed_predictions_ = true;
  std::vector<std::uint32_t> suggested_;  // least_certain_items as of the versions above
  bool suggested_built_ = false;
  std::size_t class_count_ = 0;
  bool built_ = false;
};

}  // namespace lodestone::client
