#!/usr/bin/env bash
# run-ours.sh - run OUR config check on one case under the conditions
# hb-real-check.sh gives the real daemon.
#
#   run-ours.sh CASE_DIR BIN
#
# CASE_DIR holds ha.cf, authkeys (mode in `mode`, default 0600), optionally
# haresources, and `host` (node name; default: first `node` in ha.cf).
# A uniquely named network namespace gets a dummy link for every interface
# that bcast/udp/ucast/mcast/ucast6/mcast6 lines name (addresses in
# 198.51.100.0/24, brd +), exactly the set hb-real-check.sh creates.  Then
#   BIN --check --config-dir DIR --node-name HOST
# runs inside it on a private copy of the files.  Prints BIN's output and exits
# with BIN's status (contract: 0 would start, 6 refused, 4 permission problem).
# Exit 2 = usage/setup error of this script.  Must run as root.
set -uo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 CASE_DIR BIN" >&2; exit 2; }
case_dir=$1; bin=$2
[[ -f $case_dir/ha.cf ]] || { echo "run-ours.sh: $case_dir/ha.cf missing" >&2; exit 2; }
[[ -x $bin ]] || { echo "run-ours.sh: $bin is not executable" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "run-ours.sh: must run as root" >&2; exit 2; }
bin=$(realpath "$bin")

ns=hbcc-$$-$RANDOM$RANDOM
work=$(mktemp -d /tmp/hbcc.XXXXXX)
cleanup() {
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cfg=$work/ha.d
mkdir -p "$cfg"
cp "$case_dir/ha.cf" "$cfg/ha.cf"
if [[ -f $case_dir/authkeys ]]; then
  cp "$case_dir/authkeys" "$cfg/authkeys"
  mode=0600; [[ -f $case_dir/mode ]] && mode=$(tr -d ' \n' < "$case_dir/mode")
  chmod "$mode" "$cfg/authkeys"
fi
[[ -f $case_dir/haresources ]] && cp "$case_dir/haresources" "$cfg/haresources"

if [[ -f $case_dir/host ]]; then
  host=$(head -n1 "$case_dir/host")
else
  host=$(tr -d '\r' < "$case_dir/ha.cf" | sed 's/#.*//' | awk '$1=="node"{ gsub(",", " "); print $2; exit }')
  host=${host:-hbcheck}
fi

# Same extraction as hb-real-check.sh.
ifs=$(tr -d '\r' < "$case_dir/ha.cf" | sed 's/#.*//' |
  awk '$1=="bcast"||$1=="udp"{for(i=2;i<=NF;i++)print $i} $1=="ucast"||$1=="mcast"||$1=="ucast6"||$1=="mcast6"{print $2}' |
  tr ',' '\n' | sort -u | tr '\n' ' ')

ip netns add "$ns" || { echo "run-ours.sh: cannot create namespace $ns" >&2; exit 2; }
ip -n "$ns" link set lo up
n=1
for i in $ifs; do
  # Names the kernel refuses (too long, ...) stay missing, as for the real daemon.
  ip -n "$ns" link add "$i" type dummy 2>/dev/null ||
    ip -n "$ns" link add "$i" type veth peer name "hbpeer$n" 2>/dev/null || continue
  ip -n "$ns" addr add "198.51.100.$((16 * (n - 1) + 1))/28" brd + dev "$i"
  ip -n "$ns" link set "$i" up multicast on
  ip -n "$ns" link set "hbpeer$n" up 2>/dev/null
  n=$((n + 1))
  [[ $n -le 16 ]] || break
done

# Run from an empty directory, as record.sh runs the real daemon.
mkdir -p "$work/cwd"
cd "$work/cwd" || exit 2
ip netns exec "$ns" "$bin" --check --config-dir "$cfg" --node-name "$host" 2>&1
exit $?
