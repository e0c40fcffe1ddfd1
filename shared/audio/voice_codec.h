#pragma once
// Voice as it travels: 20 ms frames of mono speech, Opus-encoded (libopus, VoIP mode,
// 24 kbit/s by default: under the 32 kbit/s a talker may take), decoded at 48 kHz with
// Opus's own concealment for a lost frame.
#include "lodestone/result.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace lodestone::audio {

inline constexpr int kVoiceOutputRate = 48000;
inline constexpr int kVoiceFrameMs = 20;
inline constexpr int kVoiceOutputFrame = kVoiceOutputRate * kVoiceFrameMs / 1000;  // 960 samples
inline constexpr int kVoiceBitrate = 24000;

// The rates Opus takes speech at.
bool voice_rate_supported(int rate);

class VoiceEncoder {
 public:
  // `rate`: one of 8, 12, 16, 24 or 48 kHz (voice_rate_supported); throws otherwise.
  explicit VoiceEncoder(int rate, int bitrate = kVoiceBitrate);
  ~VoiceEncoder();
  VoiceEncoder(const VoiceEncoder&) = delete;
  VoiceEncoder& operator=(const VoiceEncoder&) = delete;

  int rate() const { return rate_; }
  int frame_samples() const { return rate_ * kVoiceFrameMs / 1000; }
  // One frame of frame_samples() samples (-1..1) as an Opus packet.
  Result<std::vector<std::uint8_t>, std::string> encode(std::span<const float> frame);

 private:
  struct State;
  std::unique_ptr<State> state_;
  int rate_;
};

class VoiceDecoder {
 public:
  VoiceDecoder();
  ~VoiceDecoder();
  VoiceDecoder(const VoiceDecoder&) = delete;
  VoiceDecoder& operator=(const VoiceDecoder&) = delete;

  // An Opus packet as 48 kHz samples (a 20 ms frame: 960), or why it is not one.
  Result<std::vector<float>, std::string> decode(std::span<const std::uint8_t> packet);
  // 20 ms in place of a frame that never came (Opus's packet-loss concealment).
  std::vector<float> conceal();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lodestone::audio
