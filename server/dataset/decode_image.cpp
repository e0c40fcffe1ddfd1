#include "dataset/decode_image.h"

#include <png.h>
// jpeglib.h needs FILE and size_t declared before it.
#include <cstdio>
#include <jpeglib.h>

#include <csetjmp>
#include <cstring>
#include <memory>

namespace lodestone::dataset {
namespace {

bool is_png(std::span<const std::uint8_t> b) {
  static constexpr std::uint8_t kMagic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() >= 8 && std::memcmp(b.data(), kMagic, 8) == 0;
}

bool is_jpeg(std::span<const std::uint8_t> b) { return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF; }

std::string too_large(int width, int height) {
  return "the image is " + std::to_string(width) + "x" + std::to_string(height) + ", larger than the " +
         std::to_string(kMaxImagePixels >> 20) + "-megapixel limit";
}

// ---- PNG: libpng's simplified API, which reports errors in the image's message ----

struct PngReader {
  png_image image{};
  PngReader() { image.version = PNG_IMAGE_VERSION; }
  ~PngReader() { png_image_free(&image); }
  std::string error() const { return std::string("PNG: ") + image.message; }
};

Result<ImageInfo, std::string> png_info(std::span<const std::uint8_t> bytes, PngReader& png) {
  if (!png_image_begin_read_from_memory(&png.image, bytes.data(), bytes.size())) return png.error();
  const auto w = static_cast<int>(png.image.width), h = static_cast<int>(png.image.height);
  if (w <= 0 || h <= 0 || std::uint64_t(png.image.width) * png.image.height > kMaxImagePixels) return too_large(w, h);
  return ImageInfo{w, h, (png.image.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1};
}

Result<DecodedImage, std::string> png_decode(std::span<const std::uint8_t> bytes, int channels) {
  PngReader png;
  auto info = png_info(bytes, png);
  if (!info) return info.error();
  // Transparency is composited onto black, as a viewer with no background shows it.
  png.image.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  DecodedImage out{*info, std::vector<std::uint8_t>(PNG_IMAGE_SIZE(png.image))};
  if (!png_image_finish_read(&png.image, nullptr, out.pixels.data(), 0, nullptr)) return png.error();
  return out;
}

// ---- JPEG: libjpeg's error manager ends a failed decode with a longjmp back here ----

struct JpegError {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

extern "C" void jpeg_error_exit(j_common_ptr cinfo) {
  auto* error = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, error->message);
  std::longjmp(error->jump, 1);
}

extern "C" void jpeg_quiet(j_common_ptr, int) {}  // warnings (a corrupt but readable file) stay silent

struct JpegHeader {
  unsigned width = 0, height = 0;
  int components = 0;
  bool cmyk = false;
};

// Reads the header, and when `out` is not null decodes the pixels into it (`out_size`
// bytes, width × height × channels). Only C objects live here: a longjmp from libjpeg
// back to the setjmp skips no destructor. 0: done; 1: libjpeg refused (`message` says why).
int jpeg_run(const std::uint8_t* data, std::size_t size, int channels, JpegHeader* header, std::uint8_t* out,
             std::size_t out_size, char* message) {
  jpeg_decompress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  JpegError err;
  std::memset(&err, 0, sizeof err);
  cinfo.err = jpeg_std_error(&err.manager);
  err.manager.error_exit = jpeg_error_exit;
  err.manager.emit_message = jpeg_quiet;
  if (setjmp(err.jump) != 0) {
    jpeg_destroy_decompress(&cinfo);
    std::memcpy(message, err.message, sizeof err.message);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  header->width = cinfo.image_width;
  header->height = cinfo.image_height;
  header->components = cinfo.num_components;
  header->cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  if (out != nullptr) {
    cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    const std::size_t stride = std::size_t{cinfo.output_width} * static_cast<std::size_t>(cinfo.output_components);
    if (stride * cinfo.output_height > out_size) {
      jpeg_destroy_decompress(&cinfo);
      std::strcpy(message, "decoded size differs from the header");
      return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
      JSAMPROW row = out + stride * cinfo.output_scanline;
      jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
  }
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

bool jpeg_read(std::span<const std::uint8_t> bytes, int channels, ImageInfo& info, std::vector<std::uint8_t>* pixels,
               std::string& error) {
  char message[JMSG_LENGTH_MAX] = {};
  JpegHeader header;
  if (jpeg_run(bytes.data(), bytes.size(), channels, &header, nullptr, 0, message) != 0) {
    error = std::string("JPEG: ") + message;
    return false;
  }
  info = {static_cast<int>(header.width), static_cast<int>(header.height), header.components == 1 ? 1 : 3};
  if (std::uint64_t{header.width} * header.height > kMaxImagePixels) {
    error = too_large(info.width, info.height);
    return false;
  }
  if (pixels == nullptr) return true;
  if (header.cmyk) {
    error = "JPEG: CMYK images are not supported; save it as RGB";
    return false;
  }
  pixels->assign(std::size_t{header.width} * header.height * static_cast<std::size_t>(channels), 0);
  if (jpeg_run(bytes.data(), bytes.size(), channels, &header, pixels->data(), pixels->size(), message) != 0) {
    error = std::string("JPEG: ") + message;
    return false;
  }
  return true;
}

}  // namespace

Result<ImageInfo, std::string> image_info(std::span<const std::uint8_t> bytes) {
  if (is_png(bytes)) {
    PngReader png;
    return png_info(bytes, png);
  }
  if (is_jpeg(bytes)) {
    ImageInfo info;
    std::string error;
    if (!jpeg_read(bytes, 3, info, nullptr, error)) return error;
    return info;
  }
  return std::string("not a PNG or JPEG image (its first bytes are neither's signature)");
}

Result<DecodedImage, std::string> decode_image(std::span<const std::uint8_t> bytes, int channels) {
  if (channels != 1 && channels != 3) return std::string("decode_image: 1 or 3 channels expected");
  if (is_png(bytes)) return png_decode(bytes, channels);
  if (is_jpeg(bytes)) {
    DecodedImage out;
    std::string error;
    if (!jpeg_read(bytes, channels, out.info, &out.pixels, error)) return error;
    return out;
  }
  return std::string("not a PNG or JPEG image (its first bytes are neither's signature)");
}

}  // namespace lodestone::dataset
