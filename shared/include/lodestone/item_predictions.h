#pragma once
// The model's verdict per item on the wire: the predicted class (its position in the label
// set) and the confidence, a byte each. Sent in full when a client joins or the label set
// changes, then only the items whose verdict changed enough to be seen (room/prediction_board.h).
// Packed as a varint count, then per item the varint gap from the previous index (items
// ascending), the class byte and the confidence byte: three bytes an item for dense changes.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lodestone {

inline constexpr std::uint8_t kNoPrediction = 0xFF;  // class byte: the model has no verdict

struct ItemPrediction {
  std::uint32_t item_index = 0;
  std::uint8_t class_position = kNoPrediction;
  std::uint8_t confidence = 0;  // 0..255 for 0..1
  friend bool operator==(const ItemPrediction&, const ItemPrediction&) = default;
};

std::uint8_t confidence_byte(float confidence);
float confidence_of(std::uint8_t byte);

// `predictions` must be in ascending item order, each item once (std::invalid_argument otherwise).
std::vector<std::uint8_t> pack_item_predictions(const std::vector<ItemPrediction>& predictions);
// Throws wire::LengthError past `max_items` items and std::invalid_argument for bytes that
// are not a packed list (a number running off the end, an index past 32 bits or out of
// order, bytes left over).
std::vector<ItemPrediction> unpack_item_predictions(const std::vector<std::uint8_t>& bytes, std::size_t max_items);

}  // namespace lodestone
