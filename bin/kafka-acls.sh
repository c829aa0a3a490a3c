#!/usr/bin/env bash
# Adds, removes and lists ACLs, as Kafka's tool does.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-acls "$@"
