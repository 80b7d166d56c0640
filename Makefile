# hbgo — drop-in replacement for Linux-HA Heartbeat 3.0.6.
GO      ?= go
BIN     := $(CURDIR)/bin
PREFIX  ?= /usr
DESTDIR ?=
FUZZTIME ?= 10s
# Every main package in the module becomes a binary in ./bin.
MAINS = $(shell $(GO) list -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./...)

.PHONY: all build test unit lint fuzz bench demo install deb clean tidy

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ $(MAINS)

# The whole suite CI runs: lint, unit tests with the race detector, then the
# integration tests (network namespaces, the real Heartbeat 3.0.6 as a peer),
# which skip themselves with a message when not root or a tool is missing.
# The namespace clusters measure failover and detection times: they run
# one package at a time after the rest, so CPU-heavy unit tests do not
# skew their timings.
TIMED = hbgo/tests/cluster hbgo/tests/interop hbgo/tests/crm
test: build lint
	HBGO_BIN=$(BIN) $(GO) test -race -count=1 -timeout 40m $(filter-out $(TIMED),$(shell $(GO) list ./...))
	HBGO_BIN=$(BIN) $(GO) test -count=1 -p 1 -timeout 30m $(TIMED)

unit:
	$(GO) test -count=1 -short ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Each fuzz target runs for FUZZTIME (short in CI; make fuzz FUZZTIME=60s for the full budget).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@for s in tests/bench/*.sh; do [ -x "$$s" ] && echo "== $$s" && "$$s" || true; done

demo: build
	@if [ -x examples/demo.sh ]; then BIN=$(BIN) examples/demo.sh; else \
	  for d in examples/*/; do echo "== $$d"; $(BIN)/heartbeat --check --config-dir $$d --node-name $$(awk '$$1=="node"{print $$2; exit}' $$d/ha.cf) || exit 1; done; fi

# The layout of Debian's heartbeat package, so init scripts, monitoring and
# habits keep working; tools that Heartbeat did not ship go to /usr/lib/hbgo/bin.
HBPATHS = heartbeat:/usr/libexec/heartbeat/heartbeat cl_status:/usr/bin/cl_status \
	hb_standby:/usr/share/heartbeat/hb_standby hb_takeover:/usr/share/heartbeat/hb_takeover
install: build
	@set -e; for b in $(BIN)/*; do n=$$(basename $$b); dest=$(PREFIX)/lib/hbgo/bin/$$n; \
	  for m in $(HBPATHS); do [ "$${m%%:*}" = "$$n" ] && dest=$${m#*:}; done; \
	  install -D -m 0755 $$b $(DESTDIR)$$dest; echo "installed $$dest"; done
	install -D -m 0755 contrib/init.d/heartbeat $(DESTDIR)/etc/init.d/heartbeat
	install -D -m 0644 contrib/systemd/heartbeat.service $(DESTDIR)/lib/systemd/system/heartbeat.service
	install -d -m 0755 $(DESTDIR)/etc/ha.d/resource.d $(DESTDIR)/var/lib/heartbeat
	install -d -m 0750 $(DESTDIR)/var/run/heartbeat
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/hbgo/README.md
	cp -r examples $(DESTDIR)$(PREFIX)/share/doc/hbgo/

# A .deb that replaces Debian's heartbeat package (dpkg-deb only).
deb: build
	contrib/debian/build-deb.sh

tidy:
	$(GO) mod tidy && git diff --exit-code go.mod go.sum

clean:
	rm -rf $(BIN)
