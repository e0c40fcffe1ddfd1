#!/usr/bin/env bash
# Every test: installs what is missing, builds (release preset) and runs the whole suite,
# then every fuzz target briefly (LODESTONE_FUZZ_SECONDS each, default 15; 0 skips them).
#   deploy/test.sh [ctest options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/setup.sh"
"$root/deploy/build.sh" release
cd "$root"
ctest --preset release -j "$(nproc)" "$@"
fuzz_seconds=${LODESTONE_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" != 0 ]; then
  "$root/tests/fuzz/run.sh" "$fuzz_seconds"
fi
