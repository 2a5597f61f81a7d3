# imgcdn — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)

BIN       ?= bin/imgcdn
DATA      ?= ./data
FUZZTIME  ?= 2000x
GOFLAGS   ?=
GO_TEST   := go test $(GOFLAGS) -count=1

.PHONY: run build deps test-deps test unit e2e fuzz vet bench clean

## run: install what is missing, build, and start imgcdn on its embedded default
run: deps build
	@echo "Starting imgcdn (Ctrl-C to stop)…"
	$(BIN) serve --data $(DATA)

build:
	go build -o $(BIN) ./cmd/imgcdn

deps:
	@scripts/deps.sh run

test-deps:
	@scripts/deps.sh test

## test: install what the tests need, then vet, unit, end-to-end and short fuzz runs
test: test-deps vet
	$(GO_TEST) -timeout 20m ./...
	@FUZZTIME=$(FUZZTIME) scripts/fuzz.sh

unit:
	$(GO_TEST) -short ./internal/...

e2e:
	$(GO_TEST) -v -timeout 15m ./test/e2e/...

fuzz:
	@FUZZTIME=$${FUZZTIME:-60s} scripts/fuzz.sh

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go vet ./...

## bench: S3 load benchmark against a fresh server (not part of make test)
bench: deps
	bench/run-s3.sh

## bench-edge: imgcdn's edge against nginx proxy_cache and Varnish (issue 6; installs them, and wrk)
.PHONY: bench-edge
bench-edge: deps
	bench/run-edge.sh $(BENCH_EDGE_FLAGS)

## bench-image: image transforms through the edge vs imgproxy and the libvips floor (issue 7; installs libvips-tools)
.PHONY: bench-image
bench-image: deps
	bench/run-image.sh $(BENCH_IMAGE_FLAGS)

clean:
	rm -rf bin
