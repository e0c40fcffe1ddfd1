#include "core/client_session.h"

#include "core/model_view.h"
#include "core/text_quads.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lodestone::client {

ClientSession::ClientSession(RoomClient& room, double render_delay)
    : room_(room), channel_(room), machine_(channel_), clips_(room), talk_(room), hearing_(room),
      render_delay_(render_delay) {}

ClientSession::~ClientSession() {
  if (thumbnail_writer_.joinable()) thumbnail_writer_.join();
}

void ClientSession::set_thumbnail_cache(ThumbnailCache cache, std::string server) {
  thumbnail_cache_ = std::move(cache);
  server_ = std::move(server);
}

void ClientSession::keep_thumbnails() {
  if (thumbnails_kept_ || server_.empty() || !thumbnails_complete()) return;
  thumbnails_kept_ = true;
  const auto& scene = room_.scene();
  if (scene.thumbnails_from_cache) return;
  // A copy, written aside: the frame goes on while tens of megabytes reach the disk.
  const auto blob = scene.thumbnails.blob();
  thumbnail_writer_ = std::thread([cache = thumbnail_cache_, server = server_, hash = scene.dataset->thumbnails_hash,
                                   bytes = PageBytes(blob.begin(), blob.end())]() mutable {
    cache.store(server, hash, bytes);
  });
}

void ClientSession::step(const FrameInput& input) {
  room_.poll(0);
  style_.predictions = input.show_predictions;
  machine_.update(input, room_.scene());
  const auto now = std::chrono::steady_clock::now();
  if (now - last_presence_ >= std::chrono::milliseconds(50)) {
    last_presence_ = now;
    Pose left, right;
    left.position = input.left.position + machine_.rig_offset();
    right.position = input.right.position + machine_.rig_offset();
    room_.send_presence(head_in_room(input), left, right);
    room_.focus_thumbnails(head_in_room(input).position);
  }
  if (output_) output_->place_listener(head_in_room(input));
  update_listening();
  update_voice();
  keep_thumbnails();
}

std::optional<UserId> ClientSession::person_on_ray(Vec3 origin, Vec3 direction) const {
  const Vec3 d = normalize(direction);
  std::optional<UserId> best;
  float best_miss = 0.4f;
  for (const auto& [id, presence] : room_.scene().others) {
    const Vec3 to = presence.head.position - origin;
    const float along = dot(to, d);
    if (along <= 0) continue;
    const float miss = length(to - d * along);
    if (miss < best_miss) best_miss = miss, best = id;
  }
  return best;
}

void ClientSession::update_voice() {
  talk_.pump();
  for (auto& heard : hearing_.pump()) {
    if (output_) {
      const auto& others = room_.scene().others;
      const auto who = others.find(heard.speaker);
      // From the speaker's head; before their first presence, from the room's middle.
      const Vec3 at = who != others.end() ? who->second.head.position : Vec3{0, 1.6f, 0};
      output_->play_voice(heard.speaker, heard.samples, at);
    }
    if (recording_) recorded_.push_back(std::move(heard));
  }
}

void ClientSession::toggle_listening(std::optional<std::uint32_t> item) {
  const bool same = item && item == listening_;
  if (output_ && output_->playing()) output_->stop();
  if (same && started_playing_) {
    // A second touch on what plays (or just played) stops it.
    listening_.reset();
    started_playing_ = false;
    clip_notice_.clear();
    return;
  }
  listening_ = item;
  started_playing_ = false;
  clip_notice_.clear();
  if (item) clips_.want(*item);
}

void ClientSession::update_listening() {
  clips_.poll();
  if (!listening_) return;
  const auto* outcome = clips_.outcome(*listening_);
  const auto& positions = room_.newest_positions();
  const bool placed = *listening_ < positions.size();
  if (outcome && !started_playing_) {
    started_playing_ = true;
    if (!outcome->clip) {
      clip_notice_ = "no sound for item " + std::to_string(*listening_) + ": " + outcome->error;
    } else {
      char text[96];
      std::snprintf(text, sizeof text, "playing item %u (%.1f s%s)", *listening_, outcome->clip->seconds(),
                    output_ ? "" : "; no sound output here");
      clip_notice_ = text;
      if (output_ && placed) output_->play(*outcome->clip, positions[*listening_]);
    }
  } else if (output_ && output_->playing() && placed) {
    output_->move_source(positions[*listening_]);
  }
}

bool ClientSession::refresh_cubes(Vec3 viewer) {
  const double render_time = room_.server_seconds_now() - render_delay_;
  return cubes_.refresh(room_.snapshot_buffer().bracket(render_time), room_.scene(), style_, viewer);
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
  const auto& tiles = scene.thumbnails;
  const std::size_t per_item = std::size_t{d.width} * d.height * d.channels;
  if (per_item == 0 || tiles.tile_bytes() != per_item || tiles.count() != d.item_count) return {};
  return {tiles.blob().data(), d.item_count, d.width, d.height, d.channels,
          tiles.complete() ? nullptr : tiles.held_items().data()};
}

std::vector<std::uint32_t> ClientSession::thumbnails_to_upload() {
  // Gathered for a tenth of a second at a time: each upload waits for the frames in flight.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_thumbnail_upload_ < std::chrono::milliseconds(100)) return {};
  last_thumbnail_upload_ = now;
  return room_.take_fresh_thumbnails(kMostTilesPerUpload);
}

FrameScene ClientSession::frame(const Overlay& overlay, const FrameInput& input, bool show_hands) const {
  LocalHands hands;
  hands.show = show_hands;
  hands.left = input.left.position + machine_.rig_offset();
  hands.right = input.right.position + machine_.rig_offset();
  FrameScene f = build_frame_scene(room_.scene(), machine_, hands, overlay);
  const double render_time = room_.server_seconds_now() - render_delay_;
  add_inspect_panel(f);
  // Without a text overlay (a headset), what the sphere holds floats above it.
  if (overlay.lines.empty()) add_sphere_preview(f);
  set_interpolation_time(f, room_.snapshot_buffer().bracket(render_time), render_time);
  return f;
}

void ClientSession::inspect(std::optional<std::uint32_t> item) {
  inspected_ = item;
  inspect_request_ = item ? room_.send_request(InspectRequest{0, *item}) : 0;
}

const ItemDetails* ClientSession::inspected_details() const {
  const auto* replies = inspect_request_ ? room_.replies(inspect_request_) : nullptr;
  return replies && replies->details ? &*replies->details : nullptr;
}

std::optional<std::uint32_t> ClientSession::item_on_ray(Vec3 origin, Vec3 direction) const {
  if (!room_.has_positions() || length(direction) < 1e-6f) return std::nullopt;
  const Vec3 d = normalize(direction);
  const auto& scene = room_.scene();
  const float reach = 3 * cube_half_size(scene.dataset ? scene.dataset->item_count : 0, room_box(scene));
  std::optional<std::uint32_t> best;
  float best_along = 1e9f;
  const auto& positions = room_.newest_positions();
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Vec3 to = positions[i] - origin;
    const float along = dot(to, d);
    if (along <= 0 || along >= best_along) continue;
    if (length(to - d * along) <= reach) best = static_cast<std::uint32_t>(i), best_along = along;
  }
  return best;
}

void ClientSession::hover_along(Vec3 origin, Vec3 direction) {
  const auto item = item_on_ray(origin, direction);
  const auto now = std::chrono::steady_clock::now();
  if (item != hovered_) hovered_ = item, hovered_since_ = now;
  if (item && item != inspected_ && now - hovered_since_ >= std::chrono::milliseconds(300)) inspect(item);
}

std::vector<std::string> ClientSession::inspect_lines() const {
  if (!inspected_) return {};
  return describe_item(room_.scene(), *inspected_, inspected_details());
}

std::vector<std::string> ClientSession::sphere_preview_lines() const {
  if (!room_.has_positions()) return {};
  const auto& scene = room_.scene();
  // The sphere being drawn or moved, else the selected one.
  for (const auto& p : machine_.previews()) {
    if (!p.awaiting_server) return describe_sphere(scene, sphere_contents(scene, room_.newest_positions(), p.center, p.radius));
  }
  const auto selected = scene.spheres.find(machine_.selected());
  if (selected == scene.spheres.end()) return {};
  const auto& s = selected->second;
  return describe_sphere(scene, sphere_contents(scene, room_.newest_positions(), s.center, s.radius));
}

void ClientSession::add_sphere_preview(FrameScene& f) const {
  const auto lines = sphere_preview_lines();
  if (lines.empty()) return;
  const auto& scene = room_.scene();
  Vec3 center;
  float radius = 0;
  if (const auto selected = scene.spheres.find(machine_.selected()); selected != scene.spheres.end()) {
    center = selected->second.center, radius = selected->second.radius;
  }
  for (const auto& p : machine_.previews()) {
    if (!p.awaiting_server) center = p.center, radius = p.radius;
  }
  float y = radius + 0.05f + 0.035f * static_cast<float>(lines.size());
  for (const auto& line : lines) {
    append_billboard_text(f.quads, line, center + Vec3{0, y, 0}, 0.025f, {1, 1, 0.9f, 1}, ShapeKind::OverlayBillboard);
    y -= 0.035f;
  }
}

void ClientSession::add_inspect_panel(FrameScene& f) const {
  if (!inspected_ || !room_.has_positions() || *inspected_ >= room_.newest_positions().size()) return;
  const auto& scene = room_.scene();
  const auto images = thumbnails();
  // Beside the cube, facing the viewer: the image at 10 times the cube's size, the text below.
  const Vec3 at = room_.newest_positions()[*inspected_];
  const float cube = 2 * f.cube_half_size;
  const float side = 10 * cube;
  if (images.pixels != nullptr && *inspected_ < images.count) {
    const std::size_t per_item = std::size_t{images.width} * images.height * images.channels;
    const float pixel = side / static_cast<float>(std::max(images.width, images.height));
    append_billboard_image(f.quads, images.pixels + per_item * *inspected_, static_cast<int>(images.width),
                           static_cast<int>(images.height), static_cast<int>(images.channels), at, cube, side / 2, pixel);
  }
  // The text under the image, its left edge on the image's (billboard text is centred:
  // each line's quads move right until it starts there).
  float up = -side / 2 - 0.05f;
  for (const auto& line : describe_item(scene, *inspected_, inspected_details())) {
    const std::size_t first = f.quads.size();
    append_billboard_text(f.quads, line, at, 0.025f, {1, 1, 0.9f, 1}, ShapeKind::OverlayBillboard);
    float left = 1e9f;
    for (std::size_t q = first; q < f.quads.size(); ++q) left = std::min(left, f.quads[q].offset[0] - f.quads[q].half[0]);
    for (std::size_t q = first; q < f.quads.size(); ++q) {
      f.quads[q].offset[0] += cube - left;
      f.quads[q].offset[1] += up;
    }
    up -= 0.035f;
  }
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
  if (!clip_notice_.empty()) lines.push_back(clip_notice_);
  for (auto& line : sphere_preview_lines()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace lodestone::client
