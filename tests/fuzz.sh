#!/bin/sh
# tests/fuzz.sh — `make fuzz`: build every tests/fuzz/fuzz_*.c harness with
# clang -fsanitize=fuzzer,address,undefined against the library sources and
# run each for FUZZ_SECONDS (first argument, default 60), one at a time.
#
# Seeds: tests/fuzz/seeds/NAME/ when it exists (text harnesses: filter,
# expect), else testdata's captures (and the shared corpus's small ones when
# present).  Regression inputs in tests/fuzz/regress/NAME/ are run first and
# must pass.  Crashes are left in build/fuzz/NAME-crash-* and make the script
# fail.  FUZZ_ONLY="pcap filter" picks harnesses; FUZZ_JOBS is not offered:
# the machines this runs on are shared.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-${FUZZ_SECONDS:-60}}
out=build/fuzz
CC=${FUZZ_CC:-clang}
mkdir -p "$out/obj"
command -v "$CC" >/dev/null 2>&1 || { echo "fuzz.sh: $CC not installed (sudo apt-get install clang)" >&2; exit 2; }
cppflags="-Iinclude -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPK_VERSION=\"fuzz\""
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=c11 -g -O1 $san"

# The library once, instrumented for coverage (fuzzer-no-link).
objs=
for src in lib/*.c lib/*/*.c; do
	[ -f "$src" ] || continue
	o=$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find include lib -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		# shellcheck disable=SC2086
		$CC $cflags -fsanitize=fuzzer-no-link $cppflags -c -o "$o" "$src"
	fi
	objs="$objs $o"
done

status=0
for h in tests/fuzz/fuzz_*.c; do
	[ -f "$h" ] || continue
	name=$(basename "$h" .c)
	short=${name#fuzz_}
	if [ -n "${FUZZ_ONLY:-}" ]; then
		case " $FUZZ_ONLY " in *" $short "*|*" $name "*) ;; *) continue ;; esac
	fi
	echo "# building $name"
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer $cppflags -o "$out/$name" "$h" $objs -lm
	seeds=$out/$name.seeds
	rm -rf "$seeds"
	mkdir -p "$seeds" "$out/$name.corpus"
	if [ -d "tests/fuzz/seeds/$short" ]; then
		cp tests/fuzz/seeds/"$short"/* "$seeds/"
	else
		for f in testdata/*.pcap testdata/*.pcapng tests/fuzz/regress/*/*; do
			[ -f "$f" ] && cp "$f" "$seeds/" 2>/dev/null || true
		done
	fi
	if [ -d "tests/fuzz/regress/$short" ]; then
		echo "# regression inputs of $name"
		if ! "$out/$name" tests/fuzz/regress/"$short"/* >"$out/$name.regress.log" 2>&1; then
			echo "FAIL: $name on a regression input (see $out/$name.regress.log)"
			tail -30 "$out/$name.regress.log"
			status=1
			continue
		fi
	fi
	echo "# running $name for ${secs}s"
	if ! (cd "$out" && "./$name" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	        -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix="./$name-" "$name.corpus" "$name.seeds" \
	        >"$name.log" 2>&1); then
		echo "FAIL: $name (see $out/$name.log and $out/$name-crash-*)"
		tail -30 "$out/$name.log"
		status=1
	else
		grep -E '^#[0-9]+.*(DONE|pulse)' "$out/$name.log" | tail -1 || true
		grep -E '^stat::number_of_executed_units' "$out/$name.log" || true
	fi
done
exit $status
