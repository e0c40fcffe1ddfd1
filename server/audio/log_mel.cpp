#include "audio/log_mel.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace lodestone::audio {
namespace {

float hz_to_mel(float hz) { return 2595.0f * std::log10(1.0f + hz / 700.0f); }
float mel_to_hz(float mel) { return 700.0f * (std::pow(10.0f, mel / 2595.0f) - 1.0f); }

// About 32 ms per frame: a power of two, so FFTW takes its fastest path.
int fft_size_for(int sample_rate) {
  int n = 64;
  while (n * 2 <= sample_rate / 32 + sample_rate / 64) n *= 2;
  return n;
}

}  // namespace

// FFTW's plan and buffers; plans are made once per spectrogram, never per clip.
struct LogMelSpectrogram::Fft {
  explicit Fft(int n)
      : in(fftwf_alloc_real(static_cast<std::size_t>(n))),
        out(fftwf_alloc_complex(static_cast<std::size_t>(n / 2 + 1))),
        plan(fftwf_plan_dft_r2c_1d(n, in, out, FFTW_ESTIMATE)) {
    if (in == nullptr || out == nullptr || plan == nullptr) throw std::runtime_error("FFTW: cannot plan a transform");
  }
  ~Fft() {
    fftwf_destroy_plan(plan);
    fftwf_free(out);
    fftwf_free(in);
  }
  float* in;
  fftwf_complex* out;
  fftwf_plan plan;
};

LogMelSpectrogram::LogMelSpectrogram(const SpectrogramShape& shape)
    : shape_(shape), fft_size_(std::min(fft_size_for(shape.sample_rate), shape.window_samples)) {
  if (shape.sample_rate <= 0 || shape.width < 2 || shape.height < 2 || shape.window_samples < 64) {
    throw std::invalid_argument("spectrogram: sample rate, size and window must be positive");
  }
  frame_hop_ = std::max(1, (shape.window_samples - fft_size_) / (shape.width - 1));
  hann_.resize(static_cast<std::size_t>(fft_size_));
  for (int i = 0; i < fft_size_; ++i) {
    hann_[static_cast<std::size_t>(i)] =
        0.5f - 0.5f * std::cos(2.0f * std::numbers::pi_v<float> * static_cast<float>(i) / static_cast<float>(fft_size_));
  }
  // Triangular bands evenly spaced in mel from min_hz to the Nyquist frequency.
  const int bins = fft_size_ / 2 + 1;
  const float bin_hz = static_cast<float>(shape.sample_rate) / static_cast<float>(fft_size_);
  const auto rate = static_cast<float>(shape.sample_rate);
  const float low = hz_to_mel(std::min(shape.min_hz, rate / 4.0f));
  const float high = hz_to_mel(rate / 2.0f);
  std::vector<float> edges(static_cast<std::size_t>(shape.height + 2));
  for (std::size_t i = 0; i < edges.size(); ++i) {
    edges[i] = mel_to_hz(low + (high - low) * static_cast<float>(i) / static_cast<float>(edges.size() - 1));
  }
  bands_.resize(static_cast<std::size_t>(shape.height));
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const float left = edges[b], centre = edges[b + 1], right = edges[b + 2];
    Band& band = bands_[b];
    band.first_bin = std::clamp(static_cast<int>(std::ceil(left / bin_hz)), 0, bins - 1);
    for (int k = band.first_bin; k < bins && static_cast<float>(k) * bin_hz <= right; ++k) {
      const float f = static_cast<float>(k) * bin_hz;
      band.weights.push_back(f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre));
    }
    // A band narrower than one bin (low frequencies, small FFTs) takes its nearest bin.
    if (band.weights.empty() || *std::max_element(band.weights.begin(), band.weights.end()) <= 0.0f) {
      band.first_bin = std::clamp(static_cast<int>(std::lround(centre / bin_hz)), 0, bins - 1);
      band.weights = {1.0f};
    }
  }
  fft_ = std::make_unique<Fft>(fft_size_);
}

LogMelSpectrogram::~LogMelSpectrogram() = default;

std::vector<std::uint8_t> LogMelSpectrogram::image(std::span<const float> clip) {
  const auto width = static_cast<std::size_t>(shape_.width), height = static_cast<std::size_t>(shape_.height);
  std::vector<float> decibels(width * height);
  float loudest = -1e9f;
  for (std::size_t frame = 0; frame < width; ++frame) {
    const std::size_t start = frame * static_cast<std::size_t>(frame_hop_);
    for (std::size_t i = 0; i < hann_.size(); ++i) {
      fft_->in[i] = start + i < clip.size() ? clip[start + i] * hann_[i] : 0.0f;
    }
    fftwf_execute(fft_->plan);
    for (std::size_t b = 0; b < height; ++b) {
      const Band& band = bands_[b];
      float energy = 0;
      for (std::size_t j = 0; j < band.weights.size(); ++j) {
        const auto& c = fft_->out[static_cast<std::size_t>(band.first_bin) + j];
        energy += band.weights[j] * (c[0] * c[0] + c[1] * c[1]);
      }
      const float db = 10.0f * std::log10(energy + 1e-12f);
      decibels[frame * height + b] = db;
      loudest = std::max(loudest, db);
    }
  }
  std::vector<std::uint8_t> pixels(width * height, 0);
  // Digital silence (or nearly: below -60 dB of a full-scale frame's energy) stays black.
  if (loudest < -60.0f) return pixels;
  // Each band's noise floor is its 20th percentile over the window (a median would erase
  // a call that fills more than half of it): what stands above it (a call) shows bright
  // on black, however loud the steady background of the recording is.
  std::vector<float> floors(height), band(width);
  for (std::size_t b = 0; b < height; ++b) {
    for (std::size_t frame = 0; frame < width; ++frame) band[frame] = decibels[frame * height + b];
    const std::size_t quiet = width / 5;
    std::nth_element(band.begin(), band.begin() + static_cast<std::ptrdiff_t>(quiet), band.end());
    floors[b] = std::max(band[quiet], loudest - shape_.dynamic_range_db);
  }
  const float range = shape_.dynamic_range_db / 2;
  for (std::size_t frame = 0; frame < width; ++frame) {
    for (std::size_t b = 0; b < height; ++b) {
      const float level = std::clamp((decibels[frame * height + b] - floors[b]) / range, 0.0f, 1.0f);
      pixels[(height - 1 - b) * width + frame] = static_cast<std::uint8_t>(std::lround(level * 255.0f));
    }
  }
  return pixels;
}

}  // namespace lodestone::audio
