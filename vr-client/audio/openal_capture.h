#pragma once
// The microphone for push-to-talk: OpenAL's default capture device, 16 kHz mono (a rate
// Opus takes speech at). Captured samples wait in OpenAL's ring (one second) until taken.
#include <memory>
#include <string>
#include <vector>

namespace lodestone::audio {

class OpenAlCapture {
 public:
  static constexpr int kRate = 16000;
  // The default capture device; null with `error` set when the machine has none.
  static std::unique_ptr<OpenAlCapture> open_default(std::string& error);
  ~OpenAlCapture();
  OpenAlCapture(const OpenAlCapture&) = delete;
  OpenAlCapture& operator=(const OpenAlCapture&) = delete;

  void start();  // push-to-talk pressed
  void stop();   // released
  // What was captured since the last call (-1..1).
  std::vector<float> take();

 private:
  struct Device;
  explicit OpenAlCapture(std::unique_ptr<Device> device);
  std::unique_ptr<Device> device_;
  bool running_ = false;
};

}  // namespace lodestone::audio
