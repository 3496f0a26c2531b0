# Convenience targets; each is one plain command you can also type yourself.
PREFIX ?= $(HOME)/.local
SWIFT ?= swift
# A static executable on Linux: no shared Swift runtime to load, so it starts in about a millisecond.
STATIC := $(if $(filter Linux,$(shell uname -s)),-Xswiftc -static-executable,)

.PHONY: build install test lint bench dist clean

build:
	$(SWIFT) build -c release $(STATIC)

install: build
	install -d "$(PREFIX)/bin"
	install -m 0755 .build/release/conductor-profile "$(PREFIX)/bin/conductor-profile"

# The whole suite (the README's test command; .ci/run runs it with CI=true).
test:
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict -r Sources Tests
	shellcheck -s bash shell/*.bash

# The release archive and the .deb, in .build/dist/ (.ci/dist/build; .ci/dist/check tries the .deb).
dist:
	bash .ci/dist/build

bench: build
	bash bench/run

clean:
	rm -rf .build
