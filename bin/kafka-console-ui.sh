#!/usr/bin/env bash
# Serves the web console for a cluster: bin/kafka-console-ui.sh --bootstrap-server HOST:PORT [--listen localhost:9021]
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" kafka-console-ui "$@"
