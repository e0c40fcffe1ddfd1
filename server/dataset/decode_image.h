#pragma once
// PNG and JPEG decoding for `import images`, through libpng and libjpeg-turbo: decoders
// that are fuzzed and patched upstream, for files nobody vouches for. A file that is not
// a PNG or JPEG, or that they refuse, gives the decoder's reason; nothing is half-read.
#include "lodestone/result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lodestone::dataset {

// Images larger than this many pixels are refused before any pixel is allocated.
inline constexpr std::uint64_t kMaxImagePixels = 1ull << 26;  // 64 megapixels

struct ImageInfo {
  int width = 0, height = 0;
  int channels = 0;  // 1: grey, 3: colour (an alpha channel is dropped)
};

struct DecodedImage {
  ImageInfo info;
  std::vector<std::uint8_t> pixels;  // width × height × the channels asked for, row-major
};

// The header only: size and whether the image is grey or colour.
Result<ImageInfo, std::string> image_info(std::span<const std::uint8_t> bytes);
// The pixels, converted to `channels` (1 or 3).
Result<DecodedImage, std::string> decode_image(std::span<const std::uint8_t> bytes, int channels);

}  // namespace lodestone::dataset
