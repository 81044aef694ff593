# articlegen: one non-recursive Makefile.
#
#   make               build build/articlegen, build/articlegen-worker, build/llm-standin
#   make check         unit tests (Check) and integration tests against the stand-in
#   make sanitize      the same programs built with ASan and UBSan into build-san/
#                      ("make sanitize check" runs the tests of that build only)
#   make check-valgrind the unit tests under valgrind memcheck
#   make lint          cppcheck and clang-tidy
#   make fuzz          every libFuzzer harness for FUZZ_SECONDS each (clang)
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
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
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
# libxml2 (worker/htmltext.c, worker/htmlsafe.c) and cairo with its
# fontconfig (worker/cover.c) are used only by the generation library.
GEN_PKGS  = libxml-2.0 cairo fontconfig
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(GEN_PKGS))
# libcurl, libxml2 and cairo are not linked but loaded with dlopen() when
# first needed (worker/curlapi.h, xmlapi.h, cairoapi.h), so that no
# program maps them at start: their headers are used, and their sonames
# are found here.  dlopen() is in glibc's libc (2.34 and later): no -ldl.
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs libbsd-ctor libbsd-overlay json-c)
soname = $(or $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir $(1))/$(2).so" 2>/dev/null | sed -n 's/^ *SONAME *//p'),$(3))
CURL_SONAME  ?= $(call soname,libcurl,libcurl,libcurl.so.4)
XML2_SONAME  ?= $(call soname,libxml-2.0,libxml2,libxml2.so.2)
CAIRO_SONAME ?= $(call soname,cairo,libcairo,libcairo.so.2)
# libyaml reads existing posts' front matter (orchestrator/frontmatter.c).
YAML_CFLAGS  := $(shell $(PKG_CONFIG) --cflags yaml-0.1)
YAML_LIBS    := $(shell $(PKG_CONFIG) --libs yaml-0.1)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check yaml-0.1)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check yaml-0.1)

ALL_CFLAGS = $(CSTD) $(WARN) $(WERROR) $(CFLAGS) $(SAN_FLAGS) $(DEFS) \
	     -iquote common -iquote worker -iquote orchestrator $(PKG_CFLAGS) $(YAML_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

COMMON_SRCS = $(sort $(wildcard common/*.c))
WORKER_SRCS = $(sort $(filter-out worker/main.c,$(wildcard worker/*.c)))
ORCH_SRCS   = $(sort $(filter-out orchestrator/main.c,$(wildcard orchestrator/*.c)))
STANDIN_SRCS = $(sort $(wildcard tests/standin/*.c))
FAKE_SRCS   = $(sort $(wildcard tests/fakeworker/*.c))
TOY_SRCS    = $(sort $(wildcard tests/toy/*.c))
TEST_SRCS   = $(sort $(wildcard tests/check_*.c))

COMMON_OBJS = $(COMMON_SRCS:%.c=$(BUILD)/%.o)
WORKER_OBJS = $(WORKER_SRCS:%.c=$(BUILD)/%.o)
ORCH_OBJS   = $(ORCH_SRCS:%.c=$(BUILD)/%.o)
STANDIN_OBJS = $(STANDIN_SRCS:%.c=$(BUILD)/%.o)
FAKE_OBJS   = $(FAKE_SRCS:%.c=$(BUILD)/%.o)
TOY_OBJS    = $(TOY_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS   = $(TEST_SRCS:%.c=$(BUILD)/%.o)

LIBCOMMON = $(BUILD)/libcommon.a
LIBGEN    = $(BUILD)/libgen.a

PROGS = $(BUILD)/articlegen $(BUILD)/articlegen-worker $(BUILD)/llm-standin
TESTRUNNER = $(BUILD)/check_articlegen

all: $(PROGS)

$(BUILD)/paths.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define ARTICLEGEN_VERSION "%s"\n#define ARTICLEGEN_LIBEXECDIR "%s"\n#define ARTICLEGEN_DATADIR "%s"\n#define ARTICLEGEN_SYSCONFDIR "%s"\n#define ARTICLEGEN_CURL_SONAME "%s"\n#define ARTICLEGEN_XML2_SONAME "%s"\n#define ARTICLEGEN_CAIRO_SONAME "%s"\n' \
	    '$(VERSION)' '$(LIBEXECDIR)' '$(DATADIR)' '$(SYSCONFDIR)' '$(CURL_SONAME)' '$(XML2_SONAME)' '$(CAIRO_SONAME)' > $@.tmp
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
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(YAML_LIBS) -lm

$(BUILD)/articlegen-worker: $(BUILD)/worker/main.o $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/llm-standin: $(STANDIN_OBJS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# A misbehaving worker for the tests (tests/fakeworker).
$(BUILD)/fake-worker: $(FAKE_OBJS) $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# articlegen-worker with the test build's kind table (tests/toy), which
# adds a "toy" job kind: it replaces worker/kinds.o, which the archive
# then does not pull in.
$(BUILD)/toy-worker: $(BUILD)/worker/main.o $(BUILD)/tests/toy/toy_worker.o \
	    $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The test runner's suite list is generated from the suite functions that
# tests/check_*.c define, so adding a suite needs no edit here.
$(BUILD)/tests/suites.inc: $(TEST_SRCS)
	@mkdir -p $(dir $@)
	sed -n 's/^\([a-z_][a-z0-9_]*_suite\)(void)$$/SUITE(\1)/p' $(TEST_SRCS) | grep -v '^SUITE(all_suite)' > $@.tmp
	mv $@.tmp $@

$(TEST_OBJS): $(BUILD)/tests/suites.inc
$(TEST_OBJS): ALL_CFLAGS += $(CHECK_CFLAGS) -I$(BUILD)/tests
$(TEST_OBJS) $(TOY_OBJS): ALL_CFLAGS += -iquote tests/toy

$(TESTRUNNER): $(TEST_OBJS) $(BUILD)/tests/toy/toy_kind.o $(ORCH_OBJS) \
	    $(LIBGEN) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lm

# Under "make sanitize check" the tests run once, in the sanitizer build
# (see sanitize below), not also in build/.
ifeq ($(filter sanitize,$(MAKECMDGOALS)),)
check: $(PROGS) $(BUILD)/fake-worker $(BUILD)/toy-worker $(TESTRUNNER)
	ARTICLEGEN_BUILD=$(abspath $(BUILD)) ARTICLEGEN_SRC=$(CURDIR) $(TESTRUNNER)
else
check: sanitize
	@:
endif

# ASan + UBSan build of everything, tests included, in build-san/.  Any
# sanitizer report fails: UBSan aborts, ASan aborts, and a LeakSanitizer
# report makes the forked test (or the program an end-to-end test runs)
# exit non-zero.
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
sanitize:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) BUILD=build-san SAN_FLAGS='$(SANITIZE_FLAGS)' all \
	    $(filter check,$(MAKECMDGOALS))

# valgrind memcheck of the test runner in CK_FORK=no mode (as Check's
# manual advises), one suite at a time, every suite but the end-to-end ones
# (e2e, supervise, workers, ops, jobs): they run programs in child processes,
# which memcheck would not follow, and rely on per-test timeouts, which
# need fork mode.  Errors or definite
# leaks fail the target.  See docs/HARDENING.md.
VALGRIND = valgrind --leak-check=full --errors-for-leak-kinds=definite \
	--error-exitcode=1 --child-silent-after-fork=yes --quiet
VALGRIND_SKIP = e2e supervise workers ops outputs shell jobs review pipeline
check-valgrind: $(PROGS) $(BUILD)/fake-worker $(BUILD)/toy-worker $(TESTRUNNER)
	@set -e; suites=$$(sed -n 's/^SUITE(\(.*\)_suite)$$/\1/p' \
	    $(BUILD)/tests/suites.inc | grep -vxF "$$(printf '%s\n' $(VALGRIND_SKIP))"); \
	n=0; for s in $$suites; do \
		echo "valgrind: suite $$s"; \
		CK_FORK=no CK_RUN_SUITE=$$s ARTICLEGEN_BUILD=$(abspath $(BUILD)) \
		    ARTICLEGEN_SRC=$(CURDIR) $(VALGRIND) $(TESTRUNNER); \
		n=$$((n + 1)); \
	done; \
	echo "valgrind: $$n suites, no errors, no definite leaks (skipped: $(VALGRIND_SKIP))"; \
	BUILD=$(BUILD) scripts/valgrind-run.sh

# cppcheck over every source, then clang-tidy with a small set of checks
# that find real bugs (see docs/HARDENING.md).
LINT_SRCS = $(COMMON_SRCS) $(sort $(wildcard worker/*.c)) \
	$(sort $(wildcard orchestrator/*.c)) $(STANDIN_SRCS)
TIDY_CHECKS = -*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,\
	-clang-analyzer-valist.*,bugprone-*,\
	-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,\
	-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,\
	-bugprone-implicit-widening-of-multiplication-result,\
	-bugprone-branch-clone,-bugprone-sizeof-expression,cert-err34-c,\
	misc-redundant-expression
lint: $(BUILD)/paths.h
	cppcheck --quiet --enable=warning,portability --error-exitcode=1 \
	    --inline-suppr --std=c11 -D_GNU_SOURCE -Icommon -Iworker \
	    -Iorchestrator $(LINT_SRCS)
	@echo "clang-tidy $(words $(LINT_SRCS)) files"
	$(Q)clang-tidy --quiet --checks='$(TIDY_CHECKS)' --warnings-as-errors='*' \
	    $(LINT_SRCS) -- $(CSTD) $(DEFS) -iquote common -iquote worker \
	    -iquote orchestrator $(PKG_CFLAGS) 2>$(BUILD)/clang-tidy.log || \
	    { grep -v 'warnings* generated' $(BUILD)/clang-tidy.log >&2; exit 1; }
	@echo "lint: cppcheck and clang-tidy clean"

# libFuzzer harnesses, tests/fuzz/fuzz_*.c.  The library objects are
# compiled by clang into build-fuzz/ with coverage instrumentation and
# ASan + UBSan; each harness links them with libFuzzer's main.
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build-fuzz
FUZZ_HARNESSES = $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c))))
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_BINS     = $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/%)

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang SAN_FLAGS='$(FUZZ_SAN)' fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIBGEN) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	@echo '  FUZZ    $<'
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(LIBGEN) $(LIBCOMMON) $(PKG_LIBS) $(YAML_LIBS) -lm

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
	install -m 755 config/articlegen-publish.sh $(DESTDIR)$(LIBEXECDIR)/articlegen-publish
	sed 's|/usr/local/libexec/articlegen|$(LIBEXECDIR)|' config/articlegen-publish.service > $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen-publish.service
	install -m 644 'config/articlegen-failure@.service' '$(DESTDIR)$(SYSTEMDUNITDIR)/articlegen-failure@.service'
	install -d $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 644 config/articlegen.sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/articlegen.conf
	install -m 644 config/articlegen.tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/articlegen.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/articlegen $(DESTDIR)$(LIBEXECDIR)/articlegen-worker \
	    $(DESTDIR)$(DATADIR)/pricing.json
	rm -f $(DESTDIR)$(DATADIR)/articlegen.conf.example $(DESTDIR)$(MANDIR)/man1/articlegen.1 $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.service $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen.timer
	rm -f $(DESTDIR)$(LIBEXECDIR)/articlegen-publish $(DESTDIR)$(SYSTEMDUNITDIR)/articlegen-publish.service '$(DESTDIR)$(SYSTEMDUNITDIR)/articlegen-failure@.service' $(DESTDIR)$(SYSUSERSDIR)/articlegen.conf $(DESTDIR)$(TMPFILESDIR)/articlegen.conf

clean:
	rm -rf build build-san build-fuzz

.PHONY: FORCE all check sanitize check-valgrind lint fuzz fuzz-build \
	bench install uninstall clean lint-workflows

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
