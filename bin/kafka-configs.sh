#!/usr/bin/env bash
# Describes and alters topic, broker, user and client configs, SCRAM credentials and quotas.
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-configs "$@"
