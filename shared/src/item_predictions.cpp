#include "lodestone/item_predictions.h"

#include "lodestone/wire_bounds.h"
#include "varint.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace lodestone {

std::uint8_t confidence_byte(float confidence) {
  if (!std::isfinite(confidence)) return 0;
  return static_cast<std::uint8_t>(std::lround(std::clamp(confidence, 0.0f, 1.0f) * 255.0f));
}

float confidence_of(std::uint8_t byte) { return static_cast<float>(byte) / 255.0f; }

std::vector<std::uint8_t> pack_item_predictions(const std::vector<ItemPrediction>& predictions) {
  std::vector<std::uint8_t> out;
  out.reserve(2 + predictions.size() * 3);
  varint::put(out, predictions.size());
  std::int64_t previous = -1;
  for (const auto& p : predictions) {
    if (static_cast<std::int64_t>(p.item_index) <= previous) {
      throw std::invalid_argument("item predictions must name each item once, in ascending order");
    }
    varint::put(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(p.item_index) - previous - 1));
    out.push_back(p.class_position);
    out.push_back(p.confidence);
    previous = p.item_index;
  }
  return out;
}

std::vector<ItemPrediction> unpack_item_predictions(const std::vector<std::uint8_t>& bytes, std::size_t max_items) {
  varint::Reader in(bytes, "packed predictions");
  const std::uint64_t count = in.number();
  if (count > max_items) throw wire::LengthError("packed predictions hold more than " + std::to_string(max_items) + " items");
  std::vector<ItemPrediction> out;
  out.reserve(static_cast<std::size_t>(count));
  std::int64_t previous = -1;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t gap = in.number();
    if (gap > 0xFFFFFFFFull) throw std::invalid_argument("packed predictions name an index outside 32 bits");
    const std::int64_t index = previous + 1 + static_cast<std::int64_t>(gap);
    if (index > 0xFFFFFFFFll) throw std::invalid_argument("packed predictions name an index outside 32 bits");
    ItemPrediction p;
    p.item_index = static_cast<std::uint32_t>(index);
    p.class_position = in.byte();
    p.confidence = in.byte();
    out.push_back(p);
    previous = index;
  }
  if (!in.done()) throw std::invalid_argument("packed predictions are followed by stray bytes");
  return out;
}

}  // namespace lodestone
