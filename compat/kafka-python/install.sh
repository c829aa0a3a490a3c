#!/bin/bash
# kafka-python from Debian with the codec modules it loads when present. Idempotent.
set -euo pipefail
/usr/bin/python3 -c 'import kafka, snappy, lz4, zstandard, xxhash' 2>/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-kafka python3-snappy python3-lz4 python3-zstandard python3-xxhash >/dev/null
