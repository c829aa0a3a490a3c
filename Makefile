# kafka-ts: `make run` starts a broker on localhost:9092, `make test` runs every test.

DEPS_STAMP := node_modules/.deps-stamp

.PHONY: deps build run test system-deps clean

deps: $(DEPS_STAMP)

# Reinstall only when node_modules is missing or the lock file changed.
$(DEPS_STAMP): package.json $(wildcard package-lock.json)
	@echo "==> installing npm dependencies"
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

build: deps
	@echo "==> compiling TypeScript"
	@npx tsc -p .

run: build
	bin/kafka-server-start.sh config/server.properties

test: build system-deps
	@echo "==> running tests"
	@npx jest --ci

# Debian packages the compatibility tests drive the broker with.
system-deps:
	@missing=""; \
	command -v kcat >/dev/null 2>&1 || missing="$$missing kcat"; \
	/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || missing="$$missing python3-kafka"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
		echo "error: missing Debian packages:$$missing" >&2; \
		echo "       install them with: sudo apt-get install$$missing" >&2; \
		exit 1; \
	fi; \
	echo "==> installing Debian packages:$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null

clean:
	rm -rf dist
