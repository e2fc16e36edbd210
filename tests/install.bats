#!/usr/bin/env bats
# install.bats — make install / uninstall into a DESTDIR, pkg-config, man pages.
load helpers

setup() { TMP=$(mktemp -d); }
# Run the tree's Makefile as a user would, not with the variables of an
# enclosing make (the sanitizer build passes B=, LIB=, CC= down).
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$PK_TOP" "$@"; }
teardown() { rm -rf "$TMP"; }

@test "make install puts binaries, man pages, library, headers, pkg-config and completions under DESTDIR" {
	[ -f "$PK_TOP/Makefile" ] || skip "no source tree"
	run mk install DESTDIR="$TMP/root" PREFIX=/usr
	[ "$status" -eq 0 ]
	r=$TMP/root/usr
	[ -x "$r/bin/pcat" ]
	[ -f "$r/share/man/man1/pcat.1" ]
	[ -f "$r/lib/libpcapkit.a" ]
	[ -f "$r/include/pcapkit/reader.h" ]
	[ -f "$r/share/bash-completion/completions/pcat" ]
	grep -q '^prefix=/usr$' "$r/lib/pkgconfig/pcapkit.pc"
	# Every command that has a man page and completion got them installed.
	for c in "$PK_TOP"/cmd/*.1; do [ -f "$r/share/man/man1/$(basename "$c")" ]; done
}

@test "the installed library links through pkg-config and reads a capture" {
	need pkg-config
	need cc
	mk install DESTDIR= PREFIX="$TMP/root/usr" >/dev/null
	cat > "$TMP/t.c" <<'C'
#include <stdio.h>
#include <pcapkit/reader.h>
int main(int argc, char **argv) {
	char err[PK_ERRBUF]; struct pk_pkthdr h; const uint8_t *d; int n = 0;
	struct pk_reader *r = pk_reader_open(argv[argc - 1], err);
	if (!r) return 1;
	while (pk_reader_next(r, &h, &d) == 1) n++;
	printf("%d\n", n); pk_reader_close(r); return 0;
}
C
	PKG_CONFIG_PATH=$TMP/root/usr/lib/pkgconfig
	export PKG_CONFIG_PATH
	cc $(pkg-config --cflags pcapkit) -o "$TMP/t" "$TMP/t.c" $(pkg-config --libs pcapkit)
	[ "$("$TMP/t" "$TD/core-eth-us.pcap")" = 16 ]
}

@test "the man page SYNOPSIS matches --help" {
	need man
	for m in "$PK_TOP"/cmd/*.1; do
		c=$(basename "$m" .1)
		[ -x "$PK_BIN/$c" ] || continue
		syn=$(MANWIDTH=200 man -l "$m" 2>/dev/null | sed -n '/^SYNOPSIS/{n;p;}' | sed 's/^ *//')
		use=$("$PK_BIN/$c" --help | sed -n '1s/^Usage: //p')
		[ "$syn" = "$use" ] || { echo "$c: '$syn' vs '$use'"; false; }
	done
}

@test "the bash completion offers every long option of --help" {
	for b in "$PK_TOP"/cmd/*.bash; do
		c=$(basename "$b" .bash)
		[ -x "$PK_BIN/$c" ] || continue
		for o in $("$PK_BIN/$c" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "$o" "$b" || { echo "$c: $o missing from $b"; false; }
		done
	done
}

@test "make uninstall removes what install put" {
	mk install DESTDIR="$TMP/root" PREFIX=/usr >/dev/null
	mk uninstall DESTDIR="$TMP/root" PREFIX=/usr >/dev/null
	[ -z "$(find "$TMP/root" -type f)" ]
}
