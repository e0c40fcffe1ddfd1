#include "audio/openal_output.h"

#include "audio/voice_codec.h"
#include "core/math3d.h"

#include <AL/al.h>
#include <AL/alc.h>
#include <AL/alext.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

namespace lodestone::audio {
namespace {

// A clip is loud up to half a metre from its cube and fades with distance beyond, so the
// nearest cubes of a dense cloud stay distinct without the far side going silent.
constexpr float kReferenceDistance = 0.5f;

// OpenAL's 16-bit samples, clipped to full scale first (a sample past ±1 would wrap).
std::vector<std::int16_t> pcm16(std::span<const float> samples) {
  std::vector<std::int16_t> pcm(samples.size());
  std::transform(samples.begin(), samples.end(), pcm.begin(), [](float s) {
    return static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f));
  });
  return pcm;
}

LPALCLOOPBACKOPENDEVICESOFT loopback_open() {
  return reinterpret_cast<LPALCLOOPBACKOPENDEVICESOFT>(alcGetProcAddress(nullptr, "alcLoopbackOpenDeviceSOFT"));
}

}  // namespace

// One speaker's voice: a source fed a queue of 20 ms buffers.
struct VoiceSource {
  ALuint source = 0;
  std::vector<ALuint> buffers;  // every buffer it owns, queued or free
};

struct OpenAlOutput::Device {
  ALCdevice* device = nullptr;
  ALCcontext* context = nullptr;
  ALuint source = 0, buffer = 0;
  bool loopback = false;
  std::map<UserId, VoiceSource> voices;

  ~Device() {
    if (context) {
      alcMakeContextCurrent(context);
      for (auto& [id, v] : voices) {
        alSourceStop(v.source);
        alSourcei(v.source, AL_BUFFER, 0);
        alDeleteSources(1, &v.source);
        alDeleteBuffers(static_cast<ALsizei>(v.buffers.size()), v.buffers.data());
      }
      if (source) {
        alSourceStop(source);
        alDeleteSources(1, &source);
      }
      if (buffer) alDeleteBuffers(1, &buffer);
      alcMakeContextCurrent(nullptr);
      alcDestroyContext(context);
    }
    if (device) alcCloseDevice(device);
  }
};

OpenAlOutput::OpenAlOutput(std::unique_ptr<Device> device) : al_(std::move(device)) {}

std::unique_ptr<OpenAlOutput> OpenAlOutput::open_default(std::string& error) {
  ALCdevice* device = alcOpenDevice(nullptr);
  if (!device) {
    error = "no sound output device (OpenAL found none); clips are not played aloud";
    return nullptr;
  }
  auto handles = std::make_unique<Device>();
  handles->device = device;
  std::unique_ptr<OpenAlOutput> out(new OpenAlOutput(std::move(handles)));
  if (!out->start(nullptr, error)) return nullptr;
  return out;
}

std::unique_ptr<OpenAlOutput> OpenAlOutput::open_loopback(int sample_rate, std::string& error) {
  if (!alcIsExtensionPresent(nullptr, "ALC_SOFT_loopback") || !loopback_open()) {
    error = "this OpenAL has no loopback device (ALC_SOFT_loopback)";
    return nullptr;
  }
  ALCdevice* device = loopback_open()(nullptr);
  if (!device) {
    error = "OpenAL cannot open a loopback device";
    return nullptr;
  }
  auto handles = std::make_unique<Device>();
  handles->device = device;
  handles->loopback = true;
  std::unique_ptr<OpenAlOutput> out(new OpenAlOutput(std::move(handles)));
  const int attributes[] = {ALC_FORMAT_CHANNELS_SOFT, ALC_STEREO_SOFT, ALC_FORMAT_TYPE_SOFT, ALC_FLOAT_SOFT,
                            ALC_FREQUENCY, sample_rate, ALC_HRTF_SOFT, ALC_FALSE, 0};
  if (!out->start(attributes, error)) return nullptr;
  return out;
}

bool OpenAlOutput::start(const int* attributes, std::string& error) {
  al_->context = alcCreateContext(al_->device, attributes);
  if (!al_->context || !alcMakeContextCurrent(al_->context)) {
    error = "OpenAL cannot create a context on " + std::string(alcGetString(al_->device, ALC_DEVICE_SPECIFIER));
    return false;
  }
  name_ = alcGetString(al_->device, ALC_DEVICE_SPECIFIER);
  alDistanceModel(AL_INVERSE_DISTANCE_CLAMPED);
  alGenSources(1, &al_->source);
  alSourcef(al_->source, AL_REFERENCE_DISTANCE, kReferenceDistance);
  if (alGetError() != AL_NO_ERROR) {
    error = "OpenAL cannot make a source on " + name_;
    return false;
  }
  return true;
}

OpenAlOutput::~OpenAlOutput() = default;

void OpenAlOutput::play(const MonoClip& clip, Vec3 at) {
  stop();
  if (clip.samples.empty() || clip.sample_rate <= 0) return;
  const auto pcm = pcm16(clip.samples);
  alSourcei(al_->source, AL_BUFFER, 0);  // a buffer cannot be refilled while a source holds it
  if (!al_->buffer) alGenBuffers(1, &al_->buffer);
  alBufferData(al_->buffer, AL_FORMAT_MONO16, pcm.data(), static_cast<ALsizei>(pcm.size() * sizeof(std::int16_t)),
               clip.sample_rate);
  alSourcei(al_->source, AL_BUFFER, static_cast<ALint>(al_->buffer));
  move_source(at);
  alSourcePlay(al_->source);
}

void OpenAlOutput::stop() {
  if (al_->source) alSourceStop(al_->source);
}

bool OpenAlOutput::playing() const {
  ALint state = AL_STOPPED;
  alGetSourcei(al_->source, AL_SOURCE_STATE, &state);
  return state == AL_PLAYING;
}

void OpenAlOutput::move_source(Vec3 at) { alSource3f(al_->source, AL_POSITION, at.x, at.y, at.z); }

void OpenAlOutput::place_listener(const Pose& head) {
  const Vec3 ahead = forward(head.orientation);
  const Vec3 up = rotate(head.orientation, {0, 1, 0});
  const float orientation[] = {ahead.x, ahead.y, ahead.z, up.x, up.y, up.z};
  alListener3f(AL_POSITION, head.position.x, head.position.y, head.position.z);
  alListenerfv(AL_ORIENTATION, orientation);
}

void OpenAlOutput::play_voice(UserId speaker, std::span<const float> samples, Vec3 at) {
  if (samples.empty()) return;
  auto& v = al_->voices[speaker];
  if (!v.source) {
    alGenSources(1, &v.source);
    alSourcef(v.source, AL_REFERENCE_DISTANCE, 1.0f);  // a voice carries across the room
  }
  // Buffers the source has finished with are refilled; a new one only when none is free.
  ALint processed = 0;
  alGetSourcei(v.source, AL_BUFFERS_PROCESSED, &processed);
  std::vector<ALuint> free(static_cast<std::size_t>(processed));
  if (processed > 0) alSourceUnqueueBuffers(v.source, processed, free.data());
  ALuint buffer = 0;
  if (!free.empty()) {
    buffer = free.back();
  } else if (v.buffers.size() < 50) {  // a second of voice queued at most
    alGenBuffers(1, &buffer);
    v.buffers.push_back(buffer);
  } else {
    return;  // far behind: this frame is dropped rather than the queue growing
  }
  const auto pcm = pcm16(samples);
  alBufferData(buffer, AL_FORMAT_MONO16, pcm.data(), static_cast<ALsizei>(pcm.size() * sizeof(std::int16_t)),
               kVoiceOutputRate);
  alSourceQueueBuffers(v.source, 1, &buffer);
  alSource3f(v.source, AL_POSITION, at.x, at.y, at.z);
  ALint state = AL_STOPPED;
  alGetSourcei(v.source, AL_SOURCE_STATE, &state);
  if (state != AL_PLAYING) alSourcePlay(v.source);
}

std::vector<float> OpenAlOutput::render(int frames) {
  std::vector<float> out(static_cast<std::size_t>(std::max(frames, 0)) * 2);
  if (!al_->loopback || frames <= 0) return out;
  static const auto render_samples =
      reinterpret_cast<LPALCRENDERSAMPLESSOFT>(alcGetProcAddress(al_->device, "alcRenderSamplesSOFT"));
  render_samples(al_->device, out.data(), frames);
  return out;
}

}  // namespace lodestone::audio
