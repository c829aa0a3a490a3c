#!/usr/bin/env bash
# Dumps Kafka log segments, indexes and snapshots: bin/kafka-dump-log.sh --files FILE[,FILE...] [--print-data-log]
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-dump-log "$@"
