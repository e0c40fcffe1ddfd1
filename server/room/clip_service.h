#pragma once
// Clips to hear, cut on a thread of their own: a client that points at a cube of a sound
// dataset asks for its window of the original recording; reading it (a seek into a file
// that may be hours long) and encoding it as FLAC take milliseconds the room thread must
// not spend while snapshots wait. The room thread hands requests over with the item's
// file and span and takes the answers back to send.
#include "lodestone/messages.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace lodestone::room {

struct ClipJob {
  std::uint64_t session_serial = 0;
  ClipRequest request;
  std::filesystem::path recording;
  double start_seconds = 0, end_seconds = 0;
};

struct ClipAnswer {
  std::uint64_t session_serial = 0;
  ClipData data;
};

class ClipService {
 public:
  ClipService();
  ~ClipService();  // answers nothing more; the queued requests are dropped
  ClipService(const ClipService&) = delete;
  ClipService& operator=(const ClipService&) = delete;

  // Queues a clip; false when `per_session_limit` of this session's clips are already
  // queued (the caller answers that one itself).
  bool submit(ClipJob job, std::size_t per_session_limit);
  std::vector<ClipAnswer> take_finished();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<ClipJob> queue_;
  std::vector<ClipAnswer> finished_;
  bool stopping_ = false;
  std::thread thread_;
};

// The clip of `job`: the FLAC bytes, or the error that says why there are none.
ClipData cut_clip(const ClipJob& job);

}  // namespace lodestone::room
