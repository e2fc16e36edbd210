#!/bin/sh
# tests/fuzz.sh — `make fuzz`: build every tests/fuzz/fuzz_*.c harness with
# clang -fsanitize=fuzzer,address,undefined against the library sources and
# run each for FUZZ_SECONDS (first argument, default 60).  Seeds come from
# testdata/ (and the shared corpus when present); crashes are left in
# build/fuzz/crash-* and make the script fail.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=${1:-${FUZZ_SECONDS:-60}}
out=build/fuzz
CC=${FUZZ_CC:-clang}
mkdir -p "$out"
command -v "$CC" >/dev/null 2>&1 || { echo "fuzz.sh: $CC not installed (sudo apt-get install clang)" >&2; exit 2; }
flags="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -Iinclude -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPK_VERSION=\"fuzz\""
libsrc=$(ls lib/*.c lib/*/*.c 2>/dev/null || true)
status=0
for h in tests/fuzz/fuzz_*.c; do
	[ -f "$h" ] || continue
	name=$(basename "$h" .c)
	echo "# building $name"
	# shellcheck disable=SC2086
	$CC $flags -o "$out/$name" "$h" $libsrc -lm
	seeds=$out/$name.seeds
	mkdir -p "$seeds" "$out/$name.corpus"
	for f in testdata/*.pcap testdata/*.pcapng; do
		[ -f "$f" ] && cp "$f" "$seeds/" 2>/dev/null || true
	done
	echo "# running $name for ${secs}s"
	if ! (cd "$out" && "./$name" -max_total_time="$secs" -max_len=65536 \
	        -artifact_prefix="./$name-" "$name.corpus" "$name.seeds" \
	        >"$name.log" 2>&1); then
		echo "FAIL: $name (see $out/$name.log and $out/$name-crash-*)"
		tail -30 "$out/$name.log"
		status=1
	else
		grep -E '^#[0-9]+.*(DONE|pulse)' "$out/$name.log" | tail -1 || true
	fi
done
exit $status
