#include "core/interaction.h"

#include "core/class_keys.h"
#include "core/math3d.h"

#include <algorithm>
#include <cmath>

namespace lodestone::client {
namespace {

constexpr Box kDefaultRoom{{-2.0f, 0.2f, -2.0f}, {2.0f, 2.6f, 2.0f}};
constexpr float kMoved = 0.001f;  // less than a millimetre is no change worth an intent

Box room_of(const SceneState& scene) { return scene.dataset ? scene.dataset->room : kDefaultRoom; }

float max_radius(const SceneState& scene) {
  const Box room = room_of(scene);
  return room.max.x - room.min.x;
}

SpherePreview preview_of(const Sphere& s) { return {s.id, s.center, s.radius, s.class_id, false}; }

}  // namespace

Pose InteractionMachine::to_room(Pose tracked) const {
  tracked.position = tracked.position + rig_offset_;
  return tracked;
}

void InteractionMachine::update(const FrameInput& in, const SceneState& scene) {
  collect_results();
  if (selected_ != 0 && !scene.spheres.contains(selected_)) selected_ = 0;
  const Vec3 right = in.right.position + rig_offset_;
  const Vec3 left = in.left.position + rig_offset_;
  on_teleport(in, right, scene);
  on_walk(in);
  if (menu_.open) {
    on_menu(in, right, scene);
  } else {
    on_grip(in, right, left, scene);
    if (in.toggle_menu) open_menu(to_room(in.head), scene);
  }
  on_resize_axis(in.resize, scene);
  on_actions(in, scene);
  previous_ = in;
}

void InteractionMachine::collect_results() {
  std::erase_if(pending_, [&](const Pending& p) {
    const auto result = channel_.result(p.id);
    if (!result) return false;
    if (!result->accepted()) {
      message_ = "refused: " + result->reason();
    } else if (p.intent.kind == IntentKind::CreateSphere) {
      selected_ = result->sphere_id;
    } else if (p.intent.kind == IntentKind::AssignClass || p.intent.kind == IntentKind::EraseLabels ||
               p.intent.kind == IntentKind::Undo || p.intent.kind == IntentKind::AcceptPredictions) {
      message_ = std::to_string(result->items_affected) + " items " +
                 (p.intent.kind == IntentKind::AssignClass         ? "labelled"
                  : p.intent.kind == IntentKind::AcceptPredictions ? "labelled with the model's predictions"
                                                                   : "changed");
    }
    return true;
  });
}

void InteractionMachine::send(Intent intent, std::optional<SpherePreview> preview) {
  const auto id = channel_.send(intent);
  if (preview) preview->awaiting_server = true;
  pending_.push_back({id, intent, preview});
}

bool InteractionMachine::editable(const Sphere& sphere, const SceneState& scene) const {
  if (!scene.me) return false;
  if (scene.me->role == Role::Lead) return true;
  return scene.me->role == Role::Annotator && sphere.owner_id == scene.me->user_id;
}

const Sphere* InteractionMachine::sphere_at(Vec3 point, const SceneState& scene) const {
  const Sphere* best = nullptr;
  for (const auto& [id, s] : scene.spheres) {
    if (length(point - s.center) <= s.radius && (best == nullptr || s.radius < best->radius)) best = &s;
  }
  return best;
}

void InteractionMachine::on_grip(const FrameInput& in, Vec3 right, Vec3 left, const SceneState& scene) {
  const bool pressed = in.right.grip && !previous_.right.grip;
  const bool released = !in.right.grip && previous_.right.grip;
  if (pressed) {
    const Sphere* touched = sphere_at(right, scene);
    if (touched != nullptr && editable(*touched, scene)) {
      gesture_ = Gesture::Moving;
      edit_ = preview_of(*touched);
      grab_offset_ = touched->center - right;
      selected_ = touched->id;
    } else {
      gesture_ = Gesture::Creating;
      edit_ = {0, right, kMinRadius, kNoClass, false};
    }
    return;
  }
  if (gesture_ == Gesture::Idle) {
    if (const Sphere* touched = sphere_at(right, scene)) selected_ = touched->id;
    return;
  }
  if (gesture_ == Gesture::Creating) {
    edit_.radius = std::clamp(length(right - edit_.center), kMinRadius, max_radius(scene));
  } else {
    const bool both = in.left.grip;
    if (both && gesture_ == Gesture::Moving) {
      gesture_ = Gesture::TwoHandResize;
      resize_start_radius_ = edit_.radius;
      resize_start_distance_ = std::max(length(left - right), 0.01f);
    } else if (!both && gesture_ == Gesture::TwoHandResize) {
      gesture_ = Gesture::Moving;
    }
    if (gesture_ == Gesture::TwoHandResize) {
      edit_.radius = std::clamp(resize_start_radius_ * length(left - right) / resize_start_distance_, kMinRadius,
                                max_radius(scene));
    }
    edit_.center = right + grab_offset_;
  }
  if (!released) return;

  if (gesture_ == Gesture::Creating) {
    send({0, IntentKind::CreateSphere, 0, edit_.center, edit_.radius, kNoClass}, edit_);
  } else if (const auto it = scene.spheres.find(edit_.id); it != scene.spheres.end()) {
    const bool moved = length(edit_.center - it->second.center) > kMoved;
    const bool resized = std::abs(edit_.radius - it->second.radius) > kMoved;
    // One preview for the pair: the sphere as both intents leave it.
    if (moved) send({0, IntentKind::MoveSphere, edit_.id, edit_.center, 0, kNoClass}, resized ? std::nullopt : std::optional(edit_));
    if (resized) send({0, IntentKind::ResizeSphere, edit_.id, {}, edit_.radius, kNoClass}, edit_);
  }
  gesture_ = Gesture::Idle;
}

void InteractionMachine::on_resize_axis(float resize, const SceneState& scene) {
  const float factor = 1.0f + 0.1f * resize;
  if (gesture_ == Gesture::Creating || gesture_ == Gesture::Moving) {
    edit_.radius = std::clamp(edit_.radius * factor, kMinRadius, max_radius(scene));
    return;
  }
  if (gesture_ != Gesture::Idle) return;
  if (resize != 0) {
    if (!scroll_edit_) {
      const auto it = scene.spheres.find(selected_);
      if (it == scene.spheres.end() || !editable(it->second, scene)) return;
      scroll_edit_ = preview_of(it->second);
    }
    scroll_edit_->radius = std::clamp(scroll_edit_->radius * factor, kMinRadius, max_radius(scene));
  } else if (scroll_edit_) {
    // The axis came back to rest: the resize is done; one intent for the whole motion.
    send({0, IntentKind::ResizeSphere, scroll_edit_->id, {}, scroll_edit_->radius, kNoClass}, scroll_edit_);
    scroll_edit_.reset();
  }
}

void InteractionMachine::on_actions(const FrameInput& in, const SceneState& scene) {
  if (in.undo) send({0, IntentKind::Undo, 0, {}, 0, kNoClass});
  const bool has_selection = scene.spheres.contains(selected_);
  const bool picks_class = (in.class_position >= 0 || in.class_key != 0) && !menu_.open;
  if ((in.delete_sphere || in.erase_labels || in.accept_predictions || picks_class) && !has_selection) {
    message_ = "touch or draw a sphere first";
    return;
  }
  if (in.class_key != 0 && !menu_.open && class_for_key(in.class_key, scene.label_set) < 0) {
    message_ = std::string("key ") + in.class_key + " picks no class in this label set";
  } else if (in.class_key != 0 && !menu_.open) {
    const auto position = static_cast<std::size_t>(class_for_key(in.class_key, scene.label_set));
    send({0, IntentKind::AssignClass, selected_, {}, 0, scene.label_set.classes[position].id});
  }
  if (in.class_position >= 0 && !menu_.open) {
    if (static_cast<std::size_t>(in.class_position) >= scene.label_set.classes.size()) {
      message_ = "no class " + std::to_string(in.class_position + 1) + " in this label set";
    } else {
      const auto cls = scene.label_set.classes[static_cast<std::size_t>(in.class_position)].id;
      send({0, IntentKind::AssignClass, selected_, {}, 0, cls});
    }
  }
  if (in.erase_labels) send({0, IntentKind::EraseLabels, selected_, {}, 0, kNoClass});
  if (in.accept_predictions) send({0, IntentKind::AcceptPredictions, selected_, {}, 0, kNoClass});
  if (in.delete_sphere) {
    send({0, IntentKind::DeleteSphere, selected_, {}, 0, kNoClass});
    menu_.open = false;
  }
}

void InteractionMachine::open_menu(const Pose& head, const SceneState& scene) {
  if (!scene.spheres.contains(selected_)) {
    message_ = "touch or draw a sphere first";
    return;
  }
  Vec3 ahead = forward(head.orientation);
  ahead.y = 0;
  ahead = length(ahead) > 1e-3f ? normalize(ahead) : Vec3{0, 0, -1};
  menu_ = {};
  menu_.open = true;
  menu_.sphere_id = selected_;
  menu_.up = {0, 1, 0};
  menu_.right = normalize(cross(ahead, menu_.up));
  const Vec3 origin = head.position + ahead * 0.6f - Vec3{0, 0.15f, 0};
  const int count = static_cast<int>(scene.label_set.classes.size());
  const int columns = count > 5 ? 2 : 1;
  const int rows = (count + columns - 1) / columns;
  constexpr float kWidth = 0.2f, kHeight = 0.06f;
  for (int i = 0; i < count; ++i) {
    const int col = i / rows, row = i % rows;
    const float x = (static_cast<float>(col) - static_cast<float>(columns - 1) / 2) * (kWidth + 0.02f);
    const float y = (static_cast<float>(rows - 1) / 2 - static_cast<float>(row)) * (kHeight + 0.015f);
    menu_.entries.push_back({origin + menu_.right * x + menu_.up * y, kWidth / 2, kHeight / 2, i, false});
  }
}

void InteractionMachine::on_menu(const FrameInput& in, Vec3 right, const SceneState& scene) {
  if (in.toggle_menu || !scene.spheres.contains(menu_.sphere_id)) {
    menu_.open = false;
    return;
  }
  // The pointing ray against the panel's plane.
  const Vec3 normal = cross(menu_.right, menu_.up);
  const Vec3 dir = normalize(in.right.pointing);
  const float facing = dot(dir, normal);
  std::optional<Vec3> hit;
  if (!menu_.entries.empty() && std::abs(facing) > 1e-4f) {
    const float t = dot(menu_.entries.front().center - right, normal) / facing;
    if (t > 0) hit = right + dir * t;
  }
  const MenuEntry* hovered = nullptr;
  for (auto& e : menu_.entries) {
    e.hovered = false;
    if (!hit) continue;
    const Vec3 d = *hit - e.center;
    e.hovered = std::abs(dot(d, menu_.right)) <= e.half_width && std::abs(dot(d, menu_.up)) <= e.half_height;
    if (e.hovered) hovered = &e;
  }
  const bool click = (in.right.trigger && !previous_.right.trigger) || (in.right.grip && !previous_.right.grip);
  int chosen = in.class_position;
  if (click) {
    if (hovered == nullptr) {
      menu_.open = false;  // a click beside the menu closes it
      return;
    }
    chosen = hovered->class_position;
  }
  if (chosen >= 0 && static_cast<std::size_t>(chosen) < scene.label_set.classes.size()) {
    send({0, IntentKind::AssignClass, menu_.sphere_id, {}, 0,
          scene.label_set.classes[static_cast<std::size_t>(chosen)].id});
    menu_.open = false;
  }
}

void InteractionMachine::on_teleport(const FrameInput& in, Vec3 right, const SceneState& scene) {
  if (in.teleport_aim) {
    arc_ = compute_teleport_arc(right, in.right.pointing, floor_around(room_of(scene)));
    return;
  }
  if (previous_.teleport_aim && arc_ && arc_->valid) {
    // Move the rig so the head stands above the target; the floor height stays.
    const Vec3 head = in.head.position + rig_offset_;
    rig_offset_.x += arc_->target.x - head.x;
    rig_offset_.z += arc_->target.z - head.z;
    ++teleports_;
  }
  arc_.reset();
}

void InteractionMachine::on_walk(const FrameInput& in) {
  if ((in.walk_x == 0 && in.walk_y == 0) || !(in.seconds > 0)) return;
  // Along the floor: the head's heading without its pitch, so looking down does not sink.
  Vec3 ahead = forward(in.head.orientation);
  ahead.y = 0;
  if (length(ahead) < 1e-3f) return;
  ahead = normalize(ahead);
  const Vec3 side = cross(ahead, {0, 1, 0});
  const float step = kWalkSpeed * std::min(in.seconds, 0.1f);  // a stalled frame is no leap
  rig_offset_ = rig_offset_ + (side * std::clamp(in.walk_x, -1.0f, 1.0f) + ahead * std::clamp(in.walk_y, -1.0f, 1.0f)) * step;
}

std::vector<SpherePreview> InteractionMachine::previews() const {
  std::vector<SpherePreview> out;
  if (gesture_ != Gesture::Idle) out.push_back(edit_);
  if (scroll_edit_) out.push_back(*scroll_edit_);
  for (const auto& p : pending_) {
    if (p.preview) out.push_back(*p.preview);
  }
  return out;
}

}  // namespace lodestone::client
