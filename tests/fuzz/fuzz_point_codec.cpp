// Snapshot frames as a client receives them: decode_frame must refuse or decode without
// crashing, against no base and against a small base; a decoded cloud must re-encode to a
// keyframe that decodes to the same values.
#include "lodestone/point_codec.h"

#include <cstdlib>

namespace {

const lodestone::QuantisedCloud& small_base() {
  static const lodestone::QuantisedCloud base = [] {
    lodestone::QuantisedCloud cloud{{{-1, -1, -1}, {1, 1, 1}}, {}};
    for (std::uint16_t v = 0; v < 30; ++v) cloud.xyz.push_back(static_cast<std::uint16_t>(v * 2000));
    return cloud;
  }();
  return base;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> frame{data, size};
  (void)lodestone::frame_kind(frame);
  for (const lodestone::QuantisedCloud* base : {static_cast<const lodestone::QuantisedCloud*>(nullptr), &small_base()}) {
    const auto decoded = lodestone::decode_frame(frame, base);
    if (!decoded) continue;
    if (decoded->xyz.size() % 3 != 0) std::abort();
    const auto again = lodestone::decode_frame(lodestone::encode_keyframe(*decoded), nullptr);
    if (!again || again->xyz != decoded->xyz) std::abort();
  }
  return 0;
}
