# SPDX-License-Identifier: MIT
# driftscope — see README.md. `make` builds, `make check` tests, `make demo` shows.

CC      ?= cc
PKGS    := ncursesw libserialport kissfft-float yajl libmicrohttpd libmd
VERSION := 0.1.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
CSTD    := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Iinclude -Isrc -MMD -MP
LDLIBS  := -lcsv -lm -lpthread

# pkg-config flags are looked up lazily: `make check` installs the packages first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

CORE_SRC := $(wildcard src/core/*.c)
IO_SRC   := $(wildcard src/io/*.c)
UI_SRC   := $(wildcard src/ui/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
APP_SRC  := $(CORE_SRC) $(IO_SRC) $(UI_SRC) $(CLI_SRC)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOLS    := build/har-samples build/gen-bench build/csv-parse-only build/spectrum-bench build/detect

OBJ      := $(APP_SRC:%.c=build/%.o)
ASAN_OBJ := $(APP_SRC:%.c=build/asan/%.o)
LIB_OBJ_ASAN := $(filter-out build/asan/src/cli/%,$(ASAN_OBJ))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all check unit e2e layering clang-check format format-check demo demo-live bench fuzz clean deps deps-test deps-bench samples install

all: driftscope

driftscope: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

build/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) $(PKG_CFLAGS) -c $< -o $@

build/asan/driftscope: $(ASAN_OBJ)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

build/asan/tests/%: tests/unit/%.c $(LIB_OBJ_ASAN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -Itests/unit -o $@ $< $(LIB_OBJ_ASAN) $(CMOCKA_LIBS) $(PKG_LIBS) $(LDLIBS)

build/%: tests/tools/%.c $(filter build/src/core/%,$(OBJ))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(filter build/src/core/%,$(OBJ)) $(PKG_LIBS) $(LDLIBS)

# The LD_PRELOAD shim that lets libserialport open a pty in tests (tests/shim).
build/sp_pty.so: tests/shim/sp_pty.c
	@mkdir -p build
	$(CC) $(CSTD) -Wall -Wextra -Werror -O2 -shared -fPIC -o $@ $< -ldl

# The LD_PRELOAD shim that makes memory run out on cue (tests/shim/fail_alloc.c).
build/fail_alloc.so: tests/shim/fail_alloc.c
	@mkdir -p build
	$(CC) $(CSTD) -Wall -Wextra -Werror -O2 -shared -fPIC -o $@ $<

deps:
	@scripts/ensure-deps.sh build
deps-test:
	@scripts/ensure-deps.sh test
deps-bench:
	@scripts/ensure-deps.sh bench

# The whole test suite: warnings-as-errors builds with gcc (and clang when
# present), the layering rule, unit tests and end-to-end CLI tests under
# ASan+UBSan, the check that committed samples regenerate identically, and
# a few seconds of every parser's fuzz harness (make fuzz runs them longer).
check: deps-test
	@$(MAKE) --no-print-directory all build/asan/driftscope $(UNIT_BIN) build/har-samples build/gen-bench build/detect build/sp_pty.so build/fail_alloc.so
	@$(MAKE) --no-print-directory layering clang-check format-check
	@tests/run.sh $(UNIT_BIN)

unit: $(UNIT_BIN)
	@tests/run.sh --unit-only $(UNIT_BIN)

# The layers hold in every direction (DESIGN §1): scripts/layering.sh.
layering:
	@scripts/layering.sh

clang-check:
	@if command -v clang >/dev/null 2>&1; then \
	  for f in $(APP_SRC); do clang $(CSTD) $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) -fsyntax-only $$f || exit 1; done; \
	  echo "clang: -Wall -Wextra -Werror clean"; \
	else echo "clang: not installed, skipped"; fi

# Every C file in the tree, formatted as .clang-format says (clang-format 14,
# Debian 12's). format rewrites them; format-check fails on the first that
# differs and shows the difference. Another clang-format formats differently,
# so it is skipped with a word rather than failed.
FORMAT_SRC := $(wildcard src/*/*.c src/*/*.h include/*/*.h tests/unit/*.c tests/unit/*.h \
                tests/tools/*.c tests/fuzz/*.c tests/shim/*.c)
CLANG_FORMAT_MAJOR := 14
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	@v=$$(clang-format --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p'); \
	if [ "$$v" != "$(CLANG_FORMAT_MAJOR)" ]; then \
	  echo "format: skipped (clang-format $${v:-not installed}; the tree follows version $(CLANG_FORMAT_MAJOR))"; exit 0; fi; \
	bad=0; for f in $(FORMAT_SRC); do \
	  if ! clang-format "$$f" | diff -u "$$f" - >/dev/null; then \
	    [ $$bad = 0 ] && clang-format "$$f" | diff -u "$$f" - | head -30; bad=$$((bad + 1)); echo "format: $$f differs"; fi; \
	done; \
	if [ $$bad != 0 ]; then echo "format: $$bad file(s) differ from .clang-format; make format fixes them"; exit 1; fi; \
	echo "format: ok ($(words $(FORMAT_SRC)) files match .clang-format)"

samples: build/har-samples
	build/har-samples ../shared/data/sp-sw-har/DATA samples
	scripts/fan-samples.sh ../shared/data/ceiling-fan/ceiling-fan samples

# The dashboard replaying the sample at 4x: the subject changes about 10 s in.
# Without a terminal (CI, a pipe) the same comparison is printed instead.
# The demo replays a copy of the sample in build/demo: labels made there go
# into build/demo's journal, never into a tracked file.
DEMO_ARGS := -r samples/har-reference.csv build/demo/har-session.csv --window 30
demo: deps driftscope
	@mkdir -p build/demo && cp -n samples/har-session.csv build/demo/
	@if [ -t 0 ] && [ -t 1 ]; then ./driftscope $(DEMO_ARGS) --stride 5 --speed 4; \
	else echo "no terminal: the headless report instead of the dashboard"; \
	  ./driftscope report $(DEMO_ARGS) --stride 15; fi

# A simulated board (driftscope simulate) watched live in the dashboard.
demo-live: deps driftscope
	@scripts/demo-live.sh

bench: deps-bench driftscope build/gen-bench build/csv-parse-only build/spectrum-bench build/detect
	@tests/bench/run.sh

fuzz:
	@tests/fuzz/run.sh

install: driftscope
	install -D -m 755 driftscope $(DESTDIR)/usr/local/bin/driftscope
	install -D -m 644 man/driftscope.1 $(DESTDIR)/usr/local/share/man/man1/driftscope.1
	install -d $(DESTDIR)/usr/local/share/driftscope/themes
	install -m 644 themes/*.theme $(DESTDIR)/usr/local/share/driftscope/themes/

clean:
	rm -rf build driftscope

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
