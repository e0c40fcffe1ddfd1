#!/usr/bin/env bash
# Every test: installs what is missing, builds (release preset) and runs the whole suite,
# then every fuzz target briefly (LODESTONE_FUZZ_SECONDS each, default 15; 0 skips them),
# then tests under the address + undefined-behaviour sanitizers (LODESTONE_ASAN):
#   unit (default)  the suites without a server process — shared, store, client, export —
#                   each binary run whole, on the asan-unit preset (a few minutes)
#   all             every test but the quality bar through ctest, on the asan preset; under
#                   ASan every process that loads LibTorch takes ~10 s to start and the
#                   integration tests start many, so this adds about 40 minutes on two
#                   cores: for a nightly run, not for each change
#   0               none
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
case "${LODESTONE_ASAN:-unit}" in
  0) ;;
  unit)
    cmake --preset asan-unit >/dev/null
    suites=(shared_tests store_tests client_tests export_tests)
    cmake --build build/asan-unit -j "${LODESTONE_BUILD_JOBS:-$(nproc)}" --target "${suites[@]}"
    for suite in "${suites[@]}"; do
      echo "under ASan + UBSan: $suite"
      "build/asan-unit/tests/$suite" --gtest_brief=1
    done
    ;;
  all)
    "$root/deploy/build.sh" asan
    ctest --preset asan -LE quality -j "$(nproc)"
    ;;
  *) echo "LODESTONE_ASAN must be unit, all or 0" >&2; exit 2 ;;
esac
