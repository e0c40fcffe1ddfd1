// Every input the fuzz targets ever crashed on (tests/fuzz/regressions/<target>/) goes
// through the real readers and decoders here too, in the ordinary build, and must be
// refused with a clear error.
#include "audio/clip_codec.h"
#include "dataset/decode_image.h"
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

std::vector<std::pair<fs::path, std::string>> expected_outcomes(const std::string& target);
void expect_every_file_listed(const std::string& target, const std::vector<std::pair<fs::path, std::string>>& listed);

// Each image regression (inputs that once crashed stb_image) through the import as a user
// runs it: refused with the file named and the decoder's reason, or, where libpng or
// libjpeg find the file sound, imported; never a crash (the sanitizers watch).
TEST(FuzzRegressions, ImageInputsAreRefusedWithTheFileNamedOrDecoded) {
  const auto cases = expected_outcomes("image");
  ASSERT_FALSE(cases.empty()) << "no image regressions under " << kRegressions;
  expect_every_file_listed("image", cases);
  for (const auto& [file, outcome] : cases) {
    ASSERT_TRUE(fs::exists(file)) << file;
    TempDir dir;
    fs::create_directories(dir / "imgs");
    fs::copy_file(file, dir / "imgs" / "found.jpg");
    const auto data = lodestone::dataset::read_image_folder(dir / "imgs", 28);
    if (outcome == "decodes") {
      EXPECT_TRUE(data.ok()) << file << ": " << (data.ok() ? "" : data.error().message);
      continue;
    }
    ASSERT_EQ(outcome.substr(0, 8), "refused:") << file;
    ASSERT_FALSE(data.ok()) << file;
    EXPECT_NE(data.error().message.find("found.jpg"), std::string::npos) << data.error().message;
    EXPECT_NE(data.error().message.find(outcome.substr(9)), std::string::npos) << file << ": " << data.error().message;
  }
}

TEST(FuzzRegressions, ImagesPastThePixelLimitAreRefusedBeforeDecoding) {
  // A PNG whose header claims 100,000 × 100,000 pixels, with an empty IDAT after it.
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  const auto chunk = [&](const char* type, std::vector<std::uint8_t> data) {
    const auto n = static_cast<std::uint32_t>(data.size());
    for (int b = 3; b >= 0; --b) png.push_back(static_cast<std::uint8_t>(n >> (8 * b)));
    std::vector<std::uint8_t> body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    std::uint32_t crc = 0xFFFFFFFFu;  // the chunk's CRC-32, so libpng reads on to the size
    for (auto byte : body) {
      crc ^= byte;
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xFFFFFFFFu;
    for (int b = 3; b >= 0; --b) png.push_back(static_cast<std::uint8_t>(crc >> (8 * b)));
  };
  chunk("IHDR", {0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 0, 0, 0, 0});
  chunk("IDAT", {});
  const auto decoded = lodestone::dataset::decode_image(png, 1);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().find("megapixel limit"), std::string::npos) << decoded.error();
}

TEST(FuzzRegressions, OrdinaryJpegsStillImport) {
  TempDir dir;
  fs::create_directories(dir / "imgs");
  for (int channels : {1, 3}) {
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(32 * 24 * channels));
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 7);
    const auto path = dir / "imgs" / ("photo" + std::to_string(channels) + ".jpg");
    ASSERT_TRUE(stbi_write_jpg(path.c_str(), 32, 24, channels, pixels.data(), 90));
    const auto info = lodestone::dataset::image_info(read_bytes(path));
    ASSERT_TRUE(info.ok()) << info.error();
    EXPECT_EQ(info->width, 32);
    EXPECT_EQ(info->height, 24);
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

// Clips as a client decodes them (ClipData, or its disk cache): refused with the reason.
TEST(FuzzRegressions, ClipInputsAreRefusedForTheirReason) {
  const auto cases = expected_outcomes("clip");
  ASSERT_FALSE(cases.empty()) << "no clip regressions under " << kRegressions;
  expect_every_file_listed("clip", cases);
  for (const auto& [file, reason] : cases) {
    ASSERT_TRUE(fs::exists(file)) << file;
    const auto decoded = lodestone::audio::decode_clip(read_bytes(file), 1u << 20);
    ASSERT_FALSE(decoded.ok()) << file;
    EXPECT_NE(decoded.error().find(reason), std::string::npos) << file << ": " << decoded.error();
  }
}
