# Convenience targets; each is one plain command you can also type yourself.
PREFIX ?= $(HOME)/.local
SWIFT ?= swift
# A static executable on Linux: no shared Swift runtime to load, so it starts in about a millisecond.
STATIC := $(if $(filter Linux,$(shell uname -s)),-Xswiftc -static-executable,)

.PHONY: build install test lint bench clean

build:
	$(SWIFT) build -c release $(STATIC)

install: build
	install -d "$(PREFIX)/bin"
	install -m 0755 .build/release/conductor-profile "$(PREFIX)/bin/conductor-profile"

test:
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict -r Sources Tests
	shellcheck -s bash shell/*.bash

bench: build
	bash bench/run

clean:
	rm -rf .build
