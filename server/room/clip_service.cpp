#include "room/clip_service.h"

#include "audio/clip_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lodestone::room {

ClipData cut_clip(const ClipJob& job) {
  ClipData data{job.request.request_id, job.request.item_index, {}, {}};
  auto clip = audio::read_clip(job.recording, job.start_seconds, job.end_seconds);
  if (!clip) {
    data.error = clip.error().message;
    return data;
  }
  auto flac = audio::encode_flac(*clip);
  if (!flac) {
    data.error = job.recording.string() + ": " + flac.error();
  } else if (flac->size() > wire::kMaxClipBytes) {
    data.error = "the clip takes " + std::to_string(flac->size()) + " bytes, more than a clip may (" +
                 std::to_string(wire::kMaxClipBytes) + ")";
  } else {
    data.flac = std::move(*flac);
  }
  return data;
}

ClipService::ClipService() : thread_([this] { run(); }) {}

ClipService::~ClipService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool ClipService::submit(ClipJob job, std::size_t per_session_limit) {
  {
    std::lock_guard lock(mutex_);
    const auto queued = std::count_if(queue_.begin(), queue_.end(),
                                      [&](const ClipJob& j) { return j.session_serial == job.session_serial; });
    if (static_cast<std::size_t>(queued) >= per_session_limit) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

std::vector<ClipAnswer> ClipService::take_finished() {
  std::lock_guard lock(mutex_);
  return std::exchange(finished_, {});
}

void ClipService::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    auto job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto data = cut_clip(job);
    if (!data.error.empty()) spdlog::warn("no clip for item {}: {}", job.request.item_index, data.error);
    lock.lock();
    finished_.push_back({job.session_serial, std::move(data)});
  }
}

}  // namespace lodestone::room
