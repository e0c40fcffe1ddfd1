// Every input the fuzz targets ever crashed on (tests/fuzz/regressions/<target>/) goes
// through the real readers and decoders here too, in the ordinary build, and must be
// refused with a clear error.
#include "dataset/jpeg_check.h"
#include "dataset/png_check.h"
#include "dataset/readers.h"
#include "lodestone/envelope.h"
#include "lodestone/point_codec.h"

#include "temp_dir.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;
using lodestone::testing::TempDir;

namespace {

const fs::path kRegressions = LODESTONE_FUZZ_REGRESSIONS_DIR;

std::vector<fs::path> regressions(const std::string& target) {
  std::vector<fs::path> files;
  if (!fs::is_directory(kRegressions / target)) return files;
  for (const auto& entry : fs::directory_iterator(kRegressions / target)) files.push_back(entry.path());
  return files;
}

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream read;
  read << in.rdbuf();
  const std::string bytes = read.str();
  return {bytes.begin(), bytes.end()};
}

}  // namespace

TEST(FuzzRegressions, ImageInputsAreRefusedWithTheFileNamed) {
  const auto files = regressions("image");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    TempDir dir;
    fs::create_directories(dir / "imgs");
    fs::copy_file(file, dir / "imgs" / "found.jpg");
    const auto data = lodestone::dataset::read_image_folder(dir / "imgs", 28);
    ASSERT_FALSE(data.ok()) << file;
    EXPECT_NE(data.error().message.find("found.jpg"), std::string::npos) << data.error().message;
  }
}

TEST(FuzzRegressions, OverfullJpegHuffmanTableIsNamed) {
  const auto bytes = read_bytes(kRegressions / "image" / "jpeg_huffman_overflow");
  const auto reason = lodestone::dataset::unsafe_jpeg_reason(bytes);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("Huffman table"), std::string::npos) << *reason;
}

TEST(FuzzRegressions, PngWithAnEmptyFirstIdatChunkIsNamed) {
  const auto bytes = read_bytes(kRegressions / "image" / "png_empty_first_idat");
  const auto reason = lodestone::dataset::unsafe_png_reason(bytes);
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("empty IDAT"), std::string::npos) << *reason;
}

TEST(FuzzRegressions, OrdinaryJpegsStillImport) {
  TempDir dir;
  fs::create_directories(dir / "imgs");
  for (int channels : {1, 3}) {
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(32 * 24 * channels));
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 7);
    const auto path = dir / "imgs" / ("photo" + std::to_string(channels) + ".jpg");
    ASSERT_TRUE(stbi_write_jpg(path.c_str(), 32, 24, channels, pixels.data(), 90));
    EXPECT_FALSE(lodestone::dataset::unsafe_jpeg_reason(read_bytes(path)).has_value());
  }
  const auto data = lodestone::dataset::read_image_folder(dir / "imgs", 16);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(data->items.size(), 2u);
}

// Each folder's expected.txt: `file outcome` per line. Every file there must be listed, and
// at least one must be, so an emptied or misplaced folder fails instead of passing.
std::vector<std::pair<fs::path, std::string>> expected_outcomes(const std::string& target) {
  std::vector<std::pair<fs::path, std::string>> out;
  std::ifstream manifest(kRegressions / target / "expected.txt");
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    out.push_back({kRegressions / target / line.substr(0, space), space == std::string::npos ? "" : line.substr(space + 1)});
  }
  return out;
}

void expect_every_file_listed(const std::string& target, const std::vector<std::pair<fs::path, std::string>>& listed) {
  for (const auto& file : regressions(target)) {
    if (file.filename() == "expected.txt") continue;
    const bool found = std::any_of(listed.begin(), listed.end(), [&](const auto& l) { return l.first == file; });
    EXPECT_TRUE(found) << file << " has no line in expected.txt";
  }
}

TEST(FuzzRegressions, EnvelopeInputsAreRefusedForTheirReason) {
  const auto cases = expected_outcomes("envelope");
  ASSERT_FALSE(cases.empty()) << "no envelope regressions under " << kRegressions;
  expect_every_file_listed("envelope", cases);
  for (const auto& [file, reason] : cases) {
    ASSERT_TRUE(fs::exists(file)) << file;
    const auto decoded = lodestone::decode_message(read_bytes(file));
    ASSERT_FALSE(decoded.ok()) << file;
    EXPECT_EQ(lodestone::to_string(decoded.error().reason), reason) << file << ": " << decoded.error().describe();
  }
  // And the decoder still takes a good message, and refuses it with a byte too many.
  auto good = lodestone::encode(lodestone::Hello{});
  EXPECT_TRUE(lodestone::decode_message(good).ok());
  good.push_back(0);
  const auto longer = lodestone::decode_message(good);
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().reason, lodestone::DecodeFailure::LengthMismatch);
}

TEST(FuzzRegressions, PointCodecInputsAreRefused) {
  const auto cases = expected_outcomes("point_codec");
  ASSERT_FALSE(cases.empty()) << "no point-codec regressions under " << kRegressions;
  expect_every_file_listed("point_codec", cases);
  for (const auto& [file, outcome] : cases) {
    ASSERT_TRUE(fs::exists(file)) << file;
    ASSERT_EQ(outcome, "refused") << file;
    const auto decoded = lodestone::decode_frame(read_bytes(file), nullptr);
    ASSERT_FALSE(decoded.ok()) << file;
    EXPECT_FALSE(decoded.error().message.empty()) << file;
  }
}
