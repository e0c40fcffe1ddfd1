#include "dataset/jpeg_check.h"

namespace lodestone::dataset {
namespace {

constexpr std::uint8_t kDefineHuffmanTables = 0xC4;
constexpr std::uint8_t kStartOfScan = 0xDA;

bool has_no_length(std::uint8_t marker) {
  return marker == 0xD8 || marker == 0xD9 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

std::size_t be16(std::span<const std::uint8_t> bytes, std::size_t at) {
  const auto byte = [&](std::size_t i) -> std::size_t { return i < bytes.size() ? bytes[i] : 0; };
  return (byte(at) << 8) | byte(at + 1);
}

// One DHT segment whose length field starts at `at`; reads past the end as zeros, as
// stb_image does.
std::optional<std::string> check_tables(std::span<const std::uint8_t> bytes, std::size_t at) {
  const auto byte = [&](std::size_t i) -> std::size_t { return i < bytes.size() ? bytes[i] : 0; };
  long left = static_cast<long>(be16(bytes, at)) - 2;
  std::size_t pos = at + 2;
  while (left > 0 && pos < bytes.size()) {
    std::size_t codes = 0;
    for (std::size_t i = 0; i < 16; ++i) codes += byte(pos + 1 + i);
    if (codes > 256) {
      return "JPEG Huffman table at offset " + std::to_string(pos) + " declares " +
             std::to_string(codes) + " codes, at most 256 are possible";
    }
    pos += 17 + codes;
    left -= static_cast<long>(17 + codes);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> unsafe_jpeg_reason(std::span<const std::uint8_t> bytes) {
  // Start of image: the decoder, like every marker, accepts it after any run of FF bytes.
  std::size_t pos = 0;
  while (pos < bytes.size() && bytes[pos] == 0xFF) ++pos;
  if (pos == 0 || pos >= bytes.size() || bytes[pos] != 0xD8) return std::nullopt;
  ++pos;
  bool in_scan = false;  // inside entropy-coded data, where FF 00 and RSTn are not markers
  while (pos < bytes.size()) {
    if (bytes[pos] != 0xFF) {
      ++pos;  // scan data, or padding the decoder skips
      continue;
    }
    std::size_t next = pos + 1;
    while (next < bytes.size() && bytes[next] == 0xFF) ++next;
    if (next >= bytes.size()) break;
    const std::uint8_t marker = bytes[next];
    if (in_scan && (marker == 0x00 || (marker >= 0xD0 && marker <= 0xD7))) {
      pos = next + 1;
      continue;
    }
    if (marker == 0x00) {  // not a marker outside a scan either; keep looking
      pos = next + 1;
      continue;
    }
    in_scan = false;
    if (has_no_length(marker)) {
      pos = next + 1;
      continue;
    }
    if (marker == kDefineHuffmanTables) {
      if (auto reason = check_tables(bytes, next + 1)) return reason;
    }
    pos = next + 1 + be16(bytes, next + 1);
    if (marker == kStartOfScan) in_scan = true;
  }
  return std::nullopt;
}

}  // namespace lodestone::dataset
