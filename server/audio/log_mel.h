#pragma once
// The picture of a sound the model trains on: a log-mel spectrogram of one window, as a
// width × height grey image (time left to right, low frequencies at the bottom), each
// band measured above its own noise floor.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace lodestone::audio {

struct SpectrogramShape {
  int sample_rate = 16000;
  int window_samples = 32000;  // one item's clip
  int width = 32;              // time frames
  int height = 32;             // mel bands
  float min_hz = 50.0f;
  // Black is each band's noise floor (its 20th percentile over the window, never more than
  // dynamic_range_db below the loudest band); white lies dynamic_range_db / 2 above it.
  float dynamic_range_db = 80.0f;
};

class LogMelSpectrogram {
 public:
  explicit LogMelSpectrogram(const SpectrogramShape& shape);
  ~LogMelSpectrogram();
  LogMelSpectrogram(const LogMelSpectrogram&) = delete;
  LogMelSpectrogram& operator=(const LogMelSpectrogram&) = delete;

  // The image of one clip of shape.window_samples mono samples in [-1, 1]. A clip of
  // digital silence is black.
  std::vector<std::uint8_t> image(std::span<const float> clip);

  int fft_size() const { return fft_size_; }

 private:
  struct Fft;
  SpectrogramShape shape_;
  int fft_size_;
  int frame_hop_;
  std::vector<float> hann_;
  // Per mel band: the first FFT bin it covers and the weight of each bin from there.
  struct Band {
    int first_bin = 0;
    std::vector<float> weights;
  };
  std::vector<Band> bands_;
  std::unique_ptr<Fft> fft_;
};

}  // namespace lodestone::audio
