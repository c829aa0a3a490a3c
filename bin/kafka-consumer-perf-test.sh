#!/usr/bin/env bash
# Measures consumer throughput: bin/kafka-consumer-perf-test.sh --help
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-consumer-perf-test "$@"
