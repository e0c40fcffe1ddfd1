// Every message's decoder: the first input byte picks a message type from the protocol's
// table and the rest is its payload, wrapped in a valid envelope so the fuzzer spends its
// time inside the payload parsers rather than on the header checks (fuzz_envelope's job).
#include "lodestone/envelope.h"

#include <array>
#include <cstdlib>
#include <cstring>

namespace {

constexpr std::array kTypes = {
#define LODESTONE_TYPE_ID(name, id, max) std::uint16_t{id},
    LODESTONE_MESSAGES(LODESTONE_TYPE_ID)
#undef LODESTONE_TYPE_ID
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint16_t type = kTypes[data[0] % kTypes.size()];
  const std::size_t payload = size - 1;
  if (payload > lodestone::max_payload_for(type)) return 0;
  lodestone::Bytes packet(lodestone::kEnvelopeHeaderSize + payload);
  std::memcpy(packet.data(), "LDST", 4);
  packet[4] = static_cast<std::uint8_t>(lodestone::kProtocolVersion & 0xFF);
  packet[5] = static_cast<std::uint8_t>(lodestone::kProtocolVersion >> 8);
  packet[6] = static_cast<std::uint8_t>(type & 0xFF);
  packet[7] = static_cast<std::uint8_t>(type >> 8);
  for (int i = 0; i < 4; ++i) packet[8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(payload >> (8 * i));
  if (payload > 0) std::memcpy(packet.data() + lodestone::kEnvelopeHeaderSize, data + 1, payload);

  const auto decoded = lodestone::decode_message(packet);
  if (!decoded) return 0;
  // Decoded fields are within their bounds, so the message must encode back and
  // decode to what it was.
  // Compared as bytes: a float field may be NaN, which equals nothing.
  const auto encoded = lodestone::encode_message(*decoded);
  const auto again = lodestone::decode_message(encoded);
  if (!again || lodestone::encode_message(*again) != encoded) std::abort();
  return 0;
}
