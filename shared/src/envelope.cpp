#include "lodestone/envelope.h"

#include <cereal/archives/portable_binary.hpp>

#include <array>
#include <cstring>
#include <exception>
#include <istream>
#include <sstream>
#include <streambuf>

namespace lodestone {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic = {'L', 'D', 'S', 'T'};

void put_u16(std::uint8_t* out, std::uint16_t v) {
  out[0] = static_cast<std::uint8_t>(v & 0xFF);
  out[1] = static_cast<std::uint8_t>(v >> 8);
}
void put_u32(std::uint8_t* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint16_t get_u16(const std::uint8_t* in) {
  return static_cast<std::uint16_t>(in[0] | (in[1] << 8));
}
std::uint32_t get_u32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{in[i]} << (8 * i);
  return v;
}

// Read-only stream over received bytes, so decoding parses them in place.
class SpanStreamBuf final : public std::streambuf {
 public:
  explicit SpanStreamBuf(std::span<const std::uint8_t> bytes) {
    // std::streambuf wants char*; the buffer is only ever read.
    char* begin = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
    setg(begin, begin, begin + bytes.size());
  }
  std::size_t remaining() const { return static_cast<std::size_t>(egptr() - gptr()); }
};

template <class M>
Bytes frame(const M& message) {
  std::ostringstream payload_stream(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive archive(payload_stream);
    archive(message);
  }
  const std::string payload = std::move(payload_stream).str();
  Bytes out(kEnvelopeHeaderSize + payload.size());
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  put_u16(out.data() + 4, kProtocolVersion);
  put_u16(out.data() + 6, static_cast<std::uint16_t>(MessageTraits<M>::type));
  put_u32(out.data() + 8, static_cast<std::uint32_t>(payload.size()));
  std::memcpy(out.data() + kEnvelopeHeaderSize, payload.data(), payload.size());
  return out;
}

template <class M>
Result<Message, DecodeError> parse_payload(std::span<const std::uint8_t> payload) {
  SpanStreamBuf buffer(payload);
  std::istream stream(&buffer);
  M message;
  try {
    cereal::PortableBinaryInputArchive archive(stream);
    archive(message);
  } catch (const std::exception& e) {
    return DecodeError{DecodeFailure::MalformedPayload,
                       std::string(MessageTraits<M>::label) + ": " + e.what()};
  }
  if (buffer.remaining() != 0) {
    return DecodeError{DecodeFailure::LengthMismatch,
                       std::string(MessageTraits<M>::label) + " payload has " +
                           std::to_string(buffer.remaining()) + " bytes left over"};
  }
  return Message{std::move(message)};
}

}  // namespace

const char* to_string(DecodeFailure reason) {
  switch (reason) {
    case DecodeFailure::Truncated: return "truncated message";
    case DecodeFailure::BadMagic: return "not a Lodestone message";
    case DecodeFailure::UnsupportedVersion: return "unsupported protocol version";
    case DecodeFailure::UnknownType: return "unknown message type";
    case DecodeFailure::PayloadTooLarge: return "payload too large";
    case DecodeFailure::LengthMismatch: return "length mismatch";
    case DecodeFailure::MalformedPayload: return "malformed payload";
  }
  return "decode error";
}

std::string DecodeError::describe() const {
  return std::string(to_string(reason)) + (detail.empty() ? "" : ": " + detail);
}

template <class M>
Bytes encode(const M& message) {
  return frame(message);
}
#define LODESTONE_INSTANTIATE(name, id, max) template Bytes encode<name>(const name&);
LODESTONE_MESSAGES(LODESTONE_INSTANTIATE)
#undef LODESTONE_INSTANTIATE

Bytes encode_message(const Message& message) {
  return std::visit(
      [](const auto& m) -> Bytes {
        if constexpr (std::is_same_v<std::decay_t<decltype(m)>, std::monostate>) {
          return {};
        } else {
          return frame(m);
        }
      },
      message);
}

Result<EnvelopeHeader, DecodeError> decode_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kEnvelopeHeaderSize) {
    return DecodeError{DecodeFailure::Truncated, "got " + std::to_string(bytes.size()) +
                                                     " bytes, a header needs " +
                                                     std::to_string(kEnvelopeHeaderSize)};
  }
  if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return DecodeError{DecodeFailure::BadMagic, "the first bytes are not \"LDST\""};
  }
  EnvelopeHeader header{get_u16(bytes.data() + 4), get_u16(bytes.data() + 6),
                        get_u32(bytes.data() + 8)};
  if (header.version != kProtocolVersion) {
    return DecodeError{DecodeFailure::UnsupportedVersion,
                       "the peer speaks protocol version " + std::to_string(header.version) +
                           ", this program speaks version " + std::to_string(kProtocolVersion)};
  }
  const std::size_t limit = max_payload_for(header.type);
  if (limit == 0) {
    return DecodeError{DecodeFailure::UnknownType,
                       "message type " + std::to_string(header.type) + " is not known"};
  }
  if (header.payload_length > limit) {
    return DecodeError{DecodeFailure::PayloadTooLarge,
                       std::string(message_name(header.type)) + " claims " +
                           std::to_string(header.payload_length) + " bytes, at most " +
                           std::to_string(limit) + " are accepted"};
  }
  return header;
}

Result<Message, DecodeError> decode_message(std::span<const std::uint8_t> bytes) {
  auto header = decode_header(bytes);
  if (!header) return header.error();
  const std::size_t available = bytes.size() - kEnvelopeHeaderSize;
  if (available < header->payload_length) {
    return DecodeError{DecodeFailure::Truncated,
                       std::string(message_name(header->type)) + " announces " +
                           std::to_string(header->payload_length) + " payload bytes, " +
                           std::to_string(available) + " arrived"};
  }
  if (available > header->payload_length) {
    return DecodeError{DecodeFailure::LengthMismatch,
                       std::to_string(available - header->payload_length) +
                           " bytes follow the announced payload"};
  }
  const auto payload = bytes.subspan(kEnvelopeHeaderSize, header->payload_length);
  switch (header->type) {
#define LODESTONE_DECODE(name, id, max) \
  case id:                              \
    return parse_payload<name>(payload);
    LODESTONE_MESSAGES(LODESTONE_DECODE)
#undef LODESTONE_DECODE
  }
  return DecodeError{DecodeFailure::UnknownType, "message type " + std::to_string(header->type)};
}

}  // namespace lodestone
