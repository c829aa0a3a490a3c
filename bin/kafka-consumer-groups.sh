#!/usr/bin/env bash
# Lists, describes, resets the offsets of and deletes consumer groups, as Kafka's tool does.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-consumer-groups "$@"
