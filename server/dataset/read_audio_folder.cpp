#include "audio/clip_reader.h"
#include "audio/log_mel.h"
#include "dataset/class_folders.h"
#include "dataset/readers.h"

#include <algorithm>
#include <cmath>

namespace lodestone::dataset {
namespace {

namespace fs = std::filesystem;

// A found file and its length, known once its header is read.
struct Sound {
  ClassedFile file;
  double seconds = 0;
};

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
  std::vector<Sound> found;
  for (auto& file : find_class_files(folder, {".wav", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".mp3"})) {
    found.push_back({std::move(file), 0});
  }
  if (found.empty()) {
    return ImportError{folder.string() +
                       ": holds no sound files (.wav, .flac, .ogg, .opus, .aiff, .mp3; directly or in class sub-folders)"};
  }
  // Every header first: a broken file is refused before any work is done.
  double total_seconds = 0;
  for (auto& sound : found) {
    const auto info = audio::probe_sound(sound.file.path);
    if (!info) return ImportError{info.error().message};
    sound.seconds = info->seconds();
    total_seconds += sound.seconds;
  }

  // The folder as an absolute path: the room cuts clips from these recordings later, from
  // whatever directory it is started in.
  auto where = fs::absolute(folder).lexically_normal();
  if (!where.has_filename()) where = where.parent_path();  // "calls/" names "calls"
  Dataset dataset{where.filename().string(), "audio-folder", where.string(), options.size, options.size, 1,
                  {}, options.sample_rate};
  audio::LogMelSpectrogram spectrogram({options.sample_rate, windows.window_samples(), options.size, options.size});
  const double window_seconds = static_cast<double>(windows.window_samples()) / options.sample_rate;
  double seconds_before = 0;
  for (const auto& sound : found) {
    const std::string source = fs::relative(sound.file.path, folder).string();
    const auto read = audio::read_windows(
        sound.file.path, windows,
        [&](std::span<const float> clip, double start) {
          Item item{source, spectrogram.image(clip), sound.file.class_name, TimeSpan{start, start + window_seconds}};
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
