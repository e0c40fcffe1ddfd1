// Any bytes a peer sends, as one received packet: decode_message must refuse or decode
// without crashing, and whatever it decodes must encode back and decode to the same bytes.
#include "lodestone/envelope.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto decoded = lodestone::decode_message({data, size});
  if (!decoded) {
    (void)decoded.error().describe();
    return 0;
  }
  // Compared as bytes: a float field may be NaN, which equals nothing.
  const auto encoded = lodestone::encode_message(*decoded);
  const auto again = lodestone::decode_message(encoded);
  if (!again || lodestone::encode_message(*again) != encoded) std::abort();
  return 0;
}
