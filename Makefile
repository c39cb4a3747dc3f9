# runwatch's front door. Two commands set everything up on a fresh machine:
#   make lab    build, install and start JupyterLab with a live demo run
#   make test   build, then lint, jest, pytest, the wheel check and the Galata browser suite

SHELL := /bin/bash
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
export PATH := $(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
PORT ?= 8888

.PHONY: lab test build lint jest pytest wheel-check galata chromium clean bench

$(VENV)/.installed: requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Always rebuild the TypeScript: the wheel's build hook skips npm when a
# labextension already exists, so a stale one would otherwise ship.
build: $(VENV)/.installed node_modules/.installed
	npm run build:prod
	$(PY) -m pip install --quiet --no-build-isolation --no-deps --force-reinstall .
	jupyter labextension list 2>&1 | grep -q 'runwatch.*enabled.*OK'
	jupyter server extension list 2>&1 | grep -q 'runwatch 0.*OK'

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: node_modules/.installed $(VENV)/.installed
	npm run lint:check
	tsc --noEmit -p tsconfig.test.json
	tsc --noEmit -p ui-tests/tsconfig.json
	ruff check runwatch bench ui-tests demo
	ruff format --check runwatch bench ui-tests demo

jest: node_modules/.installed
	npx jest

pytest: build
	$(PY) -m pytest -q runwatch/tests

galata: build chromium
	cd ui-tests && npx playwright test

# The built wheel, installed into a fresh venv without Node or the source tree
# (see docs/release.md).
wheel-check: build
	BUILD_PYTHON=$(PY) .ci/wheel_check.sh

test: build chromium lint jest pytest wheel-check galata

# Benchmarks print figures; they assert nothing (see bench/README.md).
bench: build chromium
	tsc -p bench/tsconfig.json
	node bench/.build/bench/decode_bench.js
	node bench/.build/bench/aggregate_bench.js
	$(PY) bench/writer_bench.py
	$(PY) bench/resolve_bench.py
	$(PY) bench/server_idle_bench.py
	$(PY) bench/lod_bench.py
	$(PY) bench/listing_bench.py
	$(PY) bench/socket_stall_bench.py
	node bench/latency_bench.js
	node bench/view_pause_bench.js
	node bench/review_bench.js
	node bench/shaping_proxy_bench.js
	node bench/remote_review_bench.js
	node bench/remote_review_bench.js --glob --reps 1
	node bench/remote_review_bench.js --glob --ahead --reps 1
	node bench/zoom_under_load_bench.js
	node bench/tensorboard_bench.js
	node bench/zoom_bench.js
	$(PY) bench/lifecycle_bench.py
	$(PY) bench/magic_bench.py

lab: build
	./demo/start.sh $(PORT)

clean:
	npm run clean:all || true
	rm -rf $(VENV) node_modules ui-tests/test-results
