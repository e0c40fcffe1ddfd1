#pragma once
#include "app/options.h"

namespace lodestone::vr {

// lodestone-vr --xr: the room in a headset through the active OpenXR runtime. Exit codes:
// 0 when the user or runtime ends the session, 1 on errors, 3 on Vulkan validation
// messages, 4 when no runtime / Vulkan support / headset is there (a message says which
// and suggests the desktop backend), 5 when the runtime is lost.
int run_xr(const Options& options);

}  // namespace lodestone::vr
