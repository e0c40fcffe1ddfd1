#include "app/join.h"

#include "audio/openal_capture.h"
#include "audio/openal_output.h"

#include <cstdio>

namespace lodestone::vr {

namespace {

std::string server_name(const Options& options) { return options.host + ":" + std::to_string(options.port); }

}  // namespace

std::unique_ptr<client::RoomClient> join_room(const Options& options, ClientKind kind, std::string& error) {
  client::ConnectOptions connect{options.host, options.port, options.token, options.name, kind, 0, {}};
  if (auto held = client::ThumbnailCache(options.cache_dir).load(server_name(options))) {
    connect.cached_thumbnails_hash = held->hash;
    connect.cached_thumbnails = std::move(held->bytes);
  }
  auto room = std::make_unique<client::RoomClient>(std::move(connect));
  if (!room->connect()) {
    error = room->error();
    return nullptr;
  }
  const bool joined = room->poll_until([&] { return room->scene().has_keyframe && room->scene().dataset; }, 15000);
  // The label set comes with the join state; a dataset without classes has none to wait for.
  if (joined) room->poll_until([&] { return !room->scene().label_set.classes.empty(); }, 500);
  if (!joined) {
    error = room->refusal() ? "the server refused: " + room->refusal()->message
                            : "no room state from the server within 15 s" +
                                  (room->error().empty() ? std::string() : ": " + room->error());
    return nullptr;
  }
  return room;
}

void use_caches(client::ClientSession& session, const Options& options) {
  session.set_clip_cache(client::ClipCache(options.cache_dir));
  session.set_thumbnail_cache(client::ThumbnailCache(options.cache_dir), server_name(options));
}

std::unique_ptr<client::ClipOutput> open_sound_output() {
  std::string error;
  auto output = audio::OpenAlOutput::open_default(error);
  if (!output) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return nullptr;
  }
  std::printf("sound plays on %s\n", output->device_name().c_str());
  return output;
}

struct PushToTalk::Capture {
  std::unique_ptr<audio::OpenAlCapture> device;
};

PushToTalk::PushToTalk() : capture_(std::make_unique<Capture>()) {}
PushToTalk::~PushToTalk() = default;

void PushToTalk::update(bool held, client::ClientSession& session) {
  if (held && !tried_) {
    tried_ = true;
    std::string error;
    capture_->device = audio::OpenAlCapture::open_default(error);
    if (!capture_->device) std::fprintf(stderr, "%s\n", error.c_str());
  }
  auto* mic = capture_->device.get();
  if (!mic) return;
  if (held && !held_) mic->start();
  if (held) session.talk().feed(mic->take(), audio::OpenAlCapture::kRate);
  if (!held && held_) {
    session.talk().feed(mic->take(), audio::OpenAlCapture::kRate);  // the last of it
    mic->stop();
  }
  held_ = held;
}

}  // namespace lodestone::vr
