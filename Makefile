# Enigma's two commands (README): `make demo` and `make test`.
# Each installs what is missing (Debian packages, .venv, the package build)
# and is idempotent; the build dir under build/ persists, so a second run
# only rebuilds what changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := build/stamps

# Everything that feeds the C++ build (and so the installed extension).
CORE_SOURCES := $(shell find cpp cmake -type f 2>/dev/null) CMakeLists.txt pyproject.toml

.PHONY: all demo test build lint format lit pytest swift-build bench clean

all: build

$(STAMPS)/system-deps: scripts/install-system-deps.sh
	@mkdir -p $(STAMPS)
	bash scripts/install-system-deps.sh
	@touch $@

$(STAMPS)/venv: requirements-dev.txt | $(STAMPS)/system-deps
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.txt
	# pycute (pure Python, in the CUTLASS wheel): the layout algebra's reference in tests.
	$(PY) -m pip install -q --no-deps nvidia-cutlass==4.2.0.0
	@touch $@

$(STAMPS)/build: $(STAMPS)/system-deps $(STAMPS)/venv $(CORE_SOURCES)
	$(PY) -m pip install -q --no-build-isolation --no-deps -e .
	@touch $@

build: $(STAMPS)/build

demo: build
	$(PY) examples/demo.py

lint: $(STAMPS)/venv
	$(VENV)/bin/ruff check python tests benchmarks examples
	$(VENV)/bin/ruff format --check python tests benchmarks examples
	clang-format-22 --dry-run --Werror $$(find cpp -name '*.cpp' -o -name '*.h')

format: $(STAMPS)/venv
	$(VENV)/bin/ruff format python tests benchmarks examples
	$(VENV)/bin/ruff check --fix python tests benchmarks examples
	clang-format-22 -i $$(find cpp -name '*.cpp' -o -name '*.h')

lit: build
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/lit -sv tests/lit

pytest: build
	$(VENV)/bin/pytest tests/python

# The Swift runtime is a placeholder until issue 5: build it where Swift exists.
swift-build:
	@if command -v swift >/dev/null 2>&1 || [ -x /opt/swift/usr/bin/swift ]; then \
	  PATH="/opt/swift/usr/bin:$$PATH" swift build --package-path swift/EnigmaRuntime; \
	else echo "swift: no toolchain on this machine, swift/EnigmaRuntime not built"; fi

test: build lint lit pytest swift-build

bench: build
	$(PY) benchmarks/compile_latency.py

clean:
	rm -rf build
