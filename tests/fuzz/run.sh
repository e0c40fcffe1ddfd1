#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, address + undefined sanitizers) and runs each one:
# first over its regression inputs (every crash ever found, tests/fuzz/regressions/<target>),
# then fuzzing from its seed corpus (tests/fuzz/corpus/<target>) for the given time.
#   tests/fuzz/run.sh [seconds per target, default 20] [target ...]
# CI runs it briefly; for a long run give hours, e.g. tests/fuzz/run.sh 3600.
# A crash leaves its input in build/fuzz/artifacts/<target>/ and fails the run: minimise it
# (fuzz_<target> -minimize_crash=1 <file>), fix the bug, and add it to regressions/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(envelope messages point_codec idx image audio clip voice)
build="$root/build/fuzz"

cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "$(nproc)"

# Learned inputs stay out of the repository: each run fuzzes a copy of the seeds.
failed=0
for target in "${targets[@]}"; do
  binary="$build/fuzz_$target"
  artifacts="$build/artifacts/$target"
  work="$build/corpus/$target"
  mkdir -p "$artifacts" "$work"
  options=(-rss_limit_mb=2048 -timeout=10 -artifact_prefix="$artifacts/")
  regressions="$root/tests/fuzz/regressions/$target"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    if ! "$binary" "${options[@]}" "$regressions"/* >"$build/$target.regressions.log" 2>&1; then
      echo "fuzz_$target: a regression input fails again; see $build/$target.regressions.log"
      failed=1
      continue
    fi
  fi
  if "$binary" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      "$work" "$root/tests/fuzz/corpus/$target" >"$build/$target.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/$target.log" | grep -o '[0-9]*$' || true)
    echo "fuzz_$target: ${seconds}s, ${runs:-?} inputs, no crash"
  else
    echo "fuzz_$target: CRASH, input in $artifacts; log $build/$target.log"
    grep -E 'SUMMARY|ERROR' "$build/$target.log" | head -5 || true
    failed=1
  fi
done
exit $failed
