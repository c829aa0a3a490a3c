#!/bin/bash
# kcat from Debian (librdkafka 2.0.2). Idempotent: does nothing when kcat is there.
set -euo pipefail
command -v kcat >/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends kcat >/dev/null
