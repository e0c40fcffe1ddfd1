#include "audio/clip_reader.h"

#include <samplerate.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace lodestone::audio {
namespace {

constexpr sf_count_t kBlockFrames = 16384;

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SoundFile = std::unique_ptr<SNDFILE, SndfileCloser>;

struct ResamplerDeleter {
  void operator()(SRC_STATE* state) const { src_delete(state); }
};

Result<SoundFile, AudioError> open_sound(const std::filesystem::path& path, SF_INFO& info) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return AudioError{path.string() + ": not a file"};
  if (std::filesystem::file_size(path, ec) == 0) return AudioError{path.string() + ": is empty, not a sound file"};
  info = {};
  SoundFile file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) return AudioError{path.string() + ": cannot read it as sound: " + sf_strerror(nullptr)};
  if (info.samplerate <= 0) return AudioError{path.string() + ": its header gives a sample rate of " + std::to_string(info.samplerate)};
  if (info.channels <= 0) return AudioError{path.string() + ": its header gives " + std::to_string(info.channels) + " channels"};
  if (info.frames <= 0) return AudioError{path.string() + ": holds no sound (0 samples)"};
  return file;
}

// Collects mono samples at the target rate and hands out the windows they complete
// (hop ≤ window, checked by read_windows).
class Windower {
 public:
  Windower(const WindowOptions& options, const WindowFn& on_window)
      : window_(static_cast<std::size_t>(options.window_samples())),
        hop_(static_cast<std::size_t>(options.hop_samples())),
        rate_(options.sample_rate),
        on_window_(on_window) {}

  void add(const float* samples, std::size_t count) {
    pending_.insert(pending_.end(), samples, samples + count);
    total_ += count;
    while (pending_.size() - offset_ >= window_) emit();
    // Drop what no later window needs, now and then rather than per block.
    if (offset_ > 4 * window_) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(offset_));
      offset_ = 0;
    }
  }

  // The last window: the only one of a short recording, or a tail of which at least half
  // is sound and part is in no window yet.
  std::size_t finish() {
    const std::size_t left = pending_.size() - offset_;
    if ((windows_ == 0 && total_ > 0) || (left >= window_ / 2 && left > window_ - hop_)) emit();
    return windows_;
  }

 private:
  void emit() {
    clip_.assign(window_, 0.0f);
    const std::size_t available = std::min(window_, pending_.size() - offset_);
    std::copy_n(pending_.begin() + static_cast<std::ptrdiff_t>(offset_), available, clip_.begin());
    on_window_(clip_, static_cast<double>(windows_ * hop_) / rate_);
    ++windows_;
    offset_ = std::min(offset_ + hop_, pending_.size());
  }

  std::size_t window_, hop_;
  double rate_;
  const WindowFn& on_window_;
  std::vector<float> pending_, clip_;
  std::size_t offset_ = 0, windows_ = 0, total_ = 0;
};

}  // namespace

int WindowOptions::window_samples() const { return static_cast<int>(std::lround(window_seconds * sample_rate)); }
int WindowOptions::hop_samples() const { return std::max(1, static_cast<int>(std::lround(hop_seconds * sample_rate))); }

Result<SoundInfo, AudioError> probe_sound(const std::filesystem::path& path) {
  SF_INFO info;
  auto file = open_sound(path, info);
  if (!file) return file.error();
  return SoundInfo{info.samplerate, info.channels, info.frames};
}

Result<std::size_t, AudioError> read_windows(const std::filesystem::path& path, const WindowOptions& options,
                                             const WindowFn& on_window,
                                             const std::function<void(double seconds_read)>& on_block) {
  if (options.sample_rate < 1000 || options.window_samples() < 256 || options.hop_seconds <= 0 ||
      options.hop_samples() > options.window_samples()) {
    return AudioError{"windows need a sample rate of at least 1000 Hz, a window of at least 256 samples, and a hop "
                      "between 0 and the window"};
  }
  SF_INFO info;
  auto opened = open_sound(path, info);
  if (!opened) return opened.error();
  SoundFile file = std::move(*opened);

  const double ratio = static_cast<double>(options.sample_rate) / info.samplerate;
  std::unique_ptr<SRC_STATE, ResamplerDeleter> resampler;
  if (info.samplerate != options.sample_rate) {
    int error = 0;
    resampler.reset(src_new(SRC_SINC_MEDIUM_QUALITY, 1, &error));
    if (!resampler) return AudioError{std::string("cannot resample: ") + src_strerror(error)};
  }

  Windower windower(options, on_window);
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(kBlockFrames) * channels), mono(kBlockFrames);
  std::vector<float> resampled(static_cast<std::size_t>(std::ceil(kBlockFrames * ratio)) + 64);
  sf_count_t frames_read = 0;
  // One resampler call; end_of_input drains what it still holds.
  const auto resample = [&](std::size_t count, bool end) -> Result<bool, AudioError> {
    SRC_DATA data{};
    data.data_in = mono.data();
    data.input_frames = static_cast<long>(count);
    data.src_ratio = ratio;
    data.end_of_input = end ? 1 : 0;
    do {
      data.data_out = resampled.data();
      data.output_frames = static_cast<long>(resampled.size());
      if (const int error = src_process(resampler.get(), &data); error != 0) {
        return AudioError{path.string() + ": cannot resample: " + src_strerror(error)};
      }
      windower.add(resampled.data(), static_cast<std::size_t>(data.output_frames_gen));
      data.data_in += data.input_frames_used;
      data.input_frames -= data.input_frames_used;
    } while (data.input_frames > 0 || (end && data.output_frames_gen > 0));
    return true;
  };

  while (true) {
    const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), kBlockFrames);
    if (got <= 0) break;
    for (sf_count_t f = 0; f < got; ++f) {
      float sum = 0;
      for (std::size_t c = 0; c < channels; ++c) sum += interleaved[static_cast<std::size_t>(f) * channels + c];
      mono[static_cast<std::size_t>(f)] = sum / static_cast<float>(channels);
    }
    if (resampler) {
      if (auto r = resample(static_cast<std::size_t>(got), false); !r) return r.error();
    } else {
      windower.add(mono.data(), static_cast<std::size_t>(got));
    }
    frames_read += got;
    if (on_block) on_block(static_cast<double>(frames_read) / info.samplerate);
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    return AudioError{path.string() + ": unreadable after " + std::to_string(frames_read) + " samples: " +
                      sf_strerror(file.get())};
  }
  if (frames_read == 0) return AudioError{path.string() + ": holds no sound (its header promises samples the file lacks)"};
  if (resampler) {
    if (auto r = resample(0, true); !r) return r.error();
  }
  return windower.finish();
}

Result<bool, AudioError> copy_clip(const std::filesystem::path& from, double start_seconds, double end_seconds,
                                   const std::filesystem::path& to) {
  SF_INFO info;
  auto opened = open_sound(from, info);
  if (!opened) return opened.error();
  SoundFile source = std::move(*opened);
  const auto first = std::clamp<sf_count_t>(static_cast<sf_count_t>(start_seconds * info.samplerate), 0, info.frames);
  const auto last = std::clamp<sf_count_t>(static_cast<sf_count_t>(std::ceil(end_seconds * info.samplerate)), first,
                                           info.frames);
  if (sf_seek(source.get(), first, SEEK_SET) < 0) {
    return AudioError{from.string() + ": cannot seek to " + std::to_string(start_seconds) + " s"};
  }
  SF_INFO out_info{};
  out_info.samplerate = info.samplerate;
  out_info.channels = info.channels;
  out_info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SoundFile target(sf_open(to.c_str(), SFM_WRITE, &out_info));
  if (!target) return AudioError{to.string() + ": cannot write: " + sf_strerror(nullptr)};
  std::vector<float> block(static_cast<std::size_t>(kBlockFrames) * static_cast<std::size_t>(info.channels));
  for (sf_count_t left = last - first; left > 0;) {
    const sf_count_t got = sf_readf_float(source.get(), block.data(), std::min(left, kBlockFrames));
    if (got <= 0) return AudioError{from.string() + ": ends before " + std::to_string(end_seconds) + " s"};
    if (sf_writef_float(target.get(), block.data(), got) != got) {
      return AudioError{to.string() + ": cannot write all samples (disk full?)"};
    }
    left -= got;
  }
  return true;
}

Result<MonoClip, AudioError> read_clip(const std::filesystem::path& from, double start_seconds, double end_seconds,
                                       int max_rate, double max_seconds) {
  SF_INFO info;
  auto opened = open_sound(from, info);
  if (!opened) return opened.error();
  SoundFile source = std::move(*opened);
  end_seconds = std::min(end_seconds, start_seconds + max_seconds);
  const auto first = std::clamp<sf_count_t>(static_cast<sf_count_t>(start_seconds * info.samplerate), 0, info.frames);
  const auto last = std::clamp<sf_count_t>(static_cast<sf_count_t>(std::ceil(end_seconds * info.samplerate)), first,
                                           info.frames);
  if (last == first) return AudioError{from.string() + ": holds no sound between " + std::to_string(start_seconds) +
                                       " and " + std::to_string(end_seconds) + " s"};
  if (sf_seek(source.get(), first, SEEK_SET) < 0) {
    return AudioError{from.string() + ": cannot seek to " + std::to_string(start_seconds) + " s"};
  }
  const auto channels = static_cast<std::size_t>(info.channels);
  MonoClip clip{info.samplerate, {}};
  clip.samples.reserve(static_cast<std::size_t>(last - first));
  std::vector<float> block(static_cast<std::size_t>(kBlockFrames) * channels);
  for (sf_count_t left = last - first; left > 0;) {
    const sf_count_t got = sf_readf_float(source.get(), block.data(), std::min(left, kBlockFrames));
    if (got <= 0) break;  // a header that promised more: the clip is what the file holds
    for (sf_count_t f = 0; f < got; ++f) {
      float sum = 0;
      for (std::size_t c = 0; c < channels; ++c) sum += block[static_cast<std::size_t>(f) * channels + c];
      clip.samples.push_back(sum / static_cast<float>(channels));
    }
    left -= got;
  }
  if (clip.samples.empty()) return AudioError{from.string() + ": ends before " + std::to_string(start_seconds) + " s"};
  if (info.samplerate <= max_rate) return clip;
  // Above what anyone hears in the room: one whole-clip conversion (the clip is short).
  const double ratio = static_cast<double>(max_rate) / info.samplerate;
  std::vector<float> resampled(static_cast<std::size_t>(std::ceil(static_cast<double>(clip.samples.size()) * ratio)) + 16);
  SRC_DATA data{};
  data.data_in = clip.samples.data();
  data.input_frames = static_cast<long>(clip.samples.size());
  data.data_out = resampled.data();
  data.output_frames = static_cast<long>(resampled.size());
  data.src_ratio = ratio;
  if (const int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1); error != 0) {
    return AudioError{from.string() + ": cannot resample: " + src_strerror(error)};
  }
  resampled.resize(static_cast<std::size_t>(data.output_frames_gen));
  return MonoClip{max_rate, std::move(resampled)};
}

}  // namespace lodestone::audio
