# pilvi-analyzer - build, test, install.
#
#   make            build build/pilvi-analyzer
#   make demo       install missing packages, build, report on a bundled sample
#   make test       install missing packages, build, run every test
#   make SANITIZE=address,undefined test    the same under ASan+UBSan
#   make backtest   how good the budget estimate is (docs/estimate.md)
#   make calibrate  rewrite schema/estimate-errors.csv (the estimate's range)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need,
#                   and fetch libduckdb (Parquet) into build/lib
#                   (make test and make demo only check, and say so)

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
CSV_LIBS ?= -lcsv
SANITIZE ?=

PKGS     = sqlite3 zlib libarchive xlsxwriter gmime-3.0 jansson
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CFLAGS) \
             $(WARN) -pthread -Ianalyzer -I$(BUILD) $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS     = $(PKG_LIBS) $(ISAL_LIBS) -ldl -lm -pthread
# libcsv is the reference the CSV reader's tests compare against.
TEST_LIBS = $(LIBS) $(CSV_LIBS)

# Intel's ISA-L inflates gzip about 2.7 times faster than zlib; where its
# header is missing, zlib does the work (same bytes, same errors).
ISAL_HEADER ?= /usr/include/isa-l/igzip_lib.h
ifneq ($(wildcard $(ISAL_HEADER)),)
ALL_CFLAGS += -DPILVI_HAVE_ISAL
ISAL_LIBS ?= -lisal
endif

ifeq ($(SANITIZE),)
BUILD    = build
else
BUILD    = build/san
ALL_CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Debian packages: build, then what the tests use besides (sqlite3 to
# compare databases before and after a rejected file).
DEB_BUILD = make gcc libc6-dev \
            libcsv-dev libsqlite3-dev zlib1g-dev libarchive-dev libxlsxwriter-dev \
            libgmime-3.0-dev libisal-dev libjansson-dev \
            pkg-config
DEB_TEST  = sqlite3 gzip unzip strace python3 groff-base
# to fetch libduckdb (below)
DEB_FETCH = curl ca-certificates
DEB_PKGS  = $(DEB_BUILD) $(DEB_TEST) $(DEB_FETCH)

# Parquet is read through DuckDB's C API (issue 15), loaded at run time
# (analyzer/duck.h): the binary builds and runs without it. Its official
# Linux x86-64 build comes from the npm registry, pinned by version and
# by the package's sha512 integrity as `npm view
# @duckdb/node-bindings-linux-x64@$(DUCKDB_VERSION) dist.integrity` gives
# it; tools/fetch-duckdb.sh refuses any other bytes. It lands in
# build/lib, where build/pilvi-analyzer looks first; make install puts it
# in $(PREFIX)/lib/pilvi-analyzer.
DUCKDB_VERSION = 1.5.6-r.1
DUCKDB_URL     = https://registry.npmjs.org/@duckdb/node-bindings-linux-x64/-/node-bindings-linux-x64-$(DUCKDB_VERSION).tgz
DUCKDB_SHA512  = IXcrZJE6kEqM0Z4wwdVnGBHX/frOS33VPNAwDXQ/Q+Fs84b058Qe94chrCCIcNJlG8Y3UHIUU4eBeCQxW5mN1Q==
DUCKDB_DIR     = build/lib

BIN      = $(BUILD)/pilvi-analyzer
CORE_SRC = $(filter-out analyzer/main.c,$(wildcard analyzer/*.c))
CORE_OBJ = $(patsubst analyzer/%.c,$(BUILD)/%.o,$(CORE_SRC)) \
           $(BUILD)/schema_sql.o $(BUILD)/schema_data.o
SCHEMA   = $(sort $(wildcard schema/*.sql))
DATA     = $(sort $(wildcard schema/*.csv))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
FUZZ_TARGETS = source csv format parse run
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC)) \
           $(patsubst %,$(BUILD)/tests/test_fuzz_%,$(FUZZ_TARGETS))
TOOLS    = $(BUILD)/pilvi-gen $(BUILD)/pilvi-corpus $(BUILD)/pilvi-backtest \
           $(BUILD)/mkarchive $(BUILD)/csv2parquet $(BUILD)/pilvi-limits \
           $(BUILD)/duckq

.PHONY: all demo test check-deps deps debian-deps install uninstall clean fixtures bench bench-quick bench-parquet \
        fuzz fuzz-run backtest calibrate bench-limits

all: $(BIN)

$(BUILD)/%.o: analyzer/%.c $(wildcard analyzer/*.h) | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# schema/*.sql are compiled into the binary, one migration per file.
$(BUILD)/schema_sql.c: $(SCHEMA) tools/embed-sql.sh | $(BUILD)/.dir
	sh tools/embed-sql.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/schema_sql.o: $(BUILD)/schema_sql.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# ... and so is the reference data (services, regions, Pilvi catalog).
$(BUILD)/schema_data.c: $(DATA) tools/embed-data.sh | $(BUILD)/.dir
	sh tools/embed-data.sh $(DATA) > $@.tmp && mv $@.tmp $@

$(BUILD)/schema_data.o: $(BUILD)/schema_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN): $(BUILD)/main.o $(CORE_OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/pilvi-gen: fixtures/generator.c | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The backtest corpus (families of month shapes x seeds, with deliveries).
$(BUILD)/pilvi-corpus: fixtures/corpus.c | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lm

# The backtest of the budget estimate links the core (make backtest).
$(BUILD)/pilvi-backtest: tools/backtest.c $(CORE_OBJ) | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CORE_OBJ) $(LIBS)

# Each stage of an ingest alone: read, hash, inflate, tokenize (make
# bench-limits).
$(BUILD)/pilvi-limits: tools/limits.c $(CORE_OBJ) | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CORE_OBJ) $(LIBS)

$(BUILD)/mkarchive: tools/mkarchive.c | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

# CSV to Parquet through libduckdb, for the tests and the benchmark.
$(BUILD)/csv2parquet: tools/csv2parquet.c $(BUILD)/duck.o | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/duck.o -ldl -pthread

# SQL through libduckdb, printed as CSV: the tests read exports back.
$(BUILD)/duckq: tools/duckq.c $(BUILD)/duck.o | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/duck.o -ldl -pthread

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(CORE_OBJ) | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CORE_OBJ) $(TEST_LIBS)

# Each fuzz target also runs in `make test`, over its corpus and the
# fixtures, through replay.c (no clang needed).
$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    tests/fuzz/fuzz.h $(CORE_OBJ) | $(BUILD)/.dir
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/fuzz -DFUZZ_NAME='"$*"' \
	    -o $@ $< tests/fuzz/replay.c $(CORE_OBJ) $(TEST_LIBS)

# The budget estimate, measured (docs/estimate.md): the test corpus of
# month shapes, never used to set the model or its range, each month cut
# at days 7, 14 and 21, its deliveries, the public samples, and an
# ablation. calibrate writes the range's table from the training corpus.
BACKTEST_SEEDS  ?= 24
CALIBRATE_SEEDS ?= 24
SAMPLES ?= ../shared/samples
backtest: $(BUILD)/pilvi-backtest $(BUILD)/pilvi-corpus
	rm -rf $(BUILD)/corpus/test
	$(BUILD)/pilvi-corpus --set test --seeds $(BACKTEST_SEEDS) \
	    -o $(BUILD)/corpus/test
	$(BUILD)/pilvi-backtest --ablation \
	    $(if $(wildcard $(SAMPLES)),--samples $(SAMPLES)) $(BUILD)/corpus/test

calibrate: $(BUILD)/pilvi-backtest $(BUILD)/pilvi-corpus
	rm -rf $(BUILD)/corpus/train
	$(BUILD)/pilvi-corpus --set train --seeds $(CALIBRATE_SEEDS) \
	    -o $(BUILD)/corpus/train
	$(BUILD)/pilvi-backtest --calibrate schema/estimate-errors.csv \
	    $(BUILD)/corpus/train

# libFuzzer builds: make fuzz CC=clang, then make fuzz-run CC=clang
# [FUZZ_SECONDS=600] runs each target under ASan+UBSan from its corpus,
# with the dictionary of header names and line item types; what it
# finds grows build/fuzz/corpus, a crash lands in build/fuzz/crashes.
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
FUZZ_SECONDS ?= 600
# one input running this long is a hang: a failure like a crash
FUZZ_TIMEOUT ?= 60
fuzz: check-deps
	$(MAKE) BUILD=build/fuzz CFLAGS='$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link' \
	    $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(CORE_OBJ)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< \
	    $(CORE_OBJ) $(LIBS)

fuzz-run: fuzz
	for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes/$$t; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=$(FUZZ_TIMEOUT) -dict=tests/fuzz/billing.dict \
	        -artifact_prefix=build/fuzz/crashes/$$t/ \
	        build/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

$(BUILD)/.dir:
	mkdir -p $(BUILD)/tests $(BUILD)/fixtures
	@# a build elsewhere (build/san) finds the fetched libduckdb as its own
	if [ "$(BUILD)" != build ] && [ ! -e $(BUILD)/lib ]; then \
	    ln -s $$(echo $(BUILD) | sed 's|[^/]*|..|g')/$(DUCKDB_DIR) $(BUILD)/lib; \
	fi
	touch $@

# Compressed fixtures are built from the readable sources in fixtures/.
fixtures: $(TOOLS) | $(BUILD)/.dir
	sh fixtures/build.sh $(BUILD)/fixtures $(BUILD)/mkarchive

test: check-deps
	$(MAKE) $(BIN) $(UNIT_BIN) $(TOOLS) fixtures
	sh tests/run.sh $(BUILD)

DEMO = fixtures/demo/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2026-10.csv

demo: check-deps
	$(MAKE) all
	@rm -f $(BUILD)/demo.db $(BUILD)/demo.db-wal $(BUILD)/demo.db-shm
	$(BIN) --db $(BUILD)/demo.db ingest $(DEMO)
	$(BIN) --db $(BUILD)/demo.db files
	$(BIN) --db $(BUILD)/demo.db report

# The benchmark against sqlite3, Python and DuckDB (bench/README.md).
# Not part of the tests; the generated files stay in $(BUILD)/bench-data.
bench: $(BIN) $(TOOLS)
	sh bench/run.sh $(BUILD) full

bench-quick: $(BIN) $(TOOLS)
	sh bench/run.sh $(BUILD) quick

# Peak memory of a Parquet CUR's ingest, 1 M and 5 M rows (bench/README.md).
bench-parquet: $(BIN) $(TOOLS)
	sh bench/parquet.sh $(BUILD)

# Where the physical limit is: each stage alone against the full ingest,
# on the bench's 5 M-row DBR-RT (bench/README.md, "Physical limits").
bench-limits: $(BIN) $(TOOLS)
	sh bench/limits.sh $(BUILD)

# deps installs what is missing (as root, with apt-get) and fetches
# libduckdb; check-deps, run by test and demo, only says what is
# missing and how to get it (without libduckdb only Parquet is left
# out: its tests skip).
deps: debian-deps
	sh tools/fetch-duckdb.sh $(DUCKDB_DIR) $(DUCKDB_URL) $(DUCKDB_SHA512)

debian-deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	        grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	    echo "missing Debian packages:$$missing" >&2; \
	    echo "run: sudo make deps" >&2; \
	    exit 1; \
	fi; \
	echo "installing:$$missing"; \
	apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing

check-deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	        grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "missing Debian packages:$$missing" >&2; \
	    echo "run: make deps (as root), or sh setup.sh test" >&2; \
	    exit 1; \
	fi

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pilvi-analyzer
	install -m 0644 man/pilvi-analyzer.1 $(DESTDIR)$(PREFIX)/share/man/man1/pilvi-analyzer.1
	if [ -f $(DUCKDB_DIR)/libduckdb.so ]; then \
	    install -d $(DESTDIR)$(PREFIX)/lib/pilvi-analyzer && \
	    install -m 0644 $(DUCKDB_DIR)/libduckdb.so \
	        $(DUCKDB_DIR)/libduckdb.LICENSE \
	        $(DESTDIR)$(PREFIX)/lib/pilvi-analyzer/; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pilvi-analyzer \
	    $(DESTDIR)$(PREFIX)/share/man/man1/pilvi-analyzer.1 \
	    $(DESTDIR)$(PREFIX)/lib/pilvi-analyzer/libduckdb.so \
	    $(DESTDIR)$(PREFIX)/lib/pilvi-analyzer/libduckdb.LICENSE
	-rmdir $(DESTDIR)$(PREFIX)/lib/pilvi-analyzer 2>/dev/null

clean:
	rm -rf build
