#include "audio/synthetic_calls.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <stdexcept>

namespace lodestone::audio {
namespace {

constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;

struct Call {
  int kind = 0;
  double start = 0, length = 0;  // seconds into the clip
  float pitch = 0, amplitude = 0;
};

float envelope(double t, double length) {
  const double fade = std::min(0.01, length / 4);  // 10 ms ramps: no clicks
  return static_cast<float>(std::clamp(std::min(t, length - t) / fade, 0.0, 1.0));
}

// Adds one call into samples (at sample_rate), phase-continuous so sweeps stay clean.
void add_call(std::vector<float>& samples, int sample_rate, const Call& call, std::mt19937_64& random) {
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const float rate_a = 3.0f + 2.0f * uniform(random);    // slow pulses per second
  const float rate_b = 12.0f + 8.0f * uniform(random);   // fast pulses per second
  const float trill = 8.0f + 7.0f * uniform(random);     // trill modulation, Hz
  const float sweep = 800.0f + 1200.0f * uniform(random);
  const auto first = static_cast<std::size_t>(call.start * sample_rate);
  const auto count = static_cast<std::size_t>(call.length * sample_rate);
  double phase = 0;
  for (std::size_t i = 0; i < count && first + i < samples.size(); ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const double progress = t / call.length;
    double hz = call.pitch;
    float gate = 1.0f;
    switch (call.kind) {
      case 0: break;                                            // tone
      case 1: hz = call.pitch + sweep * progress; break;        // rising sweep
      case 2: hz = call.pitch + sweep * (1 - progress); break;  // falling sweep
      case 3: gate = std::fmod(t * rate_a, 1.0) < 0.15 ? 1.0f : 0.0f; break;
      case 4: gate = std::fmod(t * rate_b, 1.0) < 0.4 ? 1.0f : 0.0f; break;
      case 5: hz = call.pitch * (1 + 0.15 * std::sin(kTwoPi * trill * t)); break;
      default: break;
    }
    phase += kTwoPi * hz / sample_rate;
    samples[first + i] += call.amplitude * gate * envelope(t, call.length) * static_cast<float>(std::sin(phase));
  }
}

Call random_call(int kind, double room_seconds, std::mt19937_64& random) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Call call;
  call.kind = kind;
  call.length = std::min(room_seconds * 0.9, 0.4 + 0.8 * uniform(random));
  call.start = (room_seconds - call.length) * uniform(random);
  call.pitch = static_cast<float>(600.0 * std::pow(2.0, 2.0 * uniform(random)));  // 600–2400 Hz
  call.amplitude = static_cast<float>(0.2 + 0.5 * uniform(random));
  return call;
}

// `smoothed` carries the low-pass filter's state from one block of a recording to the next.
void add_noise(std::vector<float>& samples, float level, std::mt19937_64& random, float& smoothed) {
  std::normal_distribution<float> noise(0.0f, level);
  for (float& s : samples) {
    smoothed = 0.7f * smoothed + 0.3f * noise(random);  // a little low-pass: field noise is darker than white
    s += smoothed;
  }
}

void add_noise(std::vector<float>& samples, float level, std::mt19937_64& random) {
  float smoothed = 0;
  add_noise(samples, level, random, smoothed);
}

// A mono 16-bit file written block by block, so a recording of hours never sits in memory.
class SoundWriter {
 public:
  SoundWriter(const std::filesystem::path& path, int sample_rate, const std::string& format) : path_(path) {
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 1;
    info.format = (format == "flac" ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
    file_ = sf_open(path.c_str(), SFM_WRITE, &info);
    if (file_ == nullptr) throw std::runtime_error(path.string() + ": cannot write: " + sf_strerror(nullptr));
  }
  ~SoundWriter() { sf_close(file_); }
  SoundWriter(const SoundWriter&) = delete;
  SoundWriter& operator=(const SoundWriter&) = delete;

  void write(std::span<const float> samples) {
    clipped_.assign(samples.begin(), samples.end());
    for (float& s : clipped_) s = std::clamp(s, -1.0f, 1.0f);
    const auto written = sf_writef_float(file_, clipped_.data(), static_cast<sf_count_t>(clipped_.size()));
    if (written != static_cast<sf_count_t>(clipped_.size())) {
      throw std::runtime_error(path_.string() + ": cannot write all samples (disk full?)");
    }
  }

 private:
  std::filesystem::path path_;
  SNDFILE* file_ = nullptr;
  std::vector<float> clipped_;
};

// The unlabelled field recording: calls of every kind at random times, in noise, made and
// written a minute at a time (a ten-hour recording takes no more memory than a short one).
void write_field_recording(const std::filesystem::path& path, const CallsOptions& options, std::mt19937_64& random) {
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const auto rate = options.sample_rate;
  const auto total = static_cast<std::size_t>(options.field_minutes * 60 * rate);
  const std::size_t block_samples = static_cast<std::size_t>(60) * static_cast<std::size_t>(rate);
  SoundWriter writer(path, rate, options.format);
  std::vector<float> block;
  double next_call = 0;  // seconds into the recording
  float smoothed = 0;
  for (std::size_t first = 0; first < total; first += block_samples) {
    block.assign(std::min(block_samples, total - first), 0.0f);
    const double begin = static_cast<double>(first) / rate;
    const double end = static_cast<double>(first + block.size()) / rate;
    for (; next_call + 2 < end; next_call += 2 + 4 * uniform(random)) {
      Call call = random_call(static_cast<int>(uniform(random) * 5.999f), 2.0, random);
      call.start += next_call - begin;
      add_call(block, rate, call, random);
    }
    next_call = std::max(next_call, end);  // a call never straddles two blocks
    add_noise(block, 0.02f, random, smoothed);
    writer.write(block);
  }
}

}  // namespace

void write_sound(const std::filesystem::path& path, std::span<const float> samples, int sample_rate,
                 const std::string& format) {
  SoundWriter(path, sample_rate, format).write(samples);
}

const std::vector<std::string>& call_kinds() {
  static const std::vector<std::string> kinds = {"tone", "rising-sweep", "falling-sweep",
                                                 "slow-pulses", "fast-pulses", "trill"};
  return kinds;
}

void write_calls(const std::filesystem::path& folder, const CallsOptions& options) {
  if (options.format != "wav" && options.format != "flac") {
    throw std::runtime_error("format must be wav or flac, not '" + options.format + "'");
  }
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  const auto clip_samples = static_cast<std::size_t>(options.clip_seconds * options.sample_rate);
  for (std::size_t kind = 0; kind < call_kinds().size(); ++kind) {
    const auto dir = folder / call_kinds()[kind];
    std::filesystem::create_directories(dir);
    for (int n = 0; n < options.per_class; ++n) {
      std::vector<float> samples(clip_samples, 0.0f);
      add_call(samples, options.sample_rate, random_call(static_cast<int>(kind), options.clip_seconds, random), random);
      add_noise(samples, 0.01f + 0.05f * uniform(random), random);
      char name[64];
      std::snprintf(name, sizeof name, "%s-%04d.%s", call_kinds()[kind].c_str(), n, options.format.c_str());
      write_sound(dir / name, samples, options.sample_rate, options.format);
    }
  }
  if (options.field_minutes > 0) write_field_recording(folder / ("field-recording." + options.format), options, random);
}

}  // namespace lodestone::audio
