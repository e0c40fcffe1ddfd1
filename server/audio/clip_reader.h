#pragma once
// Sound files cut into the windows that become items: read in blocks (a ten-hour
// recording takes no more memory than a short one), mixed to mono, resampled to one rate.
#include "audio/clip_codec.h"
#include "lodestone/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>

namespace lodestone::audio {

struct WindowOptions {
  int sample_rate = 16000;  // every clip is resampled to this rate
  double window_seconds = 2.0;
  double hop_seconds = 1.0;

  int window_samples() const;
  int hop_samples() const;
};

// What a file holds, from its header.
struct SoundInfo {
  int sample_rate = 0, channels = 0;
  std::int64_t frames = 0;
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0; }
};

struct AudioError {
  std::string message;  // names the file and what is wrong with it
};

// The header of a WAV, FLAC, OGG or other file libsndfile reads, or why it cannot be read.
Result<SoundInfo, AudioError> probe_sound(const std::filesystem::path& path);

// Calls on_window(clip, start_seconds) for every window of the file: windows start every
// hop; a recording shorter than one window gives one window, padded with silence; the
// tail of a longer one gives a last window only if at least half of it is sound.
// on_block(seconds_read) follows progress. Returns the number of windows, or the error.
using WindowFn = std::function<void(std::span<const float> clip, double start_seconds)>;
Result<std::size_t, AudioError> read_windows(const std::filesystem::path& path, const WindowOptions& options,
                                             const WindowFn& on_window,
                                             const std::function<void(double seconds_read)>& on_block = {});

// Copies start..end seconds of a recording, at its own rate and channels, into a 16-bit
// WAV file. An error names the file.
Result<bool, AudioError> copy_clip(const std::filesystem::path& from, double start_seconds, double end_seconds,
                                   const std::filesystem::path& to);

// Reads start..end seconds of a recording, mixed to mono, to hear: at the recording's own
// rate, or `max_rate` when that is higher (resampled), and at most `max_seconds` long.
// An error names the file.
Result<MonoClip, AudioError> read_clip(const std::filesystem::path& from, double start_seconds, double end_seconds,
                                       int max_rate = 48000, double max_seconds = 30.0);

}  // namespace lodestone::audio
