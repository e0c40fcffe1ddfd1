#include "audio/openal_capture.h"

#include <AL/al.h>
#include <AL/alc.h>

#include <cstdint>

namespace lodestone::audio {

struct OpenAlCapture::Device {
  ALCdevice* device = nullptr;
  ~Device() {
    if (device) alcCaptureCloseDevice(device);
  }
};

OpenAlCapture::OpenAlCapture(std::unique_ptr<Device> device) : device_(std::move(device)) {}

OpenAlCapture::~OpenAlCapture() { stop(); }

std::unique_ptr<OpenAlCapture> OpenAlCapture::open_default(std::string& error) {
  ALCdevice* device = alcCaptureOpenDevice(nullptr, kRate, AL_FORMAT_MONO16, kRate);
  if (!device) {
    error = "no microphone (OpenAL found no capture device): push-to-talk sends nothing";
    return nullptr;
  }
  auto handles = std::make_unique<Device>();
  handles->device = device;
  return std::unique_ptr<OpenAlCapture>(new OpenAlCapture(std::move(handles)));
}

void OpenAlCapture::start() {
  if (running_) return;
  take();  // what waited from before is not this spurt's
  alcCaptureStart(device_->device);
  running_ = true;
}

void OpenAlCapture::stop() {
  if (!running_) return;
  alcCaptureStop(device_->device);
  running_ = false;
}

std::vector<float> OpenAlCapture::take() {
  ALCint available = 0;
  alcGetIntegerv(device_->device, ALC_CAPTURE_SAMPLES, 1, &available);
  std::vector<std::int16_t> pcm(static_cast<std::size_t>(available > 0 ? available : 0));
  if (!pcm.empty()) alcCaptureSamples(device_->device, pcm.data(), available);
  std::vector<float> out(pcm.size());
  for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = static_cast<float>(pcm[i]) / 32768.0f;
  return out;
}

}  // namespace lodestone::audio
