# paiban — make sample renders the reference issue, make test runs every test.
GO      ?= go
SAMPLE  := samples/zhenjing-2023-05
OUT     := out

.PHONY: all build sample test bench fuzz vet clean

all: build

build:
	$(GO) build -o $(OUT)/paiban ./cmd/paiban

sample: build
	$(OUT)/paiban build $(SAMPLE)/issue.toml -o $(OUT)/zhenjing-2023-05.pdf

# Every test: vet, formatting, unit, golden and end-to-end tests (the
# end-to-end tests need poppler-utils: apt-get install poppler-utils).
test:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target for FUZZTIME (default 60s).
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./manifest -run '^$$' -fuzz '^FuzzParseArticle$$' -fuzztime $(FUZZTIME)
	$(GO) test ./manifest -run '^$$' -fuzz '^FuzzParseManifest$$' -fuzztime $(FUZZTIME)
	$(GO) test ./layout/text -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./color -run '^$$' -fuzz '^FuzzParseProfile$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s
	$(GO) test ./images -run '^$$' -fuzz '^FuzzPrepare$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/jpegdec -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s
	$(GO) test ./internal/jpegcmyk -run '^$$' -fuzz '^FuzzEncode$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s
	$(GO) test ./internal/jpegcmyk -run '^$$' -fuzz '^FuzzNonzeroMask$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/jpegcmyk -run '^$$' -fuzz '^FuzzEncodeYCbCr$$' -fuzztime $(FUZZTIME)
	$(GO) test ./internal/jpegdct -run '^$$' -fuzz '^FuzzFDCT4$$' -fuzztime $(FUZZTIME)

clean:
	rm -rf $(OUT)
