# kafka-ts: `make run` starts a broker on localhost:9092, `make test` runs every test.

DEPS_STAMP := node_modules/.deps-stamp

.PHONY: deps build run test system-deps clean check-cycles

deps: $(DEPS_STAMP)

# Reinstall only when node_modules is missing or the lock file changed.
$(DEPS_STAMP): package.json $(wildcard package-lock.json)
	@echo "==> installing npm dependencies"
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	@touch $@

build: deps
	@echo "==> compiling TypeScript"
	@npx tsc -p .
	@echo "==> building the console"
	@npx vite build --config console-ui/vite.config.mjs --logLevel warn

run: build
	bin/kafka-server-start.sh config/server.properties

test: build system-deps check-cycles mock-broker
	@echo "==> running tests"
	@npx jest --ci && $(MAKE) --no-print-directory compat

# No import cycles in src/ and protocol/, type-only imports included (docs/architecture.md).
check-cycles: deps
	@echo "==> checking for import cycles"
	@npx madge --circular --no-spinner --extensions ts --ts-config tsconfig.json src protocol

# Debian packages the tests need: kcat and python3-kafka drive the broker in the compatibility
# tests; zookeeper (with its Java runtime) is the real ZooKeeper that ZooKeeper-mode tests run;
# librdkafka-dev (with cc and pkg-config) builds librdkafka's mock cluster, the other broker the
# command-line tools are tested against; chromium is the headless browser the console's
# end-to-end tests drive through playwright-core.
system-deps:
	@missing=""; \
	command -v kcat >/dev/null 2>&1 || missing="$$missing kcat"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v cc >/dev/null 2>&1 || missing="$$missing gcc"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists rdkafka 2>/dev/null || missing="$$missing librdkafka-dev"; \
	/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || missing="$$missing python3-kafka"; \
	[ -f /usr/share/java/zookeeper.jar ] && command -v java >/dev/null 2>&1 || missing="$$missing zookeeper"; \
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

# Benchmarks against baselines; see bench/README.md. Not tests: `make test` never depends on timings.
# BENCH_SIZE=quick (default, a few minutes) or full. A baseline that cannot be built prints "n/a".
BENCH_SIZE ?= quick
RDKAFKA_MOCK := dist/bench/servers/rdkafka-mock

.PHONY: bench mock-broker
bench: build
	@missing=""; \
	command -v kcat >/dev/null 2>&1 || missing="$$missing kcat"; \
	command -v cc >/dev/null 2>&1 || missing="$$missing gcc"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists rdkafka 2>/dev/null || missing="$$missing librdkafka-dev"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -eq 0 ]; then \
			echo "==> installing Debian packages:$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null || true; \
		else \
			echo "warning: missing Debian packages:$$missing (sudo apt-get install$$missing); their baselines print n/a" >&2; \
		fi; \
	fi
	@$(MAKE) --no-print-directory bench-mock
	@echo "==> running benchmarks ($(BENCH_SIZE))"
	@BENCH_SIZE=$(BENCH_SIZE) node dist/bench/main.js

# librdkafka's mock cluster (bench/servers/rdkafka-mock.c): a baseline of the bench, and the other
# broker the tools' tests run against. The bench tolerates its absence (the reason goes to
# rdkafka-mock.unavailable and the baseline prints n/a); the tests do not.
$(RDKAFKA_MOCK): bench/servers/rdkafka-mock.c
	@echo "==> building the C mock broker"
	@mkdir -p $(dir $@)
	@cc -O2 -o $@ $< $$(pkg-config --cflags --libs rdkafka)

mock-broker: system-deps $(RDKAFKA_MOCK)

.PHONY: bench-mock
bench-mock:
	@rm -f $(RDKAFKA_MOCK).unavailable; \
	if ! out=$$($(MAKE) --no-print-directory $(RDKAFKA_MOCK) 2>&1); then \
		echo "$$out" > $(RDKAFKA_MOCK).unavailable; \
		echo "warning: C mock unavailable: $$(head -c 300 $(RDKAFKA_MOCK).unavailable)" >&2; \
	fi

# Real clients against a kafka-ts broker, then against a three-broker cluster; see compat/README.md.
# BOOTSTRAP=host:port runs the standalone scenarios against that broker instead, starts nothing and
# skips the cluster pass; CLIENTS=a,b runs only those.
.PHONY: compat
compat: build
	@node dist/compat/main.js $(if $(BOOTSTRAP),--bootstrap $(BOOTSTRAP)) $(if $(CLIENTS),--clients $(CLIENTS))
