#!/usr/bin/env bash
# Runs one of kafka-ts's programs by name: bin/kafka-run-class.sh NAME [ARGS]... runs
# dist/src/cli/NAME.js. Every bin/ script goes through here, as Kafka's go through its
# kafka-run-class.sh. Builds first when the compiled output is missing or older than the sources.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:?usage: kafka-run-class.sh NAME [ARGS]...}"
shift
entry="$dir/dist/src/cli/$name.js"
# The build-info file doubles as the build stamp (tsc leaves it alone when no output changed).
built="$dir/dist/.tsbuildinfo"

if [ ! -f "$entry" ] || [ ! -f "$built" ] \
  || [ -n "$(find "$dir/src" "$dir/protocol" "$dir/tsconfig.json" -newer "$built" -print -quit)" ]; then
  if [ ! -x "$dir/node_modules/.bin/tsc" ]; then
    echo "$name: dependencies are not installed; run 'make build' in $dir" >&2
    exit 1
  fi
  (cd "$dir" && npx tsc -p "$dir") >&2
  touch "$built"
fi

exec node "$entry" "$@"
