// A voice frame's Opus bytes as a client receives them from the room (relayed from any
// peer, never decoded by the server): whatever they are, the decoder returns at most
// 120 ms of samples or refuses, and concealment after it still works.
#include "audio/voice_codec.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static lodestone::audio::VoiceDecoder decoder;  // state carried across inputs, as across frames
  const auto samples = decoder.decode({data, size});
  if (samples && samples->size() > static_cast<std::size_t>(lodestone::audio::kVoiceOutputRate * 120 / 1000)) std::abort();
  if (decoder.conceal().size() != static_cast<std::size_t>(lodestone::audio::kVoiceOutputFrame)) std::abort();
  return 0;
}
