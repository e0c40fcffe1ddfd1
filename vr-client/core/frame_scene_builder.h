#pragma once
// Builds the frame's shapes from the scene the server told us and the interaction state:
// translucent spheres (the edited one highlighted, pending ones faint), other users'
// avatars, room bounds and floor, the label menu, the teleport arc, and the on-screen text.
// Cost grows with spheres and users, never with the number of items.
#include "core/interaction.h"
#include "core/render_data.h"
#include "core/room_client.h"

#include <string>
#include <vector>

namespace lodestone::client {

// Text drawn on a flat target (window, headless image); none in a headset.
struct Overlay {
  int width = 0, height = 0;
  std::vector<std::string> lines;
};

struct LocalHands {
  bool show = false;
  Vec3 left, right;  // room coordinates
};

FrameScene build_frame_scene(const SceneState& scene, const InteractionMachine& machine, const LocalHands& hands,
                             const Overlay& overlay);

// Sets the frame's time uniform: where `render_time` falls in the bracket's pair.
void set_interpolation_time(FrameScene& frame, const SnapshotBuffer::Bracket& bracket, double render_time);

// The room box a scene uses (the dataset's, or the server's default before it arrives).
Box room_box(const SceneState& scene);

}  // namespace lodestone::client
