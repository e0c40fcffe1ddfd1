#include "core/class_keys.h"

namespace lodestone::client {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The position a class named `digit` holds, or -1.
int named(char digit, const LabelSet& set) {
  for (std::size_t i = 0; i < set.classes.size(); ++i) {
    if (set.classes[i].name.size() == 1 && set.classes[i].name[0] == digit) return static_cast<int>(i);
  }
  return -1;
}

// The digit that picks `position` by position: 1–9, then 0 for the tenth.
char positional(std::size_t position) {
  if (position >= 10) return 0;
  return static_cast<char>('0' + (position + 1) % 10);
}

}  // namespace

int class_for_key(char digit, const LabelSet& set) {
  if (!is_digit(digit)) return -1;
  if (const int by_name = named(digit, set); by_name >= 0) return by_name;
  const int position = digit == '0' ? 9 : digit - '1';
  if (static_cast<std::size_t>(position) >= set.classes.size()) return -1;
  // A class whose own name is a digit answers only to that digit.
  const auto& name = set.classes[static_cast<std::size_t>(position)].name;
  if (name.size() == 1 && is_digit(name[0])) return -1;
  return position;
}

char key_for_class(std::size_t position, const LabelSet& set) {
  if (position >= set.classes.size()) return 0;
  const auto& name = set.classes[position].name;
  if (name.size() == 1 && is_digit(name[0])) return name[0];
  const char digit = positional(position);
  return digit != 0 && class_for_key(digit, set) == static_cast<int>(position) ? digit : 0;
}

}  // namespace lodestone::client
