#!/bin/sh
# Regenerates the *.events files from the lab captures of the real
# Heartbeat 3.0.6 (shared/lab/captures): one line per status, shutdone and
# stonith message as seen on the wire:
#   <seconds> status <src> <st> <dt hex> <hg hex>
#   <seconds> shutdone <src>
#   <seconds> stonith <src> <dead node> <result>
# Usage: extract.sh /work/shared/lab
set -e
lab=${1:?usage: extract.sh SHARED_LAB_DIR}
for c in bcast-sha1-ka1s bcast-sha1-ka200ms mcast-md5-ipaddr2 ucast-crc-rexmit; do
	python3 "$lab/hbwire.py" decode "$lab/captures/$c.pcap" | awk '
	{ delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) } }
	f["t"] == "status"   { print $1, "status", f["src"], f["st"], f["dt"], f["hg"] }
	f["t"] == "shutdone" { print $1, "shutdone", f["src"] }
	f["t"] == "stonith"  { print $1, "stonith", f["src"], f["node"], f["result"] }
	' > "$c.events"
done
