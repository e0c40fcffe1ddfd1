#pragma once
// The headless backend: joins the room, runs a script of camera moves and gestures
// through the interaction machine, and writes the PNGs the script asks for.
#include "app/options.h"

namespace lodestone::vr {

// Returns the process exit code; prints what went wrong to stderr.
int run_headless(const Options& options);

}  // namespace lodestone::vr
