#pragma once
// LEB128 varints and zigzag signs, for the packed lists on the wire (item labels, item
// predictions). Internal to lodestone_shared.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace lodestone::varint {

inline void put(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

inline std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

inline std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Reads numbers and bytes from a packed list; `what` names the list in errors
// ("packed labels").
class Reader {
 public:
  Reader(const std::vector<std::uint8_t>& bytes, const char* what) : bytes_(bytes), what_(what) {}
  std::uint64_t number() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::invalid_argument(std::string(what_) + " hold a number longer than 64 bits");
  }
  std::uint8_t byte() {
    if (at_ == bytes_.size()) throw std::invalid_argument(std::string(what_) + " end inside a number");
    return bytes_[at_++];
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  const std::vector<std::uint8_t>& bytes_;
  const char* what_;
  std::size_t at_ = 0;
};

}  // namespace lodestone::varint
