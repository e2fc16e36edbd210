#!/bin/sh
# tests/demo.sh — `make demo`: run the main job on captures in testdata/ and
# show the result.  The pipeline grows as commands land: pcat alone today,
# then pcat | pfilter | pflows.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
PATH=$top/bin:$PATH
a=testdata/demo-uplink.pcap
b=testdata/demo-wifi.pcapng
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { printf '\n$ %s\n' "$*"; sh -c "$*"; }

echo "pcapkit demo: two capture points (a pcap from the uplink, a nanosecond pcapng"
echo "from the Wi-Fi) merged by time, the web traffic kept, one line per connection."
if [ -x bin/pfilter ] && [ -x bin/pflows ]; then
	run "pcat -m $a $b | pfilter 'port 80' | pflows"
	exit 0
fi
run "pcat -m $a $b > $tmp/all.pcap"
printf '(%s bytes of pcap; magic %s = nanosecond resolution kept)\n' \
	"$(wc -c < "$tmp/all.pcap" | tr -d ' ')" "$(head -c 4 "$tmp/all.pcap" | od -An -tx1 | tr -d ' ')"
if pcat --help | grep -q -- ' -t'; then
	run "pcat -t $tmp/all.pcap | head -20"
elif command -v tcpdump >/dev/null 2>&1; then
	run "tcpdump -nn --nano -r $tmp/all.pcap 2>/dev/null | head -20"
else
	echo "(install tcpdump to see the packets: sudo apt-get install tcpdump)"
fi
run "pcat testdata/bad-cut.pcap > $tmp/kept.pcap || echo \"exit status \$?\""
