#pragma once
// Per-item cube data: positions of the snapshot pair being shown, the colour a label gives,
// the thumbnail tile. Rebuilt only when the pair or the labels change, never per frame.
#include "core/render_data.h"
#include "core/room_client.h"

#include <cstdint>
#include <vector>

namespace lodestone::client {

inline constexpr std::uint32_t kUnlabelledGrey = 0x8C8C8C;

// The face colour of an item: its class colour when labelled, grey when not.
std::uint32_t cube_rgb(std::uint32_t item, const SceneState& scene);

// A cube size that keeps `items` cubes in the room apart: under a fifth of their mean spacing.
float cube_half_size(std::size_t items, const Box& room);

class CubeInstances {
 public:
  // Rebuilds the instances when the bracket's pair or the labels changed since the last
  // call; true when it did (the renderer then uploads them).
  bool refresh(const SnapshotBuffer::Bracket& bracket, const SceneState& scene);
  const std::vector<CubeInstance>& instances() const { return instances_; }

 private:
  std::vector<CubeInstance> instances_;
  std::uint64_t from_seq_ = 0, to_seq_ = 0, labels_version_ = 0;
  std::size_t class_count_ = 0;
  bool built_ = false;
};

}  // namespace lodestone::client
