#!/usr/bin/env bash
# Measures producer throughput and latency: bin/kafka-producer-perf-test.sh --help
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-producer-perf-test "$@"
