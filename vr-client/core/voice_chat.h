#pragma once
// Voice in the room, renderer- and device-free: what this client says (a clip for a `say`
// line, or live samples while push-to-talk is held), cut into 20 ms Opus frames sent at a
// talker's pace; and what it hears: per speaker a decoder and a jitter buffer that plays
// each spurt 60 ms behind its first frame, conceals a lost frame and drops a late one.
#include "audio/clip_codec.h"
#include "audio/voice_codec.h"
#include "core/room_client.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lodestone::client {

// Microseconds of the monotonic clock, shared by every process on one machine.
std::int64_t monotonic_us();

class VoiceTalk {
 public:
  explicit VoiceTalk(RoomClient& room) : room_(room) {}
  // Says `clip` from now on, paced in real time; false with `error` when its rate is not
  // one Opus takes (8, 12, 16, 24 or 48 kHz).
  bool say(const audio::MonoClip& clip, std::string& error);
  // Live samples (push-to-talk held) at `rate`; sent as whole frames gather.
  void feed(std::span<const float> samples, int rate);
  // Sends every frame whose time has come (each frame).
  void pump();
  bool saying() const { return next_ < pending_.size(); }

 private:
  bool use_rate(int rate, std::string& error);
  void send(std::span<const float> frame, std::int64_t captured_us);

  RoomClient& room_;
  std::unique_ptr<audio::VoiceEncoder> encoder_;
  std::vector<float> pending_;  // a clip being said, or live samples waiting for a whole frame
  std::size_t next_ = 0;
  bool live_ = false;
  std::chrono::steady_clock::time_point started_{};
  std::uint32_t sequence_ = 0;
};

// 48 kHz samples of one speaker, due now, and when they were due (monotonic_us).
struct HeardVoice {
  UserId speaker = 0;
  std::int64_t due_us = 0;
  std::vector<float> samples;
};

struct VoiceStats {
  std::uint64_t frames = 0, concealed = 0, late = 0, bytes = 0;
  // Per frame played, due time − capture time: the newest kLatencyWindow only, so a
  // long session's stats stay small.
  std::deque<double> mouth_to_ear_ms;
  static constexpr std::size_t kLatencyWindow = 3000;  // a minute of speech
  std::int64_t first_us = 0, last_us = 0;
};

class VoiceHearing {
 public:
  explicit VoiceHearing(RoomClient& room) : room_(room) {}
  // Per-person mute, in this client only.
  void mute(UserId speaker, bool muted);
  bool muted(UserId speaker) const { return muted_.count(speaker) != 0; }
  // Takes what came and returns what is due to play now, speaker by speaker.
  std::vector<HeardVoice> pump();
  const std::map<UserId, VoiceStats>& stats() const { return stats_; }

  static constexpr std::int64_t kPlayoutDelayUs = 60'000;

 private:
  struct Speaker {
    std::unique_ptr<audio::VoiceDecoder> decoder = std::make_unique<audio::VoiceDecoder>();
    std::map<std::uint32_t, VoiceFrame> waiting;  // by sequence
    bool playing = false;
    std::uint32_t next_sequence = 0;
    std::int64_t next_due_us = 0;
    std::int64_t last_heard_us = 0;
  };

  RoomClient& room_;
  std::map<UserId, Speaker> speakers_;
  std::map<UserId, VoiceStats> stats_;
  std::set<UserId> muted_;
};

}  // namespace lodestone::client
