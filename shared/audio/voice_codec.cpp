#include "audio/voice_codec.h"

#include <opus.h>

#include <stdexcept>

namespace lodestone::audio {

// Opus frames are at most 120 ms; one decoded packet never holds more.
constexpr int kMostDecodedSamples = kVoiceOutputRate * 120 / 1000;

bool voice_rate_supported(int rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

struct VoiceEncoder::State {
  OpusEncoder* encoder = nullptr;
  ~State() { opus_encoder_destroy(encoder); }
};

VoiceEncoder::VoiceEncoder(int rate, int bitrate) : state_(std::make_unique<State>()), rate_(rate) {
  if (!voice_rate_supported(rate)) throw std::invalid_argument("Opus takes voice at 8, 12, 16, 24 or 48 kHz");
  int error = OPUS_OK;
  state_->encoder = opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, &error);
  if (error != OPUS_OK) throw std::runtime_error(std::string("cannot start the Opus encoder: ") + opus_strerror(error));
  opus_encoder_ctl(state_->encoder, OPUS_SET_BITRATE(bitrate));
  opus_encoder_ctl(state_->encoder, OPUS_SET_VBR(0));  // constant: the bandwidth a talker takes is known
  opus_encoder_ctl(state_->encoder, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}

VoiceEncoder::~VoiceEncoder() = default;

Result<std::vector<std::uint8_t>, std::string> VoiceEncoder::encode(std::span<const float> frame) {
  if (static_cast<int>(frame.size()) != frame_samples()) {
    return "a voice frame is " + std::to_string(frame_samples()) + " samples, not " + std::to_string(frame.size());
  }
  std::vector<std::uint8_t> packet(1275);
  const int bytes = opus_encode_float(state_->encoder, frame.data(), frame_samples(), packet.data(),
                                      static_cast<opus_int32>(packet.size()));
  if (bytes < 0) return std::string("Opus cannot encode the frame: ") + opus_strerror(bytes);
  packet.resize(static_cast<std::size_t>(bytes));
  return packet;
}

struct VoiceDecoder::State {
  OpusDecoder* decoder = nullptr;
  ~State() { opus_decoder_destroy(decoder); }
};

VoiceDecoder::VoiceDecoder() : state_(std::make_unique<State>()) {
  int error = OPUS_OK;
  state_->decoder = opus_decoder_create(kVoiceOutputRate, 1, &error);
  if (error != OPUS_OK) throw std::runtime_error(std::string("cannot start the Opus decoder: ") + opus_strerror(error));
}

VoiceDecoder::~VoiceDecoder() = default;

Result<std::vector<float>, std::string> VoiceDecoder::decode(std::span<const std::uint8_t> packet) {
  if (packet.empty()) return std::string("an empty voice frame");
  std::vector<float> out(kMostDecodedSamples);
  const int samples = opus_decode_float(state_->decoder, packet.data(), static_cast<opus_int32>(packet.size()),
                                        out.data(), kMostDecodedSamples, 0);
  if (samples < 0) return std::string("not an Opus frame: ") + opus_strerror(samples);
  out.resize(static_cast<std::size_t>(samples));
  return out;
}

std::vector<float> VoiceDecoder::conceal() {
  std::vector<float> out(kVoiceOutputFrame);
  const int samples = opus_decode_float(state_->decoder, nullptr, 0, out.data(), kVoiceOutputFrame, 0);
  out.resize(samples > 0 ? static_cast<std::size_t>(samples) : 0);
  if (out.empty()) out.assign(kVoiceOutputFrame, 0.0f);
  return out;
}

}  // namespace lodestone::audio
