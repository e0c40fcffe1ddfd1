#pragma once
// A guard in front of stb_image's PNG decoder. stb_image 2.27 (Debian's libstb) reads an
// IDAT chunk into a buffer it allocates on the first non-empty one; an empty first IDAT
// makes it offset a null pointer (undefined behaviour the sanitizers stop on). Such a
// file holds no image data before that chunk, so it is refused as corrupt.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace lodestone::dataset {

// Why the bytes must not reach the PNG decoder, or nothing when they may (including
// when they are not a PNG at all).
std::optional<std::string> unsafe_png_reason(std::span<const std::uint8_t> bytes);

}  // namespace lodestone::dataset
