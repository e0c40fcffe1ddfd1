#!/usr/bin/env bash
# Configures and builds one CMake preset (default: release). Used by run.sh and test.sh.
#   deploy/build.sh [PRESET]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
jobs=${LODESTONE_BUILD_JOBS:-$(nproc)}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
