// One image in a folder, as `lodestone-server import --images` reads it: the PNG and
// JPEG decoders and the resize to a thumbnail must refuse or succeed without crashing.
#include "dataset/readers.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using lodestone::fuzz::scratch_folder;
  using lodestone::fuzz::write_scratch_file;
  // The extension only decides whether the file is looked at; the signature picks libpng or libjpeg.
  write_scratch_file("images/class/one.png", data, size);
  (void)lodestone::dataset::read_image_folder(scratch_folder() / "images", 28);
  return 0;
}
