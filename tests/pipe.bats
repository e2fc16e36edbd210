#!/usr/bin/env bats
# pipe.bats — pipes the tools read or write pcap through are widened to
# 1 MiB (lib/pipe.c: a 64 KiB pipe costs a cross-CPU wakeup per 64 KiB, and
# on a VM the pipeline ran 2-3 times slower, at times 20 times).  Checked
# with strace's record of fcntl calls and with the size a pipe ends with.
load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	CAP=$TD/demo-uplink.pcap
	# Every test runs a tool under strace, and LeakSanitizer cannot work
	# under ptrace (`make sanitize`): leaks are left to the other suites.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
}

@test "pipe: pcat widens the pipe it writes pcap into" {
	need strace
	strace -o "$T/st" -e trace=fcntl pcat "$CAP" | cat >"$T/out"
	[ "${PIPESTATUS[0]}" -eq 0 ]
	cmp "$T/out" <(pcat "$CAP")
	grep -q '^fcntl(1, F_SETPIPE_SZ, 1048576) *= 1048576' "$T/st"
}

@test "pipe: pflows and pfilter widen the pipe they read from" {
	need strace
	cat "$CAP" | strace -o "$T/st1" -e trace=fcntl pflows >/dev/null
	grep -q '^fcntl(0, F_SETPIPE_SZ, 1048576) *= 1048576' "$T/st1"
	cat "$CAP" | strace -o "$T/st2" -e trace=fcntl pfilter tcp >/dev/null
	grep -q '^fcntl(0, F_SETPIPE_SZ, 1048576) *= 1048576' "$T/st2"
}

# Only grown, never set again or shrunk: a pipe made 1 MiB wide before
# pfilter starts is asked for its size and left as it is.
@test "pipe: a pipe already wide is left as it is" {
	need strace
	need python3
	python3 - "$CAP" "$T/st" strace -o "$T/st" -e trace=fcntl "$PK_BIN/pfilter" tcp <<'PY'
import fcntl, os, subprocess, sys
F_SETPIPE_SZ = 1031
r, w = os.pipe()
fcntl.fcntl(w, F_SETPIPE_SZ, 1 << 20)
with open(sys.argv[1], "rb") as f:
    os.write(w, f.read())
os.close(w)
sys.exit(subprocess.run(sys.argv[3:], stdin=r, stdout=subprocess.DEVNULL).returncode)
PY
	grep -q '^fcntl(0, F_GETPIPE_SZ) *= 1048576' "$T/st"
	! grep -q 'F_SETPIPE_SZ' "$T/st"
}

@test "pipe: regular files and terminals are not touched" {
	need strace
	strace -o "$T/st" -e trace=fcntl pcat -w "$T/copy.pcap" "$CAP"
	cmp "$T/copy.pcap" <(pcat "$CAP")
	! grep -q 'PIPE_SZ' "$T/st"
}
