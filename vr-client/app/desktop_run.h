#pragma once
// The desktop backend: a window in which mouse and keyboard stand in for head and hands.
#include "app/options.h"

namespace lodestone::vr {

int run_desktop(const Options& options);

}  // namespace lodestone::vr
