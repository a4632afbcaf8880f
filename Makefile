# fascia: a blog engine in C (nginx -> FastCGI -> PostgreSQL).
#
#   make            build build/fascia
#   make run        set up everything and serve http://127.0.0.1:8080
#   make test       the same set-up on its own cluster, then every test
#   make sanitize   unit tests built with ASan + UBSan
#   make bench      benchmarks (wrk through nginx, template renders)
#   make psql       psql on the blog's database (reads stdin when piped)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/fascia
SYSCONFDIR ?= $(PREFIX)/etc

CC ?= cc
PKGS := libpq libsodium inih libcmark fcgi libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-qual \
	-Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	-Wformat=2 -Wvla -Wimplicit-fallthrough
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT ?= -O2 -g
# -Isrc/tmpl: the template engine's ctemplate.h is included by its own
# name, as libctemplate's is.  -MMD -MP: each object depends on the headers
# it includes, and on nothing else.
FASCIA_CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) $(OPT) $(HARDEN) \
	-DSYSCONFDIR='"$(SYSCONFDIR)"' -Isrc -Isrc/tmpl $(PKG_CFLAGS)
DEPFLAGS = -MMD -MP
FASCIA_LDFLAGS := -pie -Wl,-z,relro,-z,now
LIBS := $(PKG_LIBS) -lpthread

BUILD ?= build
SRCS := $(wildcard src/*.c src/tmpl/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TESTS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test check sanitize bench clean install psql bootstrap \
	unit-tests format-check fuzz

all: $(BUILD)/fascia

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(FASCIA_CFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libfascia.a: $(OBJS)
	rm -f $@
	$(AR) rcs $@ $(OBJS)

$(BUILD)/fascia: $(BUILD)/obj/main.o $(BUILD)/libfascia.a
	$(CC) $(FASCIA_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfascia.a
	@mkdir -p $(@D)
	$(CC) $(FASCIA_CFLAGS) $(DEPFLAGS) $(CFLAGS) $(FASCIA_LDFLAGS) \
		$(LDFLAGS) -o $@ $< $(BUILD)/libfascia.a $(LIBS) -lcmocka

unit-tests: $(TESTS)

# The unit tests again, built with AddressSanitizer and UBSan.
sanitize:
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' \
		LDFLAGS='-fsanitize=address,undefined' HARDEN= unit-tests
	rm -rf build/tests-asan && cp -r build/asan/tests build/tests-asan

# Installs the Debian packages a target needs (as root), quickly when they
# are all there already.
bootstrap:
	@tools/bootstrap.sh all

run:
	@tools/bootstrap.sh run
	$(MAKE) all
	tools/stack.sh dev run

test:
	@tools/bootstrap.sh test
	$(MAKE) all unit-tests
	$(MAKE) sanitize
	tests/run.sh

check: test

# libFuzzer harnesses (clang), FUZZ_SECONDS each; make test runs them too.
fuzz:
	tests/fuzz/run.sh

bench:
	@tools/bootstrap.sh bench
	$(MAKE) all
	bench/run.sh

psql:
	@tools/stack.sh dev psql

format-check:
	clang-format --dry-run -Werror src/*.c src/*.h

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR)/fascia
	install -m 0755 $(BUILD)/fascia $(DESTDIR)$(BINDIR)/fascia
	cp -R templates static migrations $(DESTDIR)$(DATADIR)/
	test -e $(DESTDIR)$(SYSCONFDIR)/fascia/fascia.conf || \
		install -m 0644 conf/fascia.conf $(DESTDIR)$(SYSCONFDIR)/fascia/fascia.conf

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(BUILD)/obj/main.d $(TESTS:=.d)
