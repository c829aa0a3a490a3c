#!/usr/bin/env bash
# Analyzes and recovers transactions: bin/kafka-transactions.sh --bootstrap-server HOST:PORT COMMAND [options]
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-transactions "$@"
