#!/usr/bin/env bash
# Stand-in for `heartbeat --check` used by TestRunOursHarness: reports its
# arguments, the files and interfaces it sees, and exits with the status named
# by a "# fake-rc N" line in ha.cf.
set -u
echo "args=$*"
dir=""; node=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --config-dir) dir=$2; shift 2 ;;
    --node-name) node=$2; shift 2 ;;
    *) shift ;;
  esac
done
echo "node-name=$node"
echo "cwd=$PWD"
echo "netns=$(ip netns identify $$)"
echo "authkeys-mode=$(stat -c %a "$dir/authkeys")"
[[ -f $dir/haresources ]] && echo haresources=present || echo haresources=absent
for i in $(ls /sys/class/net); do echo "if=$i "; done
ip -o -4 addr show
rc=$(sed -n 's/^# fake-rc \([0-9]*\).*/\1/p' "$dir/ha.cf")
exit "${rc:-1}"
