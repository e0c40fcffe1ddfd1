#include "dataset/png_check.h"

#include <array>
#include <cstring>

namespace lodestone::dataset {
namespace {

constexpr std::array<std::uint8_t, 8> kSignature = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

std::uint64_t be32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint64_t{bytes[at]} << 24) | (std::uint64_t{bytes[at + 1]} << 16) | (std::uint64_t{bytes[at + 2]} << 8) |
         bytes[at + 3];
}

}  // namespace

std::optional<std::string> unsafe_png_reason(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSignature.size() || std::memcmp(bytes.data(), kSignature.data(), kSignature.size()) != 0) {
    return std::nullopt;
  }
  // Chunks: length (4, big endian), type (4), data, CRC (4). Only the first IDAT matters.
  std::size_t at = kSignature.size();
  while (at + 8 <= bytes.size()) {
    const std::uint64_t length = be32(bytes, at);
    if (std::memcmp(bytes.data() + at + 4, "IDAT", 4) == 0) {
      if (length == 0) return "PNG image data starts with an empty IDAT chunk at offset " + std::to_string(at);
      return std::nullopt;
    }
    at += 12 + length;
  }
  return std::nullopt;
}

}  // namespace lodestone::dataset
