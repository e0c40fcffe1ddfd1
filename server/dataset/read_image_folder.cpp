#include "dataset/class_folders.h"
#include "dataset/decode_image.h"
#include "dataset/readers.h"

#include <stb/stb_image_resize.h>

#include <fstream>
#include <iterator>

namespace lodestone::dataset {
namespace {

namespace fs = std::filesystem;

// The file's bytes, or an error.
Result<std::vector<std::uint8_t>, ImportError> read_image_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ImportError{path.string() + ": cannot open the file"};
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return ImportError{path.string() + ": cannot read the file"};
  if (bytes.empty()) return ImportError{path.string() + ": is empty, not a PNG or JPEG image"};
  return bytes;
}

}  // namespace

Result<Dataset, ImportError> read_image_folder(const fs::path& folder, int size,
                                               const ProgressFn& progress) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return ImportError{folder.string() + ": not a folder"};
  if (size < 4 || size > 512) {
    return ImportError{"thumbnail size " + std::to_string(size) + " is outside 4..512"};
  }
  const auto found = find_class_files(folder, {".png", ".jpg", ".jpeg"});
  if (found.empty()) {
    return ImportError{folder.string() +
                       ": holds no .png, .jpg or .jpeg images (directly or in class sub-folders)"};
  }
  // Grey only if every image is: one colour image makes the whole dataset colour.
  int channels = 1;
  for (const auto& image : found) {
    const auto bytes = read_image_bytes(image.path);
    if (!bytes) return bytes.error();
    const auto info = image_info(*bytes);
    if (!info) return ImportError{image.path.string() + ": not a readable PNG or JPEG image (" + info.error() + ")"};
    if (info->channels >= 3) channels = 3;
  }

  Dataset dataset{folder.filename().string(), "image-folder", folder.string(), size, size, channels, {}, 0};
  dataset.items.reserve(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    const auto& image = found[i];
    const auto bytes = read_image_bytes(image.path);
    if (!bytes) return bytes.error();
    const auto decoded = decode_image(*bytes, channels);
    if (!decoded) {
      return ImportError{image.path.string() + " (item " + std::to_string(i) + "): cannot decode the image (" +
                         decoded.error() + ")"};
    }
    Item item{fs::relative(image.path, folder).string(), {}, image.class_name, std::nullopt};
    item.pixels.resize(dataset.pixels_per_item());
    // Resampling only (stb_image_resize): the decoding above is libpng's and libjpeg's.
    if (!stbir_resize_uint8(decoded->pixels.data(), decoded->info.width, decoded->info.height, 0, item.pixels.data(),
                            size, size, 0, channels)) {
      return ImportError{image.path.string() + ": cannot resize to " + std::to_string(size) + "x" +
                         std::to_string(size)};
    }
    dataset.items.push_back(std::move(item));
    if (progress) progress(i + 1, found.size());
  }
  return dataset;
}

}  // namespace lodestone::dataset
