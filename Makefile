# fascia: a blog engine in C (nginx -> FastCGI -> PostgreSQL).
#
#   make            build build/fascia
#   make run        set up everything and serve http://127.0.0.1:8080
#   make test       the same set-up on its own cluster, then every test
#   make test-cluster  a primary and a hot standby on loopback (make test
#                   runs it too)
#   make sanitize   unit tests built with ASan + UBSan
#   make bench      benchmarks (wrk through nginx, template renders)
#   make psql       psql on the blog's database (reads stdin when piped)
#   make format     clang-format every C file (make format-check checks)
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall undoes it)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/fascia
# Debian's packages keep their config in /etc: so does PREFIX=/usr.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
DOCDIR ?= $(PREFIX)/share/doc/fascia
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(DATADIR)/systemd

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
	-DSYSCONFDIR='"$(SYSCONFDIR)"' -DDATADIR='"$(DATADIR)"' -Isrc -Isrc/tmpl $(PKG_CFLAGS)
DEPFLAGS = -MMD -MP
FASCIA_LDFLAGS := -pie -Wl,-z,relro,-z,now
LIBS := $(PKG_LIBS) -lpthread

BUILD ?= build
SRCS := $(wildcard src/*.c src/tmpl/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TESTS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test test-cluster check sanitize bench clean install uninstall psql \
	bootstrap unit-tests format format-check fuzz

all: $(BUILD)/fascia

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(FASCIA_CFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@

# The two objects that hold the installed paths (the config's default
# path, the share directory) are built again when the paths change.
$(BUILD)/obj/main.o $(BUILD)/obj/conf.o: $(BUILD)/install-paths
$(BUILD)/install-paths: FORCE
	@mkdir -p $(@D)
	@echo 'SYSCONFDIR=$(SYSCONFDIR) DATADIR=$(DATADIR)' >$@.new
	@$(call replace-if-changed,$@)
FORCE:

# replace-if-changed FILE: FILE.new becomes FILE only when their texts
# differ, so that what depends on FILE is not made again for nothing
replace-if-changed = cmp -s $(1).new $(1) && rm -f $(1).new || mv -f $(1).new $(1)

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

test-cluster: all
	@tools/bootstrap.sh test
	tests/cluster/run.sh

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

# Every C file of the tree, formatted by .clang-format.  make test runs
# the check (tests/tree/run.py).
FORMATTED = src/*.[ch] src/tmpl/*.[ch] tests/unit/*.c tests/fuzz/*.c bench/*.c

format:
	clang-format -i $(FORMATTED)

format-check:
	clang-format --dry-run -Werror $(FORMATTED)

# The deployment's nginx files, $(BUILD)/nginx/nginx-http.conf and
# nginx-site.conf: tools/fill-template.sh fills in the templates
# conf/nginx-*.conf.in with these values (tools/stack.sh fills them in with
# the dev and test stacks' own).  Written by every make, since the values
# follow PREFIX and DATADIR; a file is replaced only when its text changes.
NGINX_LISTEN ?= 80
NGINX_LISTEN_V6 ?= listen [::]:80;
NGINX_SERVER_NAME ?= blog.example.com
NGINX_FASCIA_SOCKET ?= /run/fascia/fascia.sock
# more instances: whole upstream lines ("server unix:/run/fascia2.sock;")
NGINX_MORE_INSTANCES ?=
NGINX_STATIC_DIR ?= $(DATADIR)/static
NGINX_FASTCGI_PARAMS ?= fastcgi_params
NGINX_COMMENT_RATE ?= 10r/m
NGINX_COMMENT_BURST ?= 5
NGINX_CACHE_DIR ?= /var/cache/nginx/fascia
NGINX_PAGE_CACHE_DIR ?= /var/cache/fascia

.PHONY: nginx-conf
all: nginx-conf

nginx-conf:
	@mkdir -p $(BUILD)/nginx
	@tools/fill-template.sh -o $(BUILD)/nginx/nginx-http.conf conf/nginx-http.conf.in \
		COMMENT_RATE='$(NGINX_COMMENT_RATE)' NGINX_CACHE_DIR='$(NGINX_CACHE_DIR)'
	@tools/fill-template.sh -o $(BUILD)/nginx/nginx-site.conf conf/nginx-site.conf.in \
		LISTEN='$(NGINX_LISTEN)' LISTEN_V6='$(NGINX_LISTEN_V6)' \
		SERVER_NAME='$(NGINX_SERVER_NAME)' FASCIA_SOCKET='$(NGINX_FASCIA_SOCKET)' \
		MORE_INSTANCES='$(NGINX_MORE_INSTANCES)' \
		STATIC_DIR='$(NGINX_STATIC_DIR)' FASTCGI_PARAMS='$(NGINX_FASTCGI_PARAMS)' \
		COMMENT_BURST='$(NGINX_COMMENT_BURST)' STACK_INCLUDE= \
		PAGE_CACHE_DIR='$(NGINX_PAGE_CACHE_DIR)'

# The systemd units and the installed config, with their paths following
# PREFIX: the units name the binary, the config and the docs; the config
# names the share directory (conf/fascia.conf documents the default's).
.PHONY: units etc-conf man-pages
all: units etc-conf man-pages

units:
	@mkdir -p $(BUILD)/systemd
	@tools/fill-template.sh -o $(BUILD)/systemd/fascia.service \
		conf/fascia.service.in BINDIR='$(BINDIR)' \
		SYSCONFDIR='$(SYSCONFDIR)' DOCDIR='$(DOCDIR)' UNITDIR='$(UNITDIR)'
	@tools/fill-template.sh -o $(BUILD)/systemd/fascia.socket \
		conf/fascia.socket.in DOCDIR='$(DOCDIR)' UNITDIR='$(UNITDIR)'
	@tools/fill-template.sh -o $(BUILD)/systemd/fascia-backup.service \
		conf/fascia-backup.service.in DOCDIR='$(DOCDIR)' \
		UNITDIR='$(UNITDIR)' DATADIR='$(DATADIR)' SYSCONFDIR='$(SYSCONFDIR)'
	@tools/fill-template.sh -o $(BUILD)/systemd/fascia-backup.timer \
		conf/fascia-backup.timer.in DOCDIR='$(DOCDIR)' UNITDIR='$(UNITDIR)'
	@$(call with-paths,tools/fascia-backup.sh,$(BUILD)/fascia-backup.sh)

# The sources name the default PREFIX's paths; the installed copies name
# their own.
INSTALL_PATHS_SED = s|/usr/local/share/fascia|$(DATADIR)|g; \
	s|/usr/local/share/doc/fascia|$(DOCDIR)|g; \
	s|/usr/local/etc|$(SYSCONFDIR)|g; s|$$(PREFIX)/etc|$(SYSCONFDIR)|g; \
	s|/usr/local/bin|$(BINDIR)|g
# with-paths SOURCE TARGET: TARGET, rewritten only when its text changes
with-paths = sed '$(INSTALL_PATHS_SED)' $(1) >$(2).new && \
	{ $(call replace-if-changed,$(2)); }

etc-conf:
	@mkdir -p $(BUILD)
	@$(call with-paths,conf/fascia.conf,$(BUILD)/fascia.conf)

man-pages:
	@mkdir -p $(BUILD)/man
	@$(call with-paths,man/fascia.8,$(BUILD)/man/fascia.8)
	@$(call with-paths,man/fascia.conf.5,$(BUILD)/man/fascia.conf.5)

INSTALL_DIRS = DESTDIR='$(DESTDIR)' BINDIR='$(BINDIR)' DATADIR='$(DATADIR)' \
	SYSCONFDIR='$(SYSCONFDIR)' DOCDIR='$(DOCDIR)' MANDIR='$(MANDIR)' \
	UNITDIR='$(UNITDIR)' BUILD='$(BUILD)'

install: all
	$(INSTALL_DIRS) tools/install.sh install

uninstall:
	$(INSTALL_DIRS) tools/install.sh uninstall

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(BUILD)/obj/main.d $(TESTS:=.d)
