#pragma once
// Sound through OpenAL Soft: one source at the cube for clips and one streaming source per
// speaker at their head for voice, the listener at the head, so a clip sounds from where
// its cube floats, a voice from its avatar, and both turn as the head turns. OpenAL mixes
// on its own thread; play() and play_voice() hand it samples and return, so a frame never
// waits on sound.
#include "core/clip_output.h"

#include <memory>
#include <string>
#include <vector>

namespace lodestone::audio {

class OpenAlOutput final : public client::ClipOutput {
 public:
  // The default playback device; null with `error` set when the machine has none.
  static std::unique_ptr<OpenAlOutput> open_default(std::string& error);
  // A device that mixes into memory (ALC_SOFT_loopback), stereo at `sample_rate`, without
  // HRTF: render() pulls what a listener would hear. For tests and measurements.
  static std::unique_ptr<OpenAlOutput> open_loopback(int sample_rate, std::string& error);
  ~OpenAlOutput() override;
  OpenAlOutput(const OpenAlOutput&) = delete;
  OpenAlOutput& operator=(const OpenAlOutput&) = delete;

  void play(const MonoClip& clip, Vec3 at) override;
  void stop() override;
  bool playing() const override;
  void move_source(Vec3 at) override;
  void place_listener(const Pose& head) override;
  void play_voice(UserId speaker, std::span<const float> samples, Vec3 at) override;

  // Loopback only: the next `frames` frames, interleaved left, right.
  std::vector<float> render(int frames);
  const std::string& device_name() const { return name_; }

 private:
  struct Device;  // OpenAL's handles, kept out of this header
  explicit OpenAlOutput(std::unique_ptr<Device> device);
  bool start(const int* attributes, std::string& error);

  std::unique_ptr<Device> al_;
  std::string name_;
};

}  // namespace lodestone::audio
