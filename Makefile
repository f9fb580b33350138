# mamori — build, test, install. `make` builds build/mamori; `make check`
# installs what it needs, builds twice (gcc; clang with ASan+UBSan) plus the
# fuzzers, runs everything and ends with "N passed, N failed".

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(DATADIR)/man
LOCALEDIR ?= $(DATADIR)/locale
DOCDIR    ?= $(DATADIR)/doc/mamori
SYSCONFDIR ?= /etc
LIBEXECDIR ?= $(PREFIX)/libexec
DESTDIR   ?=

BUILD     ?= build
CC        ?= cc
PKG_CONFIG ?= pkg-config
SAN       ?=
FUZZ      ?=
V         ?=
# Quiet by default ("CC file"); V=1 shows the commands.
Q         := $(if $(V),,@)
say        = $(if $(V),,@printf '  %-6s %s\n' $(1) $(2);)

# Linked: what every run of mamori needs.
LIBS_AGENT := jansson libcrypto sqlite3 libudev
# Loaded with dlopen(3) at first use (common/dynlib.h; agent/curl_api.h,
# platform/xml_api.h, agent/sdbus_api.h): compiled against their headers,
# never linked into mamori or the collector, so a scan does not map them
# and the forty libraries they bring. Test tools and fuzzers that call
# them directly link them (DLOPEN_LDLIBS).
LIBS_DLOPEN := libcurl libxml-2.0 libsystemd
LIBS_COLL  := libmicrohttpd
LINGUAS    := ja

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS    ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -I. \
             $(shell $(PKG_CONFIG) --cflags $(LIBS_AGENT) $(LIBS_DLOPEN)) \
             -DMAMORI_VERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
             -DSYSCONFDIR='"$(SYSCONFDIR)"' -DLIBEXECDIR='"$(LIBEXECDIR)"'
ALL_LDLIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_AGENT))
DLOPEN_LDLIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_DLOPEN))
# LDFLAGS: the distribution's link flags (relro, now) when a package is built.
ALL_LDFLAGS = $(LDFLAGS)

ifneq ($(SAN),)
ALL_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=address,undefined
endif
ifneq ($(FUZZ),)
ALL_CFLAGS += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=fuzzer,address,undefined
endif

LIB_SRCS  := $(wildcard common/*.c platform/*.c checks/*.c) \
             $(filter-out agent/main.c agent/watchd.c,$(wildcard agent/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/default_policy.o
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TESTS     := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
MOS       := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/mamori.mo)
# The collector (server-stub/) is its own archive; tests and fuzzers link
# both archives, and the linker takes from each only what a program uses.
COLL_SRCS := $(filter-out server-stub/main.c,$(wildcard server-stub/*.c))
COLL_OBJS := $(COLL_SRCS:%.c=$(BUILD)/obj/%.o)
COLL_LDLIBS = $(shell $(PKG_CONFIG) --libs $(LIBS_COLL))

.PHONY: all tests fuzzers check fuzz install deps demo clean pot deb deb-check screenshot
.DELETE_ON_ERROR:

all: $(BUILD)/mamori $(BUILD)/mamori-watchd $(BUILD)/mamori-collector $(MOS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The default policy is compiled in, so the binary needs no data files to run.
$(BUILD)/gen/default_policy.c: policy/default.json policy/embed.sh
	@mkdir -p $(dir $@)
	$(Q)sh policy/embed.sh $< > $@

$(BUILD)/obj/gen/default_policy.o: $(BUILD)/gen/default_policy.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libmamori.a: $(LIB_OBJS)
	$(Q)rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

$(BUILD)/mamori: $(BUILD)/obj/agent/main.o $(BUILD)/libmamori.a
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS)

# The daemon's idle half: libc and libudev only, so that waiting is cheap.
$(BUILD)/mamori-watchd: $(BUILD)/obj/agent/watchd.o $(BUILD)/obj/agent/daemon_log.o
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs libudev)

$(COLL_OBJS) $(BUILD)/obj/server-stub/main.o: ALL_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(LIBS_COLL)) \
    -DDATADIR='"$(DATADIR)"'

$(BUILD)/libcollector.a: $(COLL_OBJS)
	$(Q)rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

$(BUILD)/mamori-collector: $(BUILD)/obj/server-stub/main.o $(BUILD)/libcollector.a $(BUILD)/libmamori.a
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LDLIBS) $(COLL_LDLIBS)

$(BUILD)/locale/%/LC_MESSAGES/mamori.mo: po/%.po
	@mkdir -p $(dir $@)
	$(call say,MSGFMT,$@)msgfmt --check -o $@ $<

tests: $(TESTS) $(BUILD)/mamori $(BUILD)/mamori-watchd $(BUILD)/mamori-collector $(MOS) $(BUILD)/tools/notify-recorder \
       $(BUILD)/tools/sd-notify-listen

# The freedesktop notification server the notify test talks to (sd-bus), and
# systemd's end of sd_notify for the daemon test.
$(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(ALL_LDLIBS) $(DLOPEN_LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcollector.a $(BUILD)/libmamori.a tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(call say,TEST,$@)$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags cmocka) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libcollector.a $(BUILD)/libmamori.a $(ALL_LDLIBS) $(COLL_LDLIBS) \
	    $(shell $(PKG_CONFIG) --libs cmocka)

fuzzers: $(FUZZERS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libcollector.a $(BUILD)/libmamori.a
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libcollector.a \
	    $(BUILD)/libmamori.a $(ALL_LDLIBS) $(DLOPEN_LDLIBS) $(COLL_LDLIBS)

deps:
	@sh scripts/deps.sh

check: deps
	$(MAKE) --no-print-directory BUILD=build tests
	$(MAKE) --no-print-directory BUILD=build-asan CC=clang SAN=1 tests
	$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang FUZZ=1 fuzzers
	@sh tests/run.sh build build-asan build-fuzz pkg

# Runs each fuzzer for FUZZ_SECONDS (default 30) on its corpus.
FUZZ_SECONDS ?= 30
fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang FUZZ=1 fuzzers
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# The quick start: install what is missing, build, scan this machine.
demo: deps all
	@sh scripts/demo.sh $(BUILD)

# A real notification under Xvfb with dunst, saved as PNG (by hand, as root).
screenshot: all
	@sh scripts/screenshot.sh $(BUILD)

pot:
	xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
	    --package-name=mamori --package-version=$(VERSION) \
	    --files-from=po/POTFILES.in -o po/mamori.pot

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/mamori/policy \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD)/mamori $(DESTDIR)$(BINDIR)/mamori
	install -d $(DESTDIR)$(LIBEXECDIR)/mamori
	install -m 0755 $(BUILD)/mamori-watchd $(DESTDIR)$(LIBEXECDIR)/mamori/mamori-watchd
	install -m 0755 $(BUILD)/mamori-collector $(DESTDIR)$(BINDIR)/mamori-collector
	install -m 0644 policy/default.json $(DESTDIR)$(DATADIR)/mamori/policy/default.json
	install -d $(DESTDIR)$(DATADIR)/mamori-collector/dashboard/i18n
	install -m 0644 dashboard/*.html dashboard/*.css dashboard/*.js \
	    $(DESTDIR)$(DATADIR)/mamori-collector/dashboard/
	install -m 0644 dashboard/i18n/*.json $(DESTDIR)$(DATADIR)/mamori-collector/dashboard/i18n/
	install -m 0644 docs/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 docs/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 0644 $(BUILD)/locale/$$l/LC_MESSAGES/mamori.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/mamori.mo; \
	done

# Debian packages mamori and mamori-collector into build/deb/ (see
# packaging/README.md), checked with lintian.
deb:
	@sh packaging/build-deb.sh build/deb

# Only the package tests of `make check`: build, lintian, install into a
# throwaway overlay of / (as root), upgrade, remove, reinstall, purge.
deb-check: deps
	@sh tests/run.sh pkg

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
