# sandbank — the two commands a user needs are `make run` and `make test`.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/sandbank-dev/sandbank/mock/app.Version=$(VERSION)
ARGS     ?=

.PHONY: run test vet fmt-check clock-check chromium openapi-lint build bench lint docker clean

## run: serve on 127.0.0.1:8080 (pass flags with ARGS="--seed 7 --clock 2026-11-22T10:00:00+03:30")
run:
	$(GO) run ./cmd/sandbank serve $(ARGS)

## test: formatting, vet, the virtual-clock rule, Chromium for the page tests, the OpenAPI lint, then every test with the race detector
test: fmt-check vet clock-check chromium openapi-lint
	$(GO) test -race -count=1 ./...

# The login and consent pages are tested in a real headless browser.
chromium:
	@./scripts/chromium.sh

# The served OpenAPI documents pass Redocly's recommended ruleset with no error
# (Redocly CLI is installed, pinned, from npm into ~/.cache/sandbank).
openapi-lint:
	@./scripts/openapi-lint.sh

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Wall time is read only in mock/clock; everything else takes the injected clock.
clock-check:
	@out=$$(grep -rn --include='*.go' 'time\.Now()' mock cmd | grep -v '^mock/clock/' | grep -v '_test\.go:' || true); \
	if [ -n "$$out" ]; then echo "time.Now() outside mock/clock:"; echo "$$out"; exit 1; fi

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/sandbank ./cmd/sandbank

## bench: requests/s of representative operations beside a bare Echo handler, with and
## without --data-dir (BenchmarkSendDataDir), the state-scaling queries (outbox, deposit
## reports and transfers, charges) over 1k-1M rows, and the heap each stored Kavenegar
## message, Sanbod transfer and Finnotech charge keeps (heapB/message, /transfer, /charge)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./mock/app/ ./mock/store/ ./mock/journal/ ./mock/scenario/ ./mock/lifecycle/ \
		./mock/durable/ ./mock/providers/kavenegar/ ./mock/providers/sanbod/bank/ ./mock/providers/finnotech/bank/

## lint: check the shipped scenario files the way `sandbank lint` checks yours
lint:
	$(GO) run ./cmd/sandbank lint scenarios

docker:
	docker build --build-arg VERSION=$(VERSION) -t sandbank:$(VERSION) .

clean:
	rm -rf bin
