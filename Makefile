# Thin wrapper over CMake; see README.md. Every target installs dependencies first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-quick demo demo-indirect bench fuzz lint format clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt:
	@scripts/deps.sh
	cmake -S . -B $(BUILD) -DCMAKE_C_COMPILER=clang $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	MAKEFLAGS= MAKELEVEL= cmake --build $(BUILD) -j $(JOBS)

# Everything: unit tests, their ASan+UBSan copies, conformance suites and short fuzz runs.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Just the plain unit tests.
test-quick: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L quick

demo: build
	@scripts/demo.sh $(BUILD)

# The off-chain worker: shield, indirect transfer, unshield, with readable output.
demo-indirect: build
	@scripts/demo_indirect.sh $(BUILD)

bench: build
	@scripts/bench.sh $(BUILD)

# Longer fuzzing than ctest's: FUZZ_SECONDS per target (default 300).
fuzz: build
	@for t in $(BUILD)/tests/fuzz_*; do \
	  n=$$(basename $$t); scripts/run-fuzz.sh $$t tests/fuzz/corpus/$$n $${FUZZ_SECONDS:-300} || exit 1; \
	done

lint:
	@scripts/lint.sh

format:
	@clang-format -i $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')

clean:
	rm -rf $(BUILD)
