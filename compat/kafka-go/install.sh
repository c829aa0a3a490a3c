#!/bin/bash
# kafka-go from Debian's Go packages, built once in GOPATH mode into compat/.cache and rebuilt only
# when the Go sources differ from those it was built from (edited, added or removed files).
# Idempotent; run from the repository root.
set -euo pipefail
bin=compat/.cache/kafka-go-compat
src=/usr/share/gocode/src/github.com/segmentio/kafka-go
if ! command -v go >/dev/null || [ ! -d "$src" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends golang-go golang-github-segmentio-kafka-go-dev >/dev/null
fi
sources=$(sha256sum compat/kafka-go/*.go)
if [ -x "$bin" ] && [ "$(cat "$bin.sources" 2>/dev/null)" = "$sources" ]; then exit 0; fi
mkdir -p compat/.cache
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/compat/.cache/go-build" go build -o "$bin" ./compat/kafka-go
echo "$sources" >"$bin.sources"
