// A clip as a client receives it (ClipData's FLAC bytes) or finds it in its disk cache:
// whatever the bytes, decode_clip refuses or returns samples within its limit, and what it
// returns encodes and decodes again.
#include "audio/clip_codec.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 1u << 18;
  const auto clip = lodestone::audio::decode_clip({data, size}, kLimit);
  if (!clip) return 0;
  if (clip->samples.empty() || clip->samples.size() > kLimit || clip->sample_rate <= 0) std::abort();
  const auto flac = lodestone::audio::encode_flac(*clip);
  if (!flac) std::abort();
  const auto again = lodestone::audio::decode_clip(*flac, kLimit);
  if (!again || again->samples.size() != clip->samples.size()) std::abort();
  return 0;
}
