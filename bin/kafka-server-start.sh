#!/usr/bin/env bash
# Starts a kafka-ts broker: bin/kafka-server-start.sh CONFIG [--override key=value]...
# Builds first when the compiled output is missing or older than the sources.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
entry="$dir/dist/src/cli/kafka-server-start.js"
# The build-info file doubles as the build stamp (tsc leaves it alone when no output changed).
built="$dir/dist/.tsbuildinfo"

if [ ! -f "$entry" ] || [ ! -f "$built" ] \
  || [ -n "$(find "$dir/src" "$dir/protocol" "$dir/tsconfig.json" -newer "$built" -print -quit)" ]; then
  if [ ! -x "$dir/node_modules/.bin/tsc" ]; then
    echo "kafka-server-start: dependencies are not installed; run 'make build' in $dir" >&2
    exit 1
  fi
  (cd "$dir" && npx tsc -p "$dir") >&2
  touch "$built"
fi

exec node "$entry" "$@"
