// Packed item labels: what a client decodes is what the server meant (the same label for
// every item, the later entry winning where an item repeats), a big label by one
// annotator costs a byte or two an item, and bytes that are not a packed list are refused.
#include "lodestone/item_labels.h"
#include "lodestone/wire_bounds.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <random>
#include <stdexcept>

namespace lodestone {
namespace {

// What a client makes of a list: each item's label, later entries winning.
std::map<std::uint32_t, std::pair<ClassId, UserId>> applied(const std::vector<ItemLabel>& labels) {
  std::map<std::uint32_t, std::pair<ClassId, UserId>> out;
  for (const auto& l : labels) out[l.item_index] = {l.class_id, l.annotator_id};
  return out;
}

TEST(ItemLabels, AFullSetOfMixedClassesComesBackAsTheSameLabels) {
  std::mt19937 rng(7);
  std::vector<ItemLabel> labels;
  for (std::uint32_t i = 0; i < 70000; i += 1 + static_cast<std::uint32_t>(rng() % 5)) {
    labels.push_back({i, static_cast<ClassId>(rng() % 10 + 100), static_cast<UserId>(rng() % 3 + 1)});
  }
  const auto back = unpack_item_labels(pack_item_labels(labels), wire::kMaxItemsPerMessage);
  EXPECT_EQ(back.size(), labels.size());
  EXPECT_EQ(applied(back), applied(labels));
}

TEST(ItemLabels, OneAnnotatorsBigLabelCostsAboutAByteAnItem) {
  std::vector<ItemLabel> labels;
  for (std::uint32_t i = 0; i < 70000; i += 13) labels.push_back({i, 4, 2});
  const auto packed = pack_item_labels(labels);
  std::printf("%zu items packed into %zu bytes (%.2f per item; 20 unpacked)\n", labels.size(), packed.size(),
              static_cast<double>(packed.size()) / static_cast<double>(labels.size()));
  EXPECT_LE(packed.size(), labels.size() + 16);
  EXPECT_EQ(unpack_item_labels(packed, wire::kMaxItemsPerMessage), labels) << "one run keeps its order";
}

TEST(ItemLabels, RepeatedItemsKeepTheirOrderSoTheLaterEntryWins) {
  const std::vector<ItemLabel> labels{{5, 1, 1}, {9, 1, 1}, {5, kNoClass, 2}, {2, 3, 1}, {5, 3, 1}};
  const auto back = unpack_item_labels(pack_item_labels(labels), wire::kMaxItemsPerMessage);
  EXPECT_EQ(back, labels);
  EXPECT_EQ(applied(back).at(5), (std::pair<ClassId, UserId>{3, 1}));
}

TEST(ItemLabels, ExtremeIdsAndIndicesSurvive) {
  const std::vector<ItemLabel> labels{{0xFFFFFFFFu, kNoClass, 1}, {0, std::numeric_limits<ClassId>::max(), 0x7FFFFFFFFFFFll}};
  EXPECT_EQ(applied(unpack_item_labels(pack_item_labels(labels), 10)), applied(labels));
  EXPECT_TRUE(unpack_item_labels(pack_item_labels({}), 10).empty());
}

TEST(ItemLabels, BytesThatAreNotAPackedListAreRefused) {
  std::vector<ItemLabel> labels;
  for (std::uint32_t i = 0; i < 100; ++i) labels.push_back({i * 300, 1, 1});
  const auto packed = pack_item_labels(labels);

  auto truncated = packed;
  truncated.pop_back();
  EXPECT_THROW(unpack_item_labels(truncated, 1000), std::invalid_argument);
  auto stray = packed;
  stray.push_back(0);
  EXPECT_THROW(unpack_item_labels(stray, 1000), std::invalid_argument);
  EXPECT_THROW(unpack_item_labels(packed, 99), wire::LengthError);
  const std::vector<std::uint8_t> endless(12, 0xFF);
  EXPECT_THROW(unpack_item_labels(endless, 1000), std::invalid_argument);
  // One run of one item whose index is 2^33.
  const std::vector<std::uint8_t> far{1, 2, 2, 1, 0x80, 0x80, 0x80, 0x80, 0x40};
  EXPECT_THROW(unpack_item_labels(far, 1000), std::invalid_argument);
  // A run claiming a billion items in a few bytes: refused before anything is allocated.
  const std::vector<std::uint8_t> claims{1, 2, 2, 0x80, 0x94, 0xEB, 0xDC, 0x03, 0};
  EXPECT_THROW(unpack_item_labels(claims, wire::kMaxItemsPerMessage), wire::LengthError);
}

}  // namespace
}  // namespace lodestone
