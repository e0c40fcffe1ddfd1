#include "core/client_session.h"

#include <cmath>

namespace lodestone::client {

ClientSession::ClientSession(RoomClient& room, double render_delay)
    : room_(room), channel_(room), machine_(channel_), render_delay_(render_delay) {}

void ClientSession::step(const FrameInput& input) {
  room_.poll(0);
  machine_.update(input, room_.scene());
  const auto now = std::chrono::steady_clock::now();
  if (now - last_presence_ >= std::chrono::milliseconds(50)) {
    last_presence_ = now;
    Pose left, right;
    left.position = input.left.position + machine_.rig_offset();
    right.position = input.right.position + machine_.rig_offset();
    room_.send_presence(head_in_room(input), left, right);
  }
}

bool ClientSession::refresh_cubes() {
  const double render_time = room_.server_seconds_now() - render_delay_;
  return cubes_.refresh(room_.snapshot_buffer().bracket(render_time), room_.scene());
}

bool ClientSession::thumbnails_complete() const {
  const auto& scene = room_.scene();
  return scene.dataset && scene.dataset->thumbnails_bytes > 0 &&
         scene.thumbnail_bytes_received >= scene.dataset->thumbnails_bytes;
}

ThumbnailSet ClientSession::thumbnails() const {
  const auto& scene = room_.scene();
  if (!scene.dataset) return {};
  const auto& d = *scene.dataset;
  const std::size_t per_item = std::size_t{d.width} * d.height * d.channels;
  if (per_item == 0 || scene.thumbnails.size() < per_item * d.item_count) return {};
  return {scene.thumbnails.data(), d.item_count, d.width, d.height, d.channels};
}

FrameScene ClientSession::frame(const Overlay& overlay, const FrameInput& input, bool show_hands) const {
  LocalHands hands;
  hands.show = show_hands;
  hands.left = input.left.position + machine_.rig_offset();
  hands.right = input.right.position + machine_.rig_offset();
  FrameScene f = build_frame_scene(room_.scene(), machine_, hands, overlay);
  const double render_time = room_.server_seconds_now() - render_delay_;
  set_interpolation_time(f, room_.snapshot_buffer().bracket(render_time), render_time);
  return f;
}

std::vector<std::string> ClientSession::status_lines() const {
  const auto& scene = room_.scene();
  std::vector<std::string> lines;
  std::string who = scene.me ? scene.me->user_name : std::string("joining");
  if (scene.dataset) {
    who += " - " + scene.dataset->name + ", " + std::to_string(scene.dataset->item_count) + " items, " +
           std::to_string(scene.labels.size()) + " labelled, " + std::to_string(scene.spheres.size()) + " spheres";
  }
  lines.push_back(who);
  if (scene.training && !std::isnan(scene.training->unlabelled_accuracy)) {
    lines.push_back("model: step " + std::to_string(scene.training->step) + ", unlabelled accuracy " +
                    std::to_string(static_cast<int>(std::lround(scene.training->unlabelled_accuracy * 100))) + "%");
  }
  if (machine_.pending_count() > 0) lines.push_back(std::to_string(machine_.pending_count()) + " waiting for the server");
  if (!machine_.message().empty()) lines.push_back(machine_.message());
  return lines;
}

}  // namespace lodestone::client
