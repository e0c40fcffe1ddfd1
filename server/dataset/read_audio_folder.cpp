#include "audio/clip_reader.h"
#include "audio/log_mel.h"
#include "dataset/readers.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace lodestone::dataset {
namespace {

namespace fs = std::filesystem;

bool is_sound(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".oga" || ext == ".opus" || ext == ".aif" ||
         ext == ".aiff" || ext == ".mp3";
}

struct Found {
  fs::path path;
  std::optional<std::string> class_name;
  double seconds = 0;
};

std::vector<Found> find_sounds(const fs::path& folder) {
  std::vector<Found> found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && is_sound(entry.path())) {
      found.push_back({entry.path(), std::nullopt});
    } else if (entry.is_directory()) {
      for (const auto& inner : fs::directory_iterator(entry.path())) {
        if (inner.is_regular_file() && is_sound(inner.path())) {
          found.push_back({inner.path(), entry.path().filename().string()});
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.path < b.path; });
  return found;
}

}  // namespace

Result<Dataset, ImportError> read_audio_folder(const fs::path& folder, const AudioImportOptions& options,
                                               const ProgressFn& progress) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return ImportError{folder.string() + ": not a folder"};
  if (options.size < 8 || options.size > 128) {
    return ImportError{"spectrogram size " + std::to_string(options.size) + " is outside 8..128"};
  }
  if (!std::isfinite(options.window_seconds) || !std::isfinite(options.hop_seconds)) {
    return ImportError{"window and hop must be numbers of seconds"};
  }
  const audio::WindowOptions windows{options.sample_rate, options.window_seconds, options.hop_seconds};
  if (options.sample_rate < 1000 || options.sample_rate > 384000) {
    return ImportError{"sample rate " + std::to_string(options.sample_rate) + " Hz is outside 1000..384000"};
  }
  if (options.window_seconds <= 0 || windows.window_samples() < 256 || options.window_seconds > 600) {
    return ImportError{"window of " + std::to_string(options.window_seconds) +
                       " s: it must hold at least 256 samples and last at most 600 s"};
  }
  if (options.hop_seconds <= 0 || options.hop_seconds > options.window_seconds) {
    return ImportError{"hop of " + std::to_string(options.hop_seconds) + " s: it must lie in (0, window]"};
  }
  auto found = find_sounds(folder);
  if (found.empty()) {
    return ImportError{folder.string() +
                       ": holds no sound files (.wav, .flac, .ogg, .opus, .aiff, .mp3; directly or in class sub-folders)"};
  }
  // Every header first: a broken file is refused before any work is done.
  double total_seconds = 0;
  for (auto& sound : found) {
    const auto info = audio::probe_sound(sound.path);
    if (!info) return ImportError{info.error().message};
    sound.seconds = info->seconds();
    total_seconds += sound.seconds;
  }

  Dataset dataset{folder.filename().string(), "audio-folder", folder.string(), options.size, options.size, 1,
                  {}, options.sample_rate};
  audio::LogMelSpectrogram spectrogram({options.sample_rate, windows.window_samples(), options.size, options.size});
  const double window_seconds = static_cast<double>(windows.window_samples()) / options.sample_rate;
  double seconds_before = 0;
  for (const auto& sound : found) {
    const std::string source = fs::relative(sound.path, folder).string();
    const auto read = audio::read_windows(
        sound.path, windows,
        [&](std::span<const float> clip, double start) {
          Item item{source, spectrogram.image(clip), sound.class_name, TimeSpan{start, start + window_seconds}};
          item.span->end = std::min(item.span->end, std::max(sound.seconds, start));
          dataset.items.push_back(std::move(item));
        },
        [&](double seconds_read) {
          if (progress) {
            progress(static_cast<std::size_t>(seconds_before + seconds_read),
                     static_cast<std::size_t>(std::ceil(total_seconds)));
          }
        });
    if (!read) return ImportError{read.error().message};
    seconds_before += sound.seconds;
  }
  return dataset;
}

}  // namespace lodestone::dataset
