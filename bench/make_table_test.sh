#!/usr/bin/env bash
# Checks the table generator on sample figures (bench/sample-results) and that
# bench/run-all --dry-run plans every benchmark. Runs no benchmark.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$bench"/sample-results/* "$work"/
"$bench"/make_table.py "$work" >"$work/table.txt"
expect() { grep -q -- "$1" "$2" || { echo "missing in $2: $1"; cat "$2"; exit 1; }; }
md=$work/PERFORMANCE-table.md
expect '| codec | keyframe encode, 70k | 0.350 ms | < 5 ms | met |' "$md"
expect '| codec | sphere membership, 70k | 1200 µs | < 1 ms | not met |' "$md"
expect '8000 vs 3000 = 2.67× | ≥ 1.5× | met |' "$md"
expect '1.000 s = 1.75× floor 0.570 s | ≤ 1.5× floor | not met |' "$md"
expect 'unlabelled 0.750; room 5-NN 0.720 vs pixel 5-NN 0.700 | ≥ 0.92; room ≥ 0.90 | not met; not met |' "$md"
expect '| labelling loop | 2 bots, 240 s: model on the unlabelled rest vs pixel 5-NN, same labels | 0.900 vs 0.790 | ≥ pixel + 0.10 | met |' "$md"
expect '| labelling loop | 2 bots, 240 s: whole dataset (manual labels + predictions) | 0.940 | ≥ 0.95 | not met |' "$md"
expect '| reviewer loop | 2 reviewer bots, 240 s: gestures until the whole dataset was 0.95 right | 180 | ≤ 200 | met |' "$md"
expect '| room | 1 client, 10k points: bytes/s per client | 360000 (60.0% of raw) | < 40% of raw | not met |' "$md"
expect '| room | 16 clients, 70k points | not measured: client 3 did not join within 120 s |' "$md"
expect '| room | 1 client, 100k points: label → labelled items seen moving at the client (p50 / p90; labels seen) | 420 / 900 ms; 16 of 16 | ≤ 300 ms (p50) | not met |' "$md"
expect '| training group | rank 0 + 1 worker, 1 thread each, batch 256 in all: steps/s | 28.24 (1.28× 1 rank, 1 thread); 2.99 MB of tensors a step | (two cores: no speed-up expected) |' "$md"
expect '| client | CPU per frame, 70k items' "$md"
expect '| million | 1 client, 1M points: first frame after connecting (bytes received before it) | 3.40 s (9.8 MB) | ≤ 3 s | not met |' "$md"
expect '| million | 1 client, 1M points: server resident memory, peak | 4.8 GB | ≤ 6 GB | met |' "$md"
expect 'not measured' "$work/table.txt"
"$bench"/run-all --dry-run >"$work/plan.txt"
for program in codec_bench learning_bench label_efficiency_bench room_bench loop_bench client_frame_bench group_bench make_table.py; do
  expect "$program" "$work/plan.txt"
done
expect '10.0 + 5.0 (+ 6.5) = 21.5 min | < 30 min | met |' "$md"
echo "table generator and plan: ok"
