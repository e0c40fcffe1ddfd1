#pragma once
// Generated animal-call-like sounds for tests, the quality bar and the demo: six kinds of
// call (tones, rising and falling sweeps, slow and fast pulse trains, trills), each at a
// random pitch, length, loudness and time, in noise. Written with libsndfile.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace lodestone::audio {

struct CallsOptions {
  int per_class = 100;          // clips per kind of call, one sub-folder per kind
  double clip_seconds = 2.0;
  int sample_rate = 16000;
  double field_minutes = 0;     // > 0: also one unlabelled field recording this long
  std::string format = "wav";   // wav or flac
  std::uint64_t seed = 1;
};

// The kinds of call, in the order the generator numbers them.
const std::vector<std::string>& call_kinds();

// One mono recording, 16-bit PCM, as WAV or FLAC (format "wav" or "flac"); samples are
// clipped to [-1, 1]. Throws std::runtime_error naming the file that could not be written.
void write_sound(const std::filesystem::path& path, std::span<const float> samples, int sample_rate,
                 const std::string& format);

// Writes FOLDER/<kind>/<kind>-NNNN.<format> (and FOLDER/field-recording.<format>, with
// calls of every kind at random times). Throws std::runtime_error naming the file that
// could not be written.
void write_calls(const std::filesystem::path& folder, const CallsOptions& options);

}  // namespace lodestone::audio
