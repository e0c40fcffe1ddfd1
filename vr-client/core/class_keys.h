#pragma once
// Which number key picks which class. A class named by a single digit is picked by that
// digit's key (on the digits, `4` labels "4", not the fifth class); the other classes keep
// their positions, 1–9 for the first nine and 0 for the tenth, where no class's name
// claims that digit.
#include "lodestone/messages.h"

namespace lodestone::client {

// The position of the class `digit` ('0'–'9') picks, or -1 when it picks none.
int class_for_key(char digit, const LabelSet& set);

// The digit that picks the class at `position`, or 0 when no key does.
char key_for_class(std::size_t position, const LabelSet& set);

}  // namespace lodestone::client
