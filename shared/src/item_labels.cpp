#include "lodestone/item_labels.h"

#include "lodestone/wire_bounds.h"

#include <map>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

namespace lodestone {
namespace {

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

class Reader {
 public:
  explicit Reader(const std::vector<std::uint8_t>& bytes) : bytes_(bytes) {}
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == bytes_.size()) throw std::invalid_argument("packed labels end inside a number");
      const std::uint8_t b = bytes_[at_++];
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::invalid_argument("packed labels hold a number longer than 64 bits");
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::size_t at_ = 0;
};

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
  put_varint(out, runs.size());
  for (const auto& [key, indices] : runs) {
    put_varint(out, zigzag(key.first));
    put_varint(out, zigzag(key.second));
    put_varint(out, indices.size());
    std::int64_t previous = 0;
    for (const auto index : indices) {
      put_varint(out, zigzag(static_cast<std::int64_t>(index) - previous));
      previous = index;
    }
  }
  return out;
}

std::vector<ItemLabel> unpack_item_labels(const std::vector<std::uint8_t>& bytes, std::size_t max_items) {
  Reader in(bytes);
  std::vector<ItemLabel> labels;
  const std::uint64_t runs = in.varint();
  for (std::uint64_t r = 0; r < runs; ++r) {
    const ClassId class_id = unzigzag(in.varint());
    const UserId annotator = unzigzag(in.varint());
    const std::uint64_t count = in.varint();
    if (count > max_items - labels.size()) {
      throw wire::LengthError("packed labels hold more than " + std::to_string(max_items) + " items");
    }
    std::int64_t index = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::int64_t delta = unzigzag(in.varint());
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
