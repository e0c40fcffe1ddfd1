#include "dataset/read_file.h"
#include "dataset/readers.h"

namespace lodestone::dataset {
namespace {

struct IdxHeader {
  std::vector<std::uint32_t> dims;
  std::size_t data_offset = 0;
};

std::uint32_t big_endian_u32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

Result<IdxHeader, ImportError> parse_header(const std::filesystem::path& path,
                                            const std::vector<std::uint8_t>& bytes,
                                            std::size_t expected_dims) {
  const auto where = path.string() + ": ";
  if (bytes.size() < 4) {
    return ImportError{where + "file is " + std::to_string(bytes.size()) +
                       " bytes long, expected at least a 4-byte IDX magic number"};
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    return ImportError{where + "at offset 0, expected an IDX magic number (00 00 type dims)"};
  }
  if (bytes[2] != 0x08) {
    return ImportError{where + "at offset 2, expected data type 0x08 (unsigned byte), found 0x" +
                       std::to_string(bytes[2])};
  }
  if (bytes[3] != expected_dims) {
    return ImportError{where + "at offset 3, expected " + std::to_string(expected_dims) +
                       " dimensions, found " + std::to_string(bytes[3])};
  }
  IdxHeader header;
  header.data_offset = 4 + 4 * expected_dims;
  if (bytes.size() < header.data_offset) {
    return ImportError{where + "truncated at offset " + std::to_string(bytes.size()) +
                       ", expected " + std::to_string(expected_dims) + " dimension sizes"};
  }
  for (std::size_t d = 0; d < expected_dims; ++d) {
    header.dims.push_back(big_endian_u32(bytes.data() + 4 + 4 * d));
  }
  return header;
}

}  // namespace

Result<Dataset, ImportError> read_idx(const std::filesystem::path& images,
                                      const std::optional<std::filesystem::path>& labels,
                                      const ProgressFn& progress) {
  auto image_bytes = read_file_bytes(images);
  if (!image_bytes) return image_bytes.error();
  auto header = parse_header(images, *image_bytes, 3);
  if (!header) return header.error();
  const std::size_t count = header->dims[0], rows = header->dims[1], cols = header->dims[2];
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096) {
    return ImportError{images.string() + ": image size " + std::to_string(rows) + "x" +
                       std::to_string(cols) + " is outside 1..4096"};
  }
  const std::size_t per_item = rows * cols;
  const std::size_t expected_end = header->data_offset + count * per_item;
  if (image_bytes->size() < expected_end) {
    const std::size_t complete = (image_bytes->size() - header->data_offset) / per_item;
    return ImportError{images.string() + ": truncated at offset " +
                       std::to_string(image_bytes->size()) + " in item " +
                       std::to_string(complete) + ", expected " + std::to_string(count) +
                       " images of " + std::to_string(rows) + "x" + std::to_string(cols) + " (" +
                       std::to_string(expected_end) + " bytes)"};
  }
  if (image_bytes->size() > expected_end) {
    return ImportError{images.string() + ": " + std::to_string(image_bytes->size() - expected_end) +
                       " unexpected bytes after the last image at offset " +
                       std::to_string(expected_end)};
  }

  std::vector<std::uint8_t> label_bytes;
  std::size_t label_offset = 0;
  if (labels) {
    auto read = read_file_bytes(*labels);
    if (!read) return read.error();
    auto label_header = parse_header(*labels, *read, 1);
    if (!label_header) return label_header.error();
    if (label_header->dims[0] != count) {
      return ImportError{labels->string() + ": holds " + std::to_string(label_header->dims[0]) +
                         " labels, expected one for each of the " + std::to_string(count) +
                         " images"};
    }
    if (read->size() != label_header->data_offset + count) {
      return ImportError{labels->string() + ": is " + std::to_string(read->size()) +
                         " bytes, expected " + std::to_string(label_header->data_offset + count)};
    }
    label_bytes = std::move(*read);
    label_offset = label_header->data_offset;
  }

  Dataset dataset{images.stem().string(), "idx", images.string(), static_cast<int>(cols),
                  static_cast<int>(rows), 1, {}, 0};
  dataset.items.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto first = image_bytes->begin() +
                       static_cast<std::ptrdiff_t>(header->data_offset + i * per_item);
    Item item{std::to_string(i), std::vector<std::uint8_t>(first, first + static_cast<std::ptrdiff_t>(per_item)), std::nullopt, std::nullopt};
    if (labels) item.ground_truth = std::to_string(label_bytes[label_offset + i]);
    dataset.items.push_back(std::move(item));
    if (progress && (i % 4096 == 0 || i + 1 == count)) progress(i + 1, count);
  }
  return dataset;
}

}  // namespace lodestone::dataset
