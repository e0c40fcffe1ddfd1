#!/usr/bin/env bash
# Every test: installs what is missing, builds, and runs
#   1. the whole suite but the learning-quality bar under the address + undefined-behaviour
#      sanitizers (asan preset: assertions on, -O1, leak checks, the real server, bots,
#      clients, console and OpenXR test runtime as processes);
#   2. the learning-quality bar on the optimised build (release preset): it trains for a
#      fixed time, so it only means something at full speed;
#   3. every fuzz target briefly.
# The release build is made first in any case: it is what deploy/run.sh runs.
#
#   deploy/test.sh [ctest options for step 1, e.g. -R Room]
#
# Environment:
#   LODESTONE_ASAN=0          step 1 on the release build instead (quicker, for iterating)
#   LODESTONE_QUALITY=0       leave out step 2 (about seven minutes; longer on a slower machine)
#   LODESTONE_FUZZ_SECONDS=N  seconds per fuzz target in step 3 (default 15; 0 skips it)
#   LODESTONE_BUILD_JOBS=N    parallel build jobs (default: the number of cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/deploy/setup.sh"

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "build: release"
"$root/deploy/build.sh" release

case "${LODESTONE_ASAN:-1}" in
  0)
    step "tests on the release build"
    ctest --preset release -LE quality -j "$(nproc)" "$@"
    ;;
  1 | all)
    step "build: asan"
    "$root/deploy/build.sh" asan
    step "tests under the address + undefined-behaviour sanitizers"
    ctest --preset asan -LE quality -j "$(nproc)" "$@"
    ;;
  *) echo "LODESTONE_ASAN must be 1 (the default) or 0" >&2; exit 2 ;;
esac

if [ "${LODESTONE_QUALITY:-1}" != 0 ]; then
  step "learning-quality bar (release build, alone on the machine)"
  ctest --preset release -L quality
fi

fuzz_seconds=${LODESTONE_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" != 0 ]; then
  step "fuzz targets, ${fuzz_seconds} s each"
  "$root/tests/fuzz/run.sh" "$fuzz_seconds"
fi
step "all tests passed"
