#pragma once
// A guard in front of stb_image's JPEG decoder. stb_image 2.27 (Debian's libstb) builds
// each Huffman table into a 257-entry array without checking that the table's 16 code
// counts add up to at most 256, so a crafted DHT segment writes past the array. This walks
// the file's segments as the decoder will and refuses such a table before decoding.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace lodestone::dataset {

// Why the bytes must not reach the JPEG decoder, or nothing when they may (including
// when they are not a JPEG at all).
std::optional<std::string> unsafe_jpeg_reason(std::span<const std::uint8_t> bytes);

}  // namespace lodestone::dataset
