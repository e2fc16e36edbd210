# pcapkit — build, test, bench, fuzz, install.
#
# Knobs (all may be set on the command line): CC, CFLAGS, CPPFLAGS, LDFLAGS,
# PREFIX, DESTDIR.  Sources are found by wildcard so that adding a file to
# lib/, cmd/, tests/unit/ or testdata/ needs no Makefile edit:
#   lib/*.c lib/*/*.c   -> lib/libpcapkit.a
#   cmd/NAME.c          -> bin/NAME   (cmd/cli*.c, the shared plumbing, are
#                                      linked into every command)
#   tests/unit/test_*.c -> build/unit/test_*   (run by `make test`)
#   testdata/gen_*.c    -> build/gen_*         (write the test captures)
#   tests/fuzz/fuzz_*.c -> build/fuzz/fuzz_*   (libFuzzer, `make fuzz`)

CC       ?= cc
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
PREFIX   ?= /usr/local
DESTDIR  ?=
VERSION  := 0.1.0

WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wvla
ALL_CPPFLAGS := -Iinclude -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L \
                -D_DEFAULT_SOURCE -DPK_VERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS   := $(WARN) $(CFLAGS)

B        := build
LIB      := lib/libpcapkit.a
LIB_SRC  := $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_SRC  := $(wildcard cmd/cli*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
CMD_SRC  := $(filter-out $(CLI_SRC),$(wildcard cmd/*.c))
CMDS     := $(patsubst cmd/%.c,bin/%,$(CMD_SRC))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNITS    := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
GEN_SRC  := $(wildcard testdata/gen_*.c)
GENS     := $(patsubst testdata/%.c,$(B)/%,$(GEN_SRC))
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOLS    := $(patsubst tests/tools/%.c,$(B)/tools/%,$(TOOL_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
MANS     := $(wildcard cmd/*.1)

# Keep the object files of generators, tools and unit tests between runs.
.SECONDARY:
.PHONY: all test unit bats demo bench install uninstall clean sanitize fuzz testdata tools
all: $(CMDS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

bin/%: $(B)/cmd/%.o $(CLI_OBJ) $(LIB)
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(LIB) -lm

$(B)/unit/%: $(B)/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) -lm

$(B)/gen_%: $(B)/testdata/gen_%.o $(B)/testdata/pktbuild.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lm

$(B)/tools/%: $(B)/tests/tools/%.o $(B)/testdata/pktbuild.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lm

tools: $(TOOLS) $(GENS)

# Regenerate the committed captures (tests check that this is a no-op).
testdata: $(GENS)
	@for g in $(GENS); do $$g testdata || exit 1; done

unit: $(UNITS)
test: all $(UNITS) $(TOOLS) $(GENS)
	@sh tests/run

demo: all
	@sh tests/demo.sh

bench: all $(TOOLS)
	@sh tests/bench/run

sanitize:
	$(MAKE) B=build-san LIB=build-san/libpcapkit.a CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" BINDIR=build-san/bin test-san

# The sanitizer build puts its binaries in build-san/bin and runs the suite on them.
BINDIR ?= bin
test-san: $(patsubst bin/%,$(BINDIR)/%,$(CMDS)) $(UNITS) $(TOOLS) $(GENS)
	@PK_BIN=$(abspath $(BINDIR)) PK_BUILD=$(abspath $(B)) sh tests/run

$(BINDIR)/%: $(B)/cmd/%.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(BINDIR)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(LIB) -lm

FUZZ_SECONDS ?= 60
fuzz:
	@sh tests/fuzz.sh $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/pcapkit \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(CMDS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MANS) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/pcapkit/*.h $(DESTDIR)$(PREFIX)/include/pcapkit/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' lib/pcapkit.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/pcapkit.pc
	for c in $(notdir $(CMDS)); do \
	  if [ -f cmd/$$c.bash ]; then install -m 644 cmd/$$c.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$c; fi; done

uninstall:
	for c in $(notdir $(CMDS)); do rm -f $(DESTDIR)$(PREFIX)/bin/$$c \
	  $(DESTDIR)$(PREFIX)/share/man/man1/$$c.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$c; done
	rm -f $(DESTDIR)$(PREFIX)/lib/libpcapkit.a $(DESTDIR)$(PREFIX)/lib/pkgconfig/pcapkit.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/pcapkit

clean:
	rm -rf $(B) build-san bin $(LIB)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
