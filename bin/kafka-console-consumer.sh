#!/usr/bin/env bash
# Prints a topic's records on standard output: bin/kafka-console-consumer.sh --help
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-console-consumer "$@"
