// lodestone-vr keeps thumbnails and clips under $XDG_CACHE_HOME (--cache-dir's default):
// a test binary that starts it gives it a folder of its own for the whole run, so tests
// never read or fill the user's cache and never see each other's leftovers by accident.
#include "temp_dir.h"

#include <cstdlib>

namespace {

struct PrivateCache {
  lodestone::testing::TempDir dir;
  PrivateCache() { setenv("XDG_CACHE_HOME", dir.path().c_str(), 1); }
};

const PrivateCache private_cache;

}  // namespace
