#!/usr/bin/env bash
# Every test: installs what is missing, builds (release preset) and runs the whole suite.
#   deploy/test.sh [ctest options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/setup.sh"
"$root/deploy/build.sh" release
cd "$root"
ctest --preset release -j "$(nproc)" "$@"
