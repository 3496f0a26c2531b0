# Convenience targets; each is one plain command you can also type yourself.
PREFIX ?= $(HOME)/.local
SWIFT ?= swift
# A static executable on Linux: no shared Swift runtime to load, so it starts in about a millisecond.
STATIC := $(if $(filter Linux,$(shell uname -s)),-Xswiftc -static-executable,)

.PHONY: build install test lint bench dist clean

build:
	bash .ci/dist/quiet-link $(SWIFT) build -c release $(STATIC)

# The binary, man page, completions and hooks under PREFIX, laid out as in the release archive.
install: build
	bash .ci/dist/build --bin .build/release/conductor-profile --prefix "$(PREFIX)"

# The whole suite (the README's test command; .ci/run runs it with CI=true), then the switch's
# instruction budget on the release binary (bench/budget: callgrind counts, the same on every run).
# .ci/test keeps the output in .build/test-output.txt and ends a failed run with the failing tests' file:line.
test:
	SWIFT="$(SWIFT)" bash .ci/test
	bash bench/budget

lint:
	$(SWIFT) format lint --strict -r Package.swift Sources Tests
	shellcheck -s bash shell/*.bash
	shellcheck -x -s bash .ci/run .ci/dist/build .ci/dist/check .ci/dist/quiet-link .ci/test .ci/test-summary

# The release archive and the .deb, in .build/dist/ (.ci/dist/build; .ci/dist/check tries the .deb).
dist:
	bash .ci/dist/build

bench: build
	bash bench/run

clean:
	rm -rf .build
