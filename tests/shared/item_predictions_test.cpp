// Item predictions on the wire: what goes in comes out, a byte each for class and
// confidence; bytes that are not a packed list are refused, never read past.
#include "lodestone/item_predictions.h"
#include "lodestone/wire_bounds.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lodestone {
namespace {

TEST(ItemPredictions, RoundTripInAscendingOrderAtAboutThreeBytesAnItem) {
  std::vector<ItemPrediction> in;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    in.push_back({i * 3, static_cast<std::uint8_t>(i % 10), static_cast<std::uint8_t>(i % 256)});
  }
  in.push_back({4'000'000'000u, kNoPrediction, 0});
  const auto packed = pack_item_predictions(in);
  EXPECT_EQ(unpack_item_predictions(packed, wire::kMaxItemsPerMessage), in);
  EXPECT_LT(packed.size(), 3 * in.size() + 16);
  EXPECT_TRUE(unpack_item_predictions(pack_item_predictions({}), 10).empty());
}

TEST(ItemPredictions, ConfidenceBytesCoverZeroToOneAndRefuseNaN) {
  EXPECT_EQ(confidence_byte(0.0f), 0);
  EXPECT_EQ(confidence_byte(1.0f), 255);
  EXPECT_EQ(confidence_byte(2.0f), 255);
  EXPECT_EQ(confidence_byte(-1.0f), 0);
  EXPECT_EQ(confidence_byte(std::numeric_limits<float>::quiet_NaN()), 0);
  EXPECT_NEAR(confidence_of(confidence_byte(0.9f)), 0.9f, 1.0f / 255);
}

TEST(ItemPredictions, OutOfOrderOrRepeatedItemsAreNotPacked) {
  EXPECT_THROW(pack_item_predictions({{5, 1, 1}, {5, 2, 2}}), std::invalid_argument);
  EXPECT_THROW(pack_item_predictions({{5, 1, 1}, {4, 2, 2}}), std::invalid_argument);
}

TEST(ItemPredictions, MalformedBytesAreRefused) {
  const auto packed = pack_item_predictions({{1, 2, 3}, {9, 4, 5}});
  auto cut = packed;
  cut.pop_back();
  EXPECT_THROW(unpack_item_predictions(cut, 100), std::invalid_argument) << "ends inside an item";
  auto extra = packed;
  extra.push_back(0);
  EXPECT_THROW(unpack_item_predictions(extra, 100), std::invalid_argument) << "stray bytes";
  EXPECT_THROW(unpack_item_predictions(packed, 1), wire::LengthError) << "more items than allowed";
  // A gap that takes the index past 32 bits.
  const std::vector<std::uint8_t> huge{1, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 1, 1};
  EXPECT_THROW(unpack_item_predictions(huge, 100), std::invalid_argument);
}

}  // namespace
}  // namespace lodestone
