#pragma once
// What the renderer draws, as plain data: the core builds it, the Vulkan renderer uploads
// it. The instance structs mirror the shaders' instance attributes byte for byte.
#include "core/math3d.h"

#include <array>
#include <cstdint>
#include <vector>

namespace lodestone::client {

// One cube per item (cubes.vert). Uploaded when the snapshot pair or the labels change.
struct CubeInstance {
  float previous[3];        // location 2: position in the older snapshot of the pair
  float next[3];            // location 3: position in the newer one
  std::uint32_t rgba;       // location 4: R8G8B8A8 face colour (class colour or grey); alpha
                            // kSuggestionAlpha marks a suggestion, whose glow pulses
  std::uint32_t thumbnail;  // location 5: tile index in the thumbnail atlas
};
static_assert(sizeof(CubeInstance) == 32);
inline constexpr std::uint32_t kOpaqueAlpha = 0xFF, kSuggestionAlpha = 0x80;

// OverlayBillboard: a billboard drawn over everything (the label menu), never hidden by cubes.
enum class ShapeKind : std::uint32_t { Box = 0, Billboard = 1, ScreenQuad = 2, OverlayBillboard = 3 };

// Boxes, camera-facing quads, screen quads (shapes.vert) and spheres (spheres.vert).
struct ShapeInstance {
  float center[3];       // world position; NDC for a screen quad
  float kind;            // ShapeKind
  float half[3];         // half extents (a sphere: radius in half[0])
  float rim;             // spheres: how strongly the silhouette is lit (highlight)
  float offset[2];       // billboards: offset along the camera's right and up, metres
  float pad[2];
  float rgba[4];
};
static_assert(sizeof(ShapeInstance) == 64);

// The thumbnails, packed into tiles of a texture array (many per layer).
struct ThumbnailSet {
  const std::uint8_t* pixels = nullptr;  // count × width × height × channels, row-major
  std::uint32_t count = 0, width = 0, height = 0, channels = 0;
  const std::uint8_t* held = nullptr;  // per item, nonzero where its tile has arrived (null: all)
};

// One eye: where it is and how it projects (from the backend: a window's camera, a
// headset's eye, a script).
struct EyeView {
  Mat4 view = Mat4::identity();
  Mat4 projection = Mat4::identity();
  Vec3 position;
};

// A window's or a script's single eye: at the head, looking as it looks, with the
// desktop and headless backends' field of view (about 60 degrees, vertical).
inline constexpr float kMonoFieldOfView = 1.05f;
inline EyeView mono_eye(const Pose& head, float aspect) {
  return {view_from_pose(head), perspective(kMonoFieldOfView, aspect, 0.05f, 100.0f), head.position};
}

// How often the least certain items' glow beats: slow enough to read as a call to look,
// not a flicker.
inline constexpr double kPulseHz = 0.8;

// Everything drawn in one frame besides the cubes' per-item data.
struct FrameScene {
  // The time uniform: seconds since the older snapshot of the pair, and the pair's span.
  float seconds_since_from = 0;
  float snapshot_span = 0;
  float cube_half_size = 0.02f;
  float pulse = 1;  // the suggestions' glow, 0 (dim) to 1 (full), beating kPulseHz with the render time
  float fog_start = 3.0f, fog_end = 12.0f;  // metres from the eye; beyond fog_end: background
  std::array<float, 3> background{0.02f, 0.025f, 0.035f};
  std::vector<ShapeInstance> boxes;    // opaque
  std::vector<ShapeInstance> spheres;  // translucent, drawn after everything opaque
  std::vector<ShapeInstance> quads;    // billboards and screen quads, drawn last, in order
};

inline std::array<float, 4> rgb_to_floats(std::uint32_t rgb, float alpha = 1.0f) {
  return {static_cast<float>((rgb >> 16) & 0xFF) / 255.0f, static_cast<float>((rgb >> 8) & 0xFF) / 255.0f,
          static_cast<float>(rgb & 0xFF) / 255.0f, alpha};
}

}  // namespace lodestone::client
