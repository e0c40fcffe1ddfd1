#pragma once
// One annotator's client, without a renderer: the room connection, the interaction
// machine, and what the renderer needs each frame. Every backend (desktop window,
// headless script, later the headset) drives one of these with its own input.
#include "core/clip_fetcher.h"
#include "core/clip_output.h"
#include "core/cube_instances.h"
#include "core/frame_scene_builder.h"
#include "core/interaction.h"
#include "core/thumbnail_cache.h"
#include "core/voice_chat.h"

#include <chrono>
#include <thread>

namespace lodestone::client {

class ClientSession {
 public:
  // `render_delay` seconds behind the server's clock: long enough that the render time
  // nearly always lies between two received snapshots.
  explicit ClientSession(RoomClient& room, double render_delay = 0.15);
  ~ClientSession();  // waits for thumbnails still being written to the cache
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // One frame: handles what arrived, advances the interaction, sends our presence.
  void step(const FrameInput& input);

  // Rebuilds the per-item data if the snapshot pair or the labels changed; true if so.
  // `viewer`: where the head is in the room, which decides the nearest items drawn as
  // cubes (the rest as points; cube_instances.h).
  bool refresh_cubes(Vec3 viewer);
  const std::vector<CubeInstance>& cubes() const { return cubes_.instances(); }
  std::size_t near_cubes() const { return cubes_.near_count(); }

  // All thumbnails have arrived.
  bool thumbnails_complete() const;
  // The thumbnails held so far (tiles fill in as they come, the nearest first); empty
  // until the dataset is known. The renderer makes its atlas from it once, then takes
  // thumbnails_to_upload() each frame: the tiles arrived since, at most a tenth of a
  // second's worth at a time.
  ThumbnailSet thumbnails() const;
  std::vector<std::uint32_t> thumbnails_to_upload();
  static constexpr std::size_t kMostTilesPerUpload = 16'384;

  // The frame's shapes and time uniform; `hands` are tracking-space hand positions.
  FrameScene frame(const Overlay& overlay, const FrameInput& input, bool show_hands) const;
  // Status lines for a flat screen: who, what, how many, the last notice.
  std::vector<std::string> status_lines() const;

  // Where the head is in the room (tracking pose plus the teleport offset).
  Pose head_in_room(const FrameInput& input) const { return machine_.to_room(input.head); }

  RoomClient& room() { return room_; }
  const InteractionMachine& machine() const { return machine_; }

  // Inspecting an item (a controller ray, the mouse, a script): asks the server for its
  // history; the panel (its image enlarged, the text of describe_item) shows beside its
  // cube until another item is inspected or nullopt ends it.
  void inspect(std::optional<std::uint32_t> item);
  std::optional<std::uint32_t> inspected() const { return inspected_; }
  const ItemDetails* inspected_details() const;
  // The item a ray from `origin` along `direction` passes closest to (within a few cube
  // sizes), the nearest such along the ray; nullopt when it passes none.
  std::optional<std::uint32_t> item_on_ray(Vec3 origin, Vec3 direction) const;
  // Pointing (a controller ray, the mouse): the item the ray meets, once it rests on it a
  // moment (300 ms), is inspected.
  void hover_along(Vec3 origin, Vec3 direction);
  // The inspect panel's lines and, while a sphere is selected or drawn, what it holds.
  std::vector<std::string> inspect_lines() const;
  std::vector<std::string> sphere_preview_lines() const;

  // Hearing a sound dataset's items: where clips are kept between sessions and where they
  // are played (null: nowhere; a headless script writes them to files instead).
  void set_clip_cache(ClipCache cache) { clips_.set_cache(std::move(cache)); }
  // Where the thumbnails are kept once they have all come from `server` ("host:port"), so
  // the next session's hello can name them (written on a thread of its own).
  void set_thumbnail_cache(ThumbnailCache cache, std::string server);
  void set_clip_output(ClipOutput* output) { output_ = output; }
  // A touch on a cube: plays its clip from the cube once it has come; the same item again
  // while it plays stops it. nullopt stops whatever plays.
  void toggle_listening(std::optional<std::uint32_t> item);
  // The item last touched to be heard, and its clip or why there is none (null: on its way).
  std::optional<std::uint32_t> listening() const { return listening_; }
  const ClipOutcome* listened_clip() const { return listening_ ? clips_.outcome(*listening_) : nullptr; }

  // Voice (core/voice_chat.h): what this client says and hears; heard voices play from
  // their speaker's head through the clip output. While recording, what is heard is also
  // kept (a headless `record` line).
  VoiceTalk& talk() { return talk_; }
  VoiceHearing& hearing() { return hearing_; }
  // The person whose head a ray from `origin` along `direction` passes nearest (within
  // 40 cm), for muting them.
  std::optional<UserId> person_on_ray(Vec3 origin, Vec3 direction) const;
  void start_recording() { recorded_.clear(), recording_ = true; }
  std::vector<HeardVoice> stop_recording() { return recording_ = false, std::exchange(recorded_, {}); }

 private:
  void update_listening();
  void update_voice();
  void keep_thumbnails();
  void add_inspect_panel(FrameScene& f) const;
  void add_sphere_preview(FrameScene& f) const;

  RoomClient& room_;
  RoomIntentChannel channel_;
  InteractionMachine machine_;
  CubeInstances cubes_;
  CubeStyle style_;
  std::optional<std::uint32_t> inspected_;
  std::uint64_t inspect_request_ = 0;
  std::optional<std::uint32_t> hovered_;
  ClipFetcher clips_;
  ClipOutput* output_ = nullptr;
  std::optional<std::uint32_t> listening_;
  bool started_playing_ = false;  // the listened clip has been handed to the output
  std::string clip_notice_;
  VoiceTalk talk_;
  VoiceHearing hearing_;
  bool recording_ = false;
  std::vector<HeardVoice> recorded_;
  ThumbnailCache thumbnail_cache_;
  std::string server_;
  bool thumbnails_kept_ = false;
  std::thread thumbnail_writer_;
  std::chrono::steady_clock::time_point last_thumbnail_upload_{};
  std::chrono::steady_clock::time_point hovered_since_{};
  double render_delay_;
  std::chrono::steady_clock::time_point last_presence_{};
};

}  // namespace lodestone::client
