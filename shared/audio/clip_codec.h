#pragma once
// Sound clips as they travel and are kept: mono samples at their own rate, encoded as
// 16-bit FLAC in memory (libsndfile's virtual I/O; lossless, and a third to a half the
// size of the samples), and written out as WAV for a person or a test to hear.
#include "lodestone/result.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace lodestone::audio {

// The rates a clip may have: below, nothing a person hears as a call; above 65535 Hz,
// streamable FLAC holds only some rates (the server sends at most 48 kHz).
inline constexpr int kMinClipRate = 1000;
inline constexpr int kMaxClipRate = 65535;

struct MonoClip {
  int sample_rate = 0;
  std::vector<float> samples;  // -1 .. 1
  double seconds() const { return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0; }
};

// The clip as FLAC (16-bit), or why it cannot be encoded (no samples, a rate out of range).
Result<std::vector<std::uint8_t>, std::string> encode_flac(const MonoClip& clip);
// A FLAC (or any libsndfile format) clip from memory, mixed to mono; refused when it holds
// more than `max_samples` samples, a rate out of range, no sound, or is not sound at all.
Result<MonoClip, std::string> decode_clip(std::span<const std::uint8_t> bytes, std::size_t max_samples);
// A sound file (WAV, FLAC, any format libsndfile reads), mixed to mono, refused like
// decode_clip; the error names the file.
Result<MonoClip, std::string> read_sound_file(const std::filesystem::path& path, std::size_t max_samples);
// The clip as a 16-bit WAV file; the error names the file.
Result<bool, std::string> write_wav(const std::filesystem::path& path, const MonoClip& clip);

}  // namespace lodestone::audio
