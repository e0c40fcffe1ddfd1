#pragma once
// The one interaction state machine every backend drives (headset controllers, mouse and
// keyboard, a headless script). It turns hand poses and buttons into intents; it never
// changes the scene itself. What it is doing (a sphere being drawn or dragged, intents
// awaiting the server) is exposed as previews for the renderer to show as pending.
#include "core/intent_channel.h"
#include "core/room_client.h"
#include "core/teleport_arc.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::client {

struct HandInput {
  Vec3 position;              // tracking space
  Vec3 pointing{0, 0, -1};    // the direction the hand points
  bool grip = false;          // held: draw a new sphere, or grab the one the hand is in
  bool trigger = false;       // pressed: pick the menu entry pointed at
};

// One frame of input, in tracking space (the machine adds the teleport offset).
// Flags for one-shot actions are events: true on the frame they happen.
struct FrameInput {
  Pose head;
  HandInput left, right;   // right is the primary hand
  float resize = 0;        // thumbstick / scroll: each unit grows the radius by 10 %
  int class_position = -1; // a class chosen directly (scripts): its position in the label set
  char class_key = 0;       // a number key pressed ('0'–'9'): picks a class as core/class_keys.h says
  bool toggle_menu = false;
  bool delete_sphere = false;
  bool erase_labels = false;
  bool accept_predictions = false;  // label the selected sphere's confident predictions
  bool show_predictions = true;     // a view setting, kept: tint unlabelled cubes with the model's verdict
  bool undo = false;
  bool teleport_aim = false;  // held: show the arc; released on a valid target: teleport
  // Smooth locomotion (a headset's option): the stick's sideways and forward deflection
  // (−1..1) walks along the floor relative to where the head faces, for `seconds`.
  float walk_x = 0, walk_y = 0;
  float seconds = 0;
};

// A sphere as this client would have it once the server agrees; drawn as pending.
struct SpherePreview {
  SphereId id = 0;  // 0 for a sphere not yet created
  Vec3 center;
  float radius = 0;
  ClassId class_id = kNoClass;
  bool awaiting_server = false;  // sent, no answer yet (else: still being gestured)
};

struct MenuEntry {
  Vec3 center;      // room coordinates
  float half_width = 0, half_height = 0;
  int class_position = 0;
  bool hovered = false;
};

struct MenuView {
  bool open = false;
  SphereId sphere_id = 0;
  Vec3 right, up;  // the panel's axes (it faces the head as it was when opened)
  std::vector<MenuEntry> entries;
};

enum class Gesture { Idle, Creating, Moving, TwoHandResize };

class InteractionMachine {
 public:
  explicit InteractionMachine(IntentChannel& channel) : channel_(channel) {}

  // Advances one frame: reads the answers that arrived, then the input.
  void update(const FrameInput& input, const SceneState& scene);

  Gesture gesture() const { return gesture_; }
  // The sphere being edited or last touched (highlighted), 0 for none.
  SphereId selected() const { return selected_; }
  // Spheres being gestured and intents awaiting the server.
  std::vector<SpherePreview> previews() const;
  std::size_t pending_count() const { return pending_.size(); }
  const MenuView& menu() const { return menu_; }
  const std::optional<TeleportArc>& teleport_arc() const { return arc_; }
  // Tracking space + this offset = room coordinates (teleporting moves it).
  Vec3 rig_offset() const { return rig_offset_; }
  // How many teleports so far (walking moves the rig too, but is no teleport).
  std::uint64_t teleport_count() const { return teleports_; }
  Pose to_room(Pose tracked) const;
  // The last refusal or notice, for the user.
  const std::string& message() const { return message_; }

  static constexpr float kMinRadius = 0.03f;
  static constexpr float kWalkSpeed = 1.5f;  // metres a second at full stick

 private:
  struct Pending {
    std::uint64_t id;
    Intent intent;
    std::optional<SpherePreview> preview;  // how the sphere will look if accepted
  };
  void collect_results();
  void send(Intent intent, std::optional<SpherePreview> preview = std::nullopt);
  bool editable(const Sphere& sphere, const SceneState& scene) const;
  const Sphere* sphere_at(Vec3 point, const SceneState& scene) const;
  void on_grip(const FrameInput& in, Vec3 right, Vec3 left, const SceneState& scene);
  void on_resize_axis(float resize, const SceneState& scene);
  void on_actions(const FrameInput& in, const SceneState& scene);
  void on_menu(const FrameInput& in, Vec3 right, const SceneState& scene);
  void on_teleport(const FrameInput& in, Vec3 right, const SceneState& scene);
  void on_walk(const FrameInput& in);
  void open_menu(const Pose& head, const SceneState& scene);

  IntentChannel& channel_;
  std::vector<Pending> pending_;
  Gesture gesture_ = Gesture::Idle;
  SpherePreview edit_;          // the sphere under the current gesture
  Vec3 grab_offset_;            // sphere centre − hand, while moving
  float resize_start_radius_ = 0, resize_start_distance_ = 0;
  std::optional<SpherePreview> scroll_edit_;  // a resize by axis not yet sent
  SphereId selected_ = 0;
  MenuView menu_;
  std::optional<TeleportArc> arc_;
  Vec3 rig_offset_;
  std::uint64_t teleports_ = 0;
  FrameInput previous_;
  std::string message_;
};

// Sends through the room connection.
class RoomIntentChannel final : public IntentChannel {
 public:
  explicit RoomIntentChannel(RoomClient& client) : client_(client) {}
  std::uint64_t send(const Intent& intent) override { return client_.send_intent(intent); }
  std::optional<IntentResult> result(std::uint64_t id) const override { return client_.result(id); }

 private:
  RoomClient& client_;
};

}  // namespace lodestone::client
