#pragma once
// The envelope every Lodestone message travels in:
//
//   offset 0  4 bytes  magic "LDST"
//   offset 4  u16 LE   protocol version
//   offset 6  u16 LE   message type (MessageType)
//   offset 8  u32 LE   payload length in bytes
//   offset 12 ...      payload: the message, cereal portable binary
//
// Decoding never throws and never trusts the wire: the length must match the bytes
// received and stay under the type's maximum before anything is parsed.
#include "lodestone/messages.h"
#include "lodestone/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lodestone {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kEnvelopeHeaderSize = 12;

struct EnvelopeHeader {
  std::uint16_t version = 0;
  std::uint16_t type = 0;
  std::uint32_t payload_length = 0;
};

enum class DecodeFailure {
  Truncated,           // fewer bytes than a header, or than the header's length
  BadMagic,            // not a Lodestone message at all
  UnsupportedVersion,  // another protocol version
  UnknownType,         // a type id this program does not know
  PayloadTooLarge,     // the header claims more than the type allows
  LengthMismatch,      // bytes after the payload the header announced
  MalformedPayload,    // the payload does not parse as its type
};

struct DecodeError {
  DecodeFailure reason;
  std::string detail;
  // A sentence a user can be shown, e.g. "protocol version 2 is not supported (...)".
  std::string describe() const;
};

const char* to_string(DecodeFailure reason);

// Serialises one message into a complete envelope. Throws wire::LengthError only when
// our own code built a message beyond a wire bound (a programming error).
template <class M>
Bytes encode(const M& message);
Bytes encode_message(const Message& message);

// Reads and checks the fixed header (magic, version, type, length bound).
Result<EnvelopeHeader, DecodeError> decode_header(std::span<const std::uint8_t> bytes);

// Decodes a complete envelope into the message it carries.
Result<Message, DecodeError> decode_message(std::span<const std::uint8_t> bytes);

}  // namespace lodestone
