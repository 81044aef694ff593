# articlegen: one non-recursive Makefile.
#
#   make               build build/articlegen, build/articlegen-worker, build/llm-standin
#   make check         unit tests (Check) and integration tests against the stand-in
#   make sanitize      the same programs built with ASan and UBSan into build-san/
#   make install       PREFIX=/usr/local DESTDIR=
#
# Local overrides go in config.mk (not tracked).
-include config.mk

CC         ?= cc
PKG_CONFIG ?= pkg-config
BUILD      ?= build
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/articlegen
DATADIR    ?= $(PREFIX)/share/articlegen
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
VERSION    := 0.1.0

CSTD     = -std=c11 -D_GNU_SOURCE
WARN     = -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
	   -Wmissing-declarations -Wshadow -Wpointer-arith -Wcast-qual \
	   -Wsign-compare -Wformat=2 -Wwrite-strings -Wvla \
	   -Wold-style-definition -fno-common
WERROR  ?= -Werror
CFLAGS  ?= -O2 -g
SAN_FLAGS =
V ?= 0
Q = $(if $(filter 1,$(V)),,@)

# Installation paths are compiled in through $(BUILD)/paths.h, which is
# rewritten only when they change, so "make PREFIX=/usr" rebuilds what
# depends on them and nothing else.
DEFS = -include $(BUILD)/paths.h

PKGS      = libbsd-overlay json-c libcurl
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs libbsd-ctor $(PKGS))
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check yaml-0.1)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check yaml-0.1)

ALL_CFLAGS = $(CSTD) $(WARN) $(WERROR) $(CFLAGS) $(SAN_FLAGS) $(DEFS) \
	     -iquote common -iquote worker -iquote orchestrator $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

COMMON_SRCS = $(sort $(wildcard common/*.c))
WORKER_SRCS = $(sort $(filter-out worker/main.c,$(wildcard worker/*.c)))
ORCH_SRCS   = $(sort $(filter-out orchestrator/main.c,$(wildcard orchestrator/*.c)))
STANDIN_SRCS = $(sort $(wildcard tests/standin/*.c))
FAKE_SRCS   = $(sort $(wildcard tests/fakeworker/*.c))
TEST_SRCS   = $(sort $(wildcard tests/check_*.c))

COMMON_OBJS = $(COMMON_SRCS:%.c=$(BUILD)/%.o)
WORKER_OBJS = $(WORKER_SRCS:%.c=$(BUILD)/%.o)
ORCH_OBJS   = $(ORCH_SRCS:%.c=$(BUILD)/%.o)
STANDIN_OBJS = $(STANDIN_SRCS:%.c=$(BUILD)/%.o)
FAKE_OBJS   = $(FAKE_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS   = $(TEST_SRCS:%.c=$(BUILD)/%.o)

LIBCOMMON = $(BUILD)/libcommon.a
LIBGEN    = $(BUILD)/libgen.a

PROGS = $(BUILD)/articlegen $(BUILD)/articlegen-worker $(BUILD)/llm-standin
TESTRUNNER = $(BUILD)/check_articlegen

all: $(PROGS)

$(BUILD)/paths.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define ARTICLEGEN_VERSION "%s"\n#define ARTICLEGEN_LIBEXECDIR "%s"\n#define ARTICLEGEN_DATADIR "%s"\n#define ARTICLEGEN_SYSCONFDIR "%s"\n' \
	    '$(VERSION)' '$(LIBEXECDIR)' '$(DATADIR)' '$(SYSCONFDIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/%.o: %.c $(BUILD)/paths.h
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBGEN): $(WORKER_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/articlegen: $(BUILD)/orchestrator/main.o $(ORCH_OBJS) $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/articlegen-worker: $(BUILD)/worker/main.o $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/llm-standin: $(STANDIN_OBJS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# A misbehaving worker for the tests (tests/fakeworker).
$(BUILD)/fake-worker: $(FAKE_OBJS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The test runner's suite list is generated from the suite functions that
# tests/check_*.c define, so adding a suite needs no edit here.
$(BUILD)/tests/suites.inc: $(TEST_SRCS)
	@mkdir -p $(dir $@)
	sed -n 's/^\([a-z_][a-z0-9_]*_suite\)(void)$$/SUITE(\1)/p' $(TEST_SRCS) | grep -v '^SUITE(all_suite)' > $@.tmp
	mv $@.tmp $@

$(TEST_OBJS): $(BUILD)/tests/suites.inc
$(TEST_OBJS): ALL_CFLAGS += $(CHECK_CFLAGS) -I$(BUILD)/tests

$(TESTRUNNER): $(TEST_OBJS) $(ORCH_OBJS) $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lm

check: $(PROGS) $(BUILD)/fake-worker $(TESTRUNNER)
	ARTICLEGEN_BUILD=$(abspath $(BUILD)) ARTICLEGEN_SRC=$(CURDIR) $(TESTRUNNER)

# ASan + UBSan build of everything, tests included, in build-san/.
sanitize:
	$(MAKE) BUILD=build-san SAN_FLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' all $(filter check,$(MAKECMDGOALS))

check-valgrind: $(PROGS) $(TESTRUNNER)
	CK_FORK=no ARTICLEGEN_BUILD=$(abspath $(BUILD)) ARTICLEGEN_SRC=$(CURDIR) \
	    valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 $(TESTRUNNER)

lint:
	cppcheck --quiet --enable=warning,portability --error-exitcode=1 \
	    --inline-suppr -D_GNU_SOURCE -Icommon -Iworker -Iorchestrator \
	    common worker orchestrator tests/standin

lint-workflows:
	scripts/lint-workflows.sh

bench: $(PROGS)
	scripts/bench.sh

install: $(BUILD)/articlegen $(BUILD)/articlegen-worker
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BUILD)/articlegen $(DESTDIR)$(BINDIR)/articlegen
	install -m 755 $(BUILD)/articlegen-worker $(DESTDIR)$(LIBEXECDIR)/articlegen-worker
	install -m 644 config/pricing.json $(DESTDIR)$(DATADIR)/pricing.json
	install -m 644 config/articlegen.conf.example $(DESTDIR)$(DATADIR)/articlegen.conf.example
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 644 docs/articlegen.1 $(DESTDIR)$(MANDIR)/man1/articlegen.1
	sed 's|/usr/local/bin/articlegen|$(BINDIR)/articlegen|' config/articlegen.service > $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.service
	install -m 644 config/articlegen.timer $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.timer

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/articlegen $(DESTDIR)$(LIBEXECDIR)/articlegen-worker \
	    $(DESTDIR)$(DATADIR)/pricing.json
	rm -f $(DESTDIR)$(DATADIR)/articlegen.conf.example $(DESTDIR)$(MANDIR)/man1/articlegen.1 $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.service $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.timer

clean:
	rm -rf build build-san

.PHONY: FORCE all check sanitize check-valgrind lint bench install uninstall clean
.PHONY: lint-workflows

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
