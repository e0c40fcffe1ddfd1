#include "core/frame_scene_builder.h"

#include "core/class_keys.h"
#include "core/cube_instances.h"
#include "core/text_quads.h"

#include <algorithm>
#include <cmath>

namespace lodestone::client {
namespace {

ShapeInstance box(Vec3 center, Vec3 half, std::array<float, 4> rgba) {
  ShapeInstance s{};
  s.center[0] = center.x, s.center[1] = center.y, s.center[2] = center.z;
  s.kind = static_cast<float>(ShapeKind::Box);
  s.half[0] = half.x, s.half[1] = half.y, s.half[2] = half.z;
  std::copy(rgba.begin(), rgba.end(), s.rgba);
  return s;
}

ShapeInstance sphere(Vec3 center, float radius, std::array<float, 4> rgba, float rim) {
  ShapeInstance s = box(center, {radius, radius, radius}, rgba);
  s.rim = rim;
  return s;
}

ShapeInstance overlay_billboard(Vec3 center, float half_w, float half_h, std::array<float, 4> rgba) {
  ShapeInstance s = box(center, {half_w, half_h, 0}, rgba);
  s.kind = static_cast<float>(ShapeKind::OverlayBillboard);
  return s;
}

std::uint32_t class_rgb(const SceneState& scene, ClassId id) {
  for (const auto& c : scene.label_set.classes) {
    if (c.id == id) return c.color & 0xFFFFFF;
  }
  return 0xFFFFFF;  // no class: white
}

void add_room(FrameScene& f, const Box& room) {
  const Floor floor = floor_around(room);
  const float cx = (floor.min_x + floor.max_x) / 2, cz = (floor.min_z + floor.max_z) / 2;
  f.boxes.push_back(box({cx, floor.height - 0.01f, cz}, {(floor.max_x - floor.min_x) / 2, 0.01f, (floor.max_z - floor.min_z) / 2},
                        {0.16f, 0.17f, 0.19f, 1}));
  const std::array<float, 4> grid{0.30f, 0.32f, 0.36f, 1};
  for (float x = std::ceil(floor.min_x); x <= floor.max_x; x += 1) {
    f.boxes.push_back(box({x, floor.height + 0.001f, cz}, {0.006f, 0.002f, (floor.max_z - floor.min_z) / 2}, grid));
  }
  for (float z = std::ceil(floor.min_z); z <= floor.max_z; z += 1) {
    f.boxes.push_back(box({cx, floor.height + 0.001f, z}, {(floor.max_x - floor.min_x) / 2, 0.002f, 0.006f}, grid));
  }
  // The twelve edges of the room box the cloud lives in.
  const std::array<float, 4> edge{0.35f, 0.45f, 0.6f, 1};
  const Vec3 c = (room.min + room.max) * 0.5f, h = (room.max - room.min) * 0.5f;
  constexpr float t = 0.004f;
  for (float a : {-1.0f, 1.0f}) {
    for (float b : {-1.0f, 1.0f}) {
      f.boxes.push_back(box({c.x, c.y + a * h.y, c.z + b * h.z}, {h.x, t, t}, edge));
      f.boxes.push_back(box({c.x + a * h.x, c.y, c.z + b * h.z}, {t, h.y, t}, edge));
      f.boxes.push_back(box({c.x + a * h.x, c.y + b * h.y, c.z}, {t, t, h.z}, edge));
    }
  }
}

void add_avatar(FrameScene& f, const Presence& p) {
  const auto colour = rgb_to_floats(p.color);
  const Vec3 head = p.head.position;
  f.boxes.push_back(box(head, {0.09f, 0.11f, 0.09f}, colour));
  // A dark visor on the side the head faces, so others can tell where it looks.
  const Vec3 ahead = forward(p.head.orientation);
  f.boxes.push_back(box(head + ahead * 0.09f + Vec3{0, 0.02f, 0}, {0.05f, 0.025f, 0.05f}, {0.05f, 0.05f, 0.08f, 1}));
  for (const Pose* hand : {&p.left_hand, &p.right_hand}) {
    f.boxes.push_back(box(hand->position, {0.04f, 0.04f, 0.04f}, colour));
  }
  append_billboard_text(f.quads, p.name, head + Vec3{0, 0.16f, 0}, 0.06f, {1, 1, 1, 1});
}

void add_spheres(FrameScene& f, const SceneState& scene, const InteractionMachine& machine) {
  const SphereId edited = machine.selected();
  for (const auto& [id, s] : scene.spheres) {
    const bool highlighted = id == edited;
    f.spheres.push_back(sphere(s.center, s.radius, rgb_to_floats(class_rgb(scene, s.class_id), highlighted ? 0.38f : 0.22f),
                               highlighted ? 1.0f : 0.3f));
  }
  for (const auto& p : machine.previews()) {
    // Pending: pale and rim-lit until the server's answer replaces it.
    auto rgba = rgb_to_floats(class_rgb(scene, p.class_id), p.awaiting_server ? 0.12f : 0.2f);
    f.spheres.push_back(sphere(p.center, p.radius, rgba, p.awaiting_server ? 0.6f : 1.0f));
  }
}

void add_menu(FrameScene& f, const SceneState& scene, const InteractionMachine& machine) {
  const MenuView& menu = machine.menu();
  if (!menu.open) return;
  for (const auto& e : menu.entries) {
    const auto& cls = scene.label_set.classes.at(static_cast<std::size_t>(e.class_position));
    // Drawn over the cloud, in order: border, entry, label.
    if (e.hovered) {
      f.quads.push_back(overlay_billboard(e.center, e.half_width + 0.008f, e.half_height + 0.008f, {1, 1, 1, 1}));
    }
    f.quads.push_back(overlay_billboard(e.center, e.half_width, e.half_height, rgb_to_floats(cls.color)));
    const char key = key_for_class(static_cast<std::size_t>(e.class_position), scene.label_set);
    const std::string label = key != 0 ? "[" + std::string(1, key) + "] " + cls.name : cls.name;
    append_billboard_text(f.quads, label, e.center - Vec3{0, 0.6f * e.half_height, 0}, 1.2f * e.half_height,
                          {0, 0, 0, 1}, ShapeKind::OverlayBillboard);
  }
}

void add_teleport(FrameScene& f, const InteractionMachine& machine) {
  const auto& arc = machine.teleport_arc();
  if (!arc) return;
  const std::array<float, 4> colour = arc->valid ? std::array<float, 4>{0.2f, 0.9f, 0.4f, 1}
                                                 : std::array<float, 4>{0.9f, 0.25f, 0.2f, 1};
  for (std::size_t i = 0; i < arc->points.size(); i += 2) {
    f.boxes.push_back(box(arc->points[i], {0.012f, 0.012f, 0.012f}, colour));
  }
  if (arc->valid) f.boxes.push_back(box(arc->target + Vec3{0, 0.005f, 0}, {0.25f, 0.004f, 0.25f}, colour));
}

void add_overlay(FrameScene& f, const Overlay& overlay) {
  if (overlay.width <= 0 || overlay.lines.empty()) return;
  constexpr float kScale = 2.0f, kLine = 12.0f * kScale, kMargin = 8.0f;
  float widest = 0;
  for (const auto& line : overlay.lines) widest = std::max(widest, text_width(line) * kScale);
  append_screen_rect(f.quads, 0, 0, widest + 2 * kMargin, static_cast<float>(overlay.lines.size()) * kLine + 2 * kMargin,
                     overlay.width, overlay.height, {0, 0, 0, 1});
  float y = kMargin;
  for (const auto& line : overlay.lines) {
    append_screen_text(f.quads, line, kMargin, y, kScale, overlay.width, overlay.height, {0.9f, 0.9f, 0.9f, 1});
    y += kLine;
  }
}

}  // namespace

Box room_box(const SceneState& scene) {
  return scene.dataset ? scene.dataset->room : Box{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
}

FrameScene build_frame_scene(const SceneState& scene, const InteractionMachine& machine, const LocalHands& hands,
                             const Overlay& overlay) {
  FrameScene f;
  const Box room = room_box(scene);
  f.cube_half_size = cube_half_size(scene.dataset ? scene.dataset->item_count : 0, room);
  add_room(f, room);
  for (const auto& [id, p] : scene.others) add_avatar(f, p);
  if (hands.show) {
    const auto colour = rgb_to_floats(scene.me ? scene.me->color : 0xFFFFFF);
    f.boxes.push_back(box(hands.left, {0.03f, 0.03f, 0.03f}, colour));
    f.boxes.push_back(box(hands.right, {0.03f, 0.03f, 0.03f}, colour));
  }
  add_teleport(f, machine);
  add_spheres(f, scene, machine);
  add_menu(f, scene, machine);
  add_overlay(f, overlay);
  return f;
}

void set_interpolation_time(FrameScene& frame, const SnapshotBuffer::Bracket& bracket, double render_time) {
  frame.snapshot_span = static_cast<float>(bracket.to_time - bracket.from_time);
  frame.seconds_since_from = static_cast<float>(render_time - bracket.from_time);
  constexpr double kTwoPi = 6.283185307179586;
  frame.pulse = static_cast<float>(0.5 + 0.5 * std::sin(kTwoPi * kPulseHz * render_time));
}

}  // namespace lodestone::client
