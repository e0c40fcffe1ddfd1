// IDX files as `lodestone-server import` reads them (plain or gzip). The first byte
// chooses images only, or images and labels split at the second byte's position, so
// both files' headers and the count check between them are reached.
#include "dataset/readers.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using lodestone::fuzz::write_scratch_file;
  if (size < 2) return 0;
  const bool with_labels = (data[0] & 1) != 0;
  const std::uint8_t* rest = data + 2;
  const std::size_t rest_size = size - 2;
  if (!with_labels) {
    const auto images = write_scratch_file("images.idx", rest, rest_size);
    (void)lodestone::dataset::read_idx(images, std::nullopt);
    return 0;
  }
  const std::size_t split = rest_size == 0 ? 0 : data[1] % (rest_size + 1);
  const auto images = write_scratch_file("images.idx", rest, split);
  const auto labels = write_scratch_file("labels.idx", rest + split, rest_size - split);
  (void)lodestone::dataset::read_idx(images, labels);
  return 0;
}
