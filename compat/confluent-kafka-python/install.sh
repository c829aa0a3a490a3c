#!/bin/bash
# confluent-kafka-python from Debian (built on Debian's librdkafka 2.0.2). Idempotent.
set -euo pipefail
/usr/bin/python3 -c 'import confluent_kafka' 2>/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-confluent-kafka >/dev/null
