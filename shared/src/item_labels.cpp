#include "lodestone/item_labels.h"

#include "lodestone/wire_bounds.h"
#include "varint.h"

#include <map>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

namespace lodestone {
namespace {

using Key = std::pair<ClassId, UserId>;

// Runs of labels sharing a key, in the order they go on the wire.
std::vector<std::pair<Key, std::vector<std::uint32_t>>> runs_of(const std::vector<ItemLabel>& labels) {
  std::vector<std::pair<Key, std::vector<std::uint32_t>>> runs;
  std::unordered_set<std::uint32_t> seen;
  bool unique = true;
  for (const auto& l : labels) unique = unique && seen.insert(l.item_index).second;
  if (unique) {
    std::map<Key, std::size_t> run_of;
    for (const auto& l : labels) {
      const Key key{l.class_id, l.annotator_id};
      auto [at, added] = run_of.emplace(key, runs.size());
      if (added) runs.push_back({key, {}});
      runs[at->second].second.push_back(l.item_index);
    }
  } else {
    for (const auto& l : labels) {
      const Key key{l.class_id, l.annotator_id};
      if (runs.empty() || runs.back().first != key) runs.push_back({key, {}});
      runs.back().second.push_back(l.item_index);
    }
  }
  return runs;
}

}  // namespace

std::vector<std::uint8_t> pack_item_labels(const std::vector<ItemLabel>& labels) {
  std::vector<std::uint8_t> out;
  const auto runs = runs_of(labels);
  varint::put(out, runs.size());
  for (const auto& [key, indices] : runs) {
    varint::put(out, varint::zigzag(key.first));
    varint::put(out, varint::zigzag(key.second));
    varint::put(out, indices.size());
    std::int64_t previous = 0;
    for (const auto index : indices) {
      varint::put(out, varint::zigzag(static_cast<std::int64_t>(index) - previous));
      previous = index;
    }
  }
  return out;
}

std::vector<ItemLabel> unpack_item_labels(const std::vector<std::uint8_t>& bytes, std::size_t max_items) {
  varint::Reader in(bytes, "packed labels");
  std::vector<ItemLabel> labels;
  const std::uint64_t runs = in.number();
  for (std::uint64_t r = 0; r < runs; ++r) {
    const ClassId class_id = varint::unzigzag(in.number());
    const UserId annotator = varint::unzigzag(in.number());
    const std::uint64_t count = in.number();
    if (count > max_items - labels.size()) {
      throw wire::LengthError("packed labels hold more than " + std::to_string(max_items) + " items");
    }
    std::int64_t index = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::int64_t delta = varint::unzigzag(in.number());
      if (delta > 0xFFFFFFFFll || delta < -0xFFFFFFFFll) throw std::invalid_argument("packed labels name an index outside 32 bits");
      index += delta;
      if (index < 0 || index > 0xFFFFFFFFll) throw std::invalid_argument("packed labels name an index outside 32 bits");
      labels.push_back({static_cast<std::uint32_t>(index), class_id, annotator});
    }
  }
  if (!in.done()) throw std::invalid_argument("packed labels are followed by stray bytes");
  return labels;
}

}  // namespace lodestone
