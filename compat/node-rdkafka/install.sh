#!/bin/bash
# node-rdkafka is a devDependency whose install script (allowed in package.json's allowScripts)
# compiles its bundled librdkafka. librdkafka's configure enables zstd only when libzstd-dev is
# there, so a build without it is redone once that package is in. Idempotent.
set -euo pipefail
has_zstd() { node -e "process.exit(require('node-rdkafka').features.includes('zstd') ? 0 : 1)" 2>/dev/null; }
has_zstd && exit 0
if ! dpkg -s libzstd-dev >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libzstd-dev >/dev/null
fi
echo "building node-rdkafka (its bundled librdkafka takes a few minutes)"
npm rebuild node-rdkafka --foreground-scripts >/dev/null
has_zstd
