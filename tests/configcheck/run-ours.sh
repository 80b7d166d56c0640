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
mkdir -p "$cfg" "$work/cwd"
files=("$case_dir/ha.cf")
[[ -f $case_dir/authkeys ]] && files+=("$case_dir/authkeys")
[[ -f $case_dir/haresources ]] && files+=("$case_dir/haresources")
cp "${files[@]}" "$cfg/" || exit 2
if [[ -f $cfg/authkeys ]]; then
  mode=0600
  [[ -f $case_dir/mode ]] && read -r mode < "$case_dir/mode"
  chmod "$mode" "$cfg/authkeys" || exit 2
fi

# One awk per step keeps a run cheap: the suite runs this hundreds of times.
# Node name: the `host` file, else the first `node` in ha.cf (as hb-real-check.sh).
host=""
[[ -f $case_dir/host ]] && read -r host < "$case_dir/host"
# First line: the first node name; then the interfaces named by media lines,
# extracted as hb-real-check.sh does (CRs dropped, comments cut, bcast/udp:
# every word, ucast/mcast/ucast6/mcast6: the first; commas split names;
# duplicates once).
mapfile -t found < <(awk '
  function add(s,   k, p, j) { k = split(s, p, ","); for (j = 1; j <= k; j++) if (p[j] != "" && !(p[j] in seen)) { seen[p[j]] = 1; list[++nl] = p[j] } }
  { gsub(/\r/, ""); sub(/#.*/, "") }
  $1 == "node" && first == "" { l = $0; gsub(",", " ", l); split(l, w, " "); first = w[2] }
  $1 == "bcast" || $1 == "udp" { for (i = 2; i <= NF; i++) add($i) }
  $1 == "ucast" || $1 == "mcast" || $1 == "ucast6" || $1 == "mcast6" { add($2) }
  END { print first; for (i = 1; i <= nl; i++) print list[i] }
' "$case_dir/ha.cf")
[[ -n $host ]] || host=${found[0]:-hbcheck}
ifs=("${found[@]:1}")

ip netns add "$ns" || { echo "run-ours.sh: cannot create namespace $ns" >&2; exit 2; }
# All links in one `ip -batch`: a dummy link, else (no dummy driver) a veth
# pair, as hb-real-check.sh does.  -force goes on past the expected failures
# (the veth attempt when the dummy worked; names the kernel refuses, which
# thus stay missing as for the real daemon).
{
  echo "link set lo up"
  n=1
  for i in "${ifs[@]}"; do
    [[ $n -le 16 ]] || break
    echo "link add $i type dummy"
    echo "link add $i type veth peer name hbpeer$n"
    echo "addr add 198.51.100.$((16 * (n - 1) + 1))/28 brd + dev $i"
    echo "link set $i up multicast on"
    echo "link set hbpeer$n up"
    n=$((n + 1))
  done
} | ip -n "$ns" -force -batch - >/dev/null 2>&1

# Run from an empty directory, as record.sh runs the real daemon.
cd "$work/cwd" || exit 2
ip netns exec "$ns" "$bin" --check --config-dir "$cfg" --node-name "$host" 2>&1
exit $?
