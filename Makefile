# Enigma's two commands (README): `make demo` and `make test`.
# Each installs what is missing (Debian packages, .venv, the package build)
# and is idempotent; the build dir under build/ persists, so a second run
# only rebuilds what changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := build/stamps

CLANG_FORMAT ?= clang-format-22

# macOS (docs/macos.md): LLVM/MLIR 22, clang and clang-format from Homebrew's
# keg-only llvm formula (scripts/install-system-deps.sh installs it), in place
# of Debian's clang-22 that pyproject.toml names.
ifeq ($(shell uname -s),Darwin)
LLVM_PREFIX ?= $(shell brew --prefix $${ENIGMA_LLVM_FORMULA:-llvm} 2>/dev/null)
export PATH := $(LLVM_PREFIX)/bin:$(PATH)
export CMAKE_PREFIX_PATH := $(LLVM_PREFIX)
export SKBUILD_CMAKE_DEFINE := CMAKE_C_COMPILER=$(LLVM_PREFIX)/bin/clang;CMAKE_CXX_COMPILER=$(LLVM_PREFIX)/bin/clang++
export ENIGMA_CLANG ?= $(LLVM_PREFIX)/bin/clang++
CLANG_FORMAT := $(LLVM_PREFIX)/bin/clang-format
endif

# Everything that feeds the C++ build (and so the installed extension).
CORE_SOURCES := $(shell find cpp cmake -type f 2>/dev/null) CMakeLists.txt pyproject.toml \
	$(shell find swift/EnigmaRuntime/Sources swift/EnigmaRuntime/include -type f 2>/dev/null) \
	swift/EnigmaRuntime/Package.swift

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
	$(CLANG_FORMAT) --dry-run --Werror $$(find cpp -name '*.cpp' -o -name '*.h')

format: $(STAMPS)/venv
	$(VENV)/bin/ruff format python tests benchmarks examples
	$(VENV)/bin/ruff check --fix python tests benchmarks examples
	$(CLANG_FORMAT) -i $$(find cpp -name '*.cpp' -o -name '*.h')

lit: build
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/lit -sv tests/lit

pytest: build
	$(VENV)/bin/pytest tests/python

# The Swift runtime (swift/EnigmaRuntime), where a Swift toolchain exists: the
# package build installs the release library; here its debug build and XCTest
# tests run, the end-to-end ones on a cpu-device kernel object that
# scripts/make-swift-test-fixtures.py compiles (ENIGMA_TEST_* variables), and
# on Linux the Metal device is type-checked against Apple's signatures.
SWIFT := $(or $(shell command -v swift 2>/dev/null),$(wildcard /opt/swift/usr/bin/swift))

swift-build: build
ifeq ($(SWIFT),)
	@echo "swift: no toolchain on this machine, swift/EnigmaRuntime not built or tested"
else
	fixtures="$$($(PY) scripts/make-swift-test-fixtures.py)" && \
	  $(SWIFT) build --package-path swift/EnigmaRuntime --scratch-path build/swift-dev && \
	  env $$fixtures $(SWIFT) test --package-path swift/EnigmaRuntime --scratch-path build/swift-dev && \
	  swift/EnigmaRuntime/Checks/typecheck-metal.sh $(dir $(SWIFT))swiftc
endif

test: build lint lit pytest swift-build

bench: build
	$(PY) benchmarks/compile_latency.py

clean:
	rm -rf build
