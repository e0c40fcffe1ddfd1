#pragma once
// Bounded containers for wire messages. cereal's own std::vector / std::string loaders
// resize to whatever length the wire claims; these refuse a length above a stated
// maximum before allocating anything, so no peer can make us allocate at will.
#include <cereal/cereal.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace lodestone::wire {

struct LengthError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A field the wire cannot hold the way it was written (an optional's presence byte other
// than 0 or 1).
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class T>
struct BoundedVector {
  std::vector<T>& values;
  std::size_t max_count;

  template <class Archive>
  void save(Archive& ar) const {
    if (values.size() > max_count) throw LengthError("sequence longer than its wire bound");
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(values.size())));
    if constexpr (std::is_arithmetic_v<T>) {
      ar(cereal::binary_data(values.data(), values.size() * sizeof(T)));
    } else {
      for (const T& v : values) ar(v);
    }
  }

  template <class Archive>
  void load(Archive& ar) {
    cereal::size_type count = 0;
    ar(cereal::make_size_tag(count));
    if (count > max_count) {
      throw LengthError("sequence of " + std::to_string(count) + " elements exceeds its bound of " +
                        std::to_string(max_count));
    }
    values.resize(static_cast<std::size_t>(count));
    if constexpr (std::is_arithmetic_v<T>) {
      ar(cereal::binary_data(values.data(), values.size() * sizeof(T)));
    } else {
      for (T& v : values) ar(v);
    }
  }
};

struct BoundedText {
  std::string& text;
  std::size_t max_bytes;

  template <class Archive>
  void save(Archive& ar) const {
    if (text.size() > max_bytes) throw LengthError("text longer than its wire bound");
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(text.size())));
    ar(cereal::binary_data(text.data(), text.size()));
  }

  template <class Archive>
  void load(Archive& ar) {
    cereal::size_type size = 0;
    ar(cereal::make_size_tag(size));
    if (size > max_bytes) {
      throw LengthError("text of " + std::to_string(size) + " bytes exceeds its bound of " +
                        std::to_string(max_bytes));
    }
    text.resize(static_cast<std::size_t>(size));
    ar(cereal::binary_data(text.data(), text.size()));
  }
};

// A list of short texts (names), each bounded as well as the count.
struct BoundedTextList {
  std::vector<std::string>& texts;
  std::size_t max_count;
  std::size_t max_bytes;

  template <class Archive>
  void save(Archive& ar) const {
    if (texts.size() > max_count) throw LengthError("list longer than its wire bound");
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(texts.size())));
    for (auto& text : texts) ar(BoundedText{text, max_bytes});
  }

  template <class Archive>
  void load(Archive& ar) {
    cereal::size_type count = 0;
    ar(cereal::make_size_tag(count));
    if (count > max_count) {
      throw LengthError("list of " + std::to_string(count) + " texts exceeds its bound of " +
                        std::to_string(max_count));
    }
    texts.resize(static_cast<std::size_t>(count));
    for (auto& text : texts) ar(BoundedText{text, max_bytes});
  }
};

// An optional field: one presence byte, 0 (absent) or 1 (present, the value follows).
// Any other byte is refused, so every value has exactly one encoding; the value itself
// bounds its own variable-length fields. (cereal/types/optional.hpp reads the presence
// as a bool and takes any non-zero byte for "absent", two encodings of one value.)
template <class T>
struct OptionalField {
  std::optional<T>& value;

  template <class Archive>
  void save(Archive& ar) const {
    const std::uint8_t present = value ? 1 : 0;
    ar(present);
    if (value) ar(*value);
  }

  template <class Archive>
  void load(Archive& ar) {
    std::uint8_t present = 0;
    ar(present);
    if (present > 1) {
      throw FormatError("optional field with presence byte " + std::to_string(present) + " (0 or 1 expected)");
    }
    if (present == 0) {
      value.reset();
      return;
    }
    value.emplace();
    ar(*value);
  }
};

template <class T>
BoundedVector<T> bounded(std::vector<T>& values, std::size_t max_count) {
  return {values, max_count};
}
inline BoundedText bounded(std::string& text, std::size_t max_bytes) { return {text, max_bytes}; }
inline BoundedTextList bounded(std::vector<std::string>& texts, std::size_t max_count, std::size_t max_bytes) {
  return {texts, max_count, max_bytes};
}
template <class T>
OptionalField<T> optional(std::optional<T>& value) {
  return {value};
}

// Bounds shared by several messages.
inline constexpr std::size_t kMaxNameBytes = 256;
inline constexpr std::size_t kMaxTextBytes = 4096;
inline constexpr std::size_t kMaxHistoryEntries = 256;  // annotations of one item in an ItemDetails
inline constexpr std::size_t kMaxTrainingPoints = 3600;  // an hour at one a second
inline constexpr std::size_t kMaxClasses = 1024;
inline constexpr std::size_t kMaxItemsPerMessage = 1u << 20;
inline constexpr std::size_t kMaxBlobBytes = 8u << 20;
// 30 s of 48 kHz mono in 16 bits is 2.9 MB; FLAC never makes it larger.
inline constexpr std::size_t kMaxClipBytes = 4u << 20;
// The largest Opus packet (RFC 6716): one voice frame never needs more.
inline constexpr std::size_t kMaxVoiceFrameBytes = 1275;

}  // namespace lodestone::wire
