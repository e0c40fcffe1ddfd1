#pragma once
// Item labels on the wire. A label of 5,000 items by one annotator used to cost 20 bytes
// an item (index, class, annotator), sent to every client in the room before the
// acknowledgement; packed, it costs one or two. The packed form is a list of runs of
// items sharing class and annotator, each index a zigzag varint of its difference from
// the previous one. When every index appears once (one intent's changes, the full set on
// join) order carries no meaning, and items are grouped by (class, annotator) in the order
// each pair first appears; otherwise runs are consecutive and keep the order.
#include "lodestone/types.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lodestone {

// Items are named on the wire by their index in the dataset (the order of the snapshot's
// points and of the thumbnails).
struct ItemLabel {
  std::uint32_t item_index = 0;
  ClassId class_id = kNoClass;  // kNoClass: the label was erased
  UserId annotator_id = 0;
  friend bool operator==(const ItemLabel&, const ItemLabel&) = default;
};

std::vector<std::uint8_t> pack_item_labels(const std::vector<ItemLabel>& labels);
// Throws wire::LengthError for more than `max_items` items and std::invalid_argument for
// bytes that are not a packed list (a varint running off the end or past 64 bits, an
// index outside 32 bits, bytes left over).
std::vector<ItemLabel> unpack_item_labels(const std::vector<std::uint8_t>& bytes, std::size_t max_items);

}  // namespace lodestone
