#!/usr/bin/env bash
# idle.sh - idle CPU and memory of hbgo's heartbeat next to the REAL 3.0.6, in one run.
#
#   tests/bench/idle.sh [SECONDS]        (root; make build first; default 60 s)
#
# Two labs side by side (unique LAB_PREFIXes): the real daemon on two nodes through the lab's own
# idle-usage.sh, and ours on two nodes with the same ha.cf (keepalive 200ms, deadtime 1,
# warntime 0.5, initdead 2, bcast, sha1, ping node, haresources "n1 hbtest"). Both are measured in
# the same wall-clock window by the method of idle-usage.sh: after resource acquisition + 10 s,
# utime+stime (/proc/PID/stat) and VmRSS / Pss (smaps_rollup) of every process of a node, then
# again SECONDS later. The real daemon has 6 processes per node; ours has one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need
S=${1:-60}
A=hbi$$a- B=hbi$$b-
W=$(mktemp -d /tmp/hbgo-idle.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    for n in n1 n2; do LAB_PREFIX=$A "$LAB/real-heartbeat.sh" cleanup $n "$W/real" >/dev/null 2>&1 || true; done
    LAB_PREFIX=$A "$LAB/netns-lab.sh" down >/dev/null 2>&1 || true
    LAB_PREFIX=$B "$LAB/netns-lab.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
export KEEPALIVE=200ms DEADTIME=1 WARNTIME=0.5 INITDEAD=2
LAB_PREFIX=$A "$LAB/netns-lab.sh" up 2 >/dev/null 2>&1
LAB_PREFIX=$B "$LAB/netns-lab.sh" up 2 >/dev/null 2>&1
LAB_PREFIX=$B "$LAB/real-heartbeat.sh" init "$W/tpl" n1 n2 >/dev/null 2>&1

# The real pair, measured by the lab's script, in the background.
LAB_PREFIX=$A "$LAB/idle-usage.sh" "$W/real" "$S" > "$W/real.txt" 2>/dev/null &
REAL=$!

# Ours, in the same window.
export LAB_PREFIX=$B
for n in n1 n2; do ours_init "$W/ours/$n" $n "$W/tpl/n1/etc"; done
for n in n1 n2; do p=$(ours_start "$W/ours/$n" $n); PIDS+=("$p"); echo "$n $p" >> "$W/ours.pids"; done
wait_more "$W/ours/n1/log/hbtest.log" start-done 0 60 || die "our n1 never acquired hbtest"
sleep 10
TCK=$(getconf CLK_TCK)
snap() { while read -r n p; do
    for q in $p $(pgrep -P "$p" || true); do
        [[ -r /proc/$q/stat ]] || continue
        echo "$n $q $(awk '{print $14+$15}' /proc/$q/stat) $(awk '/^VmRSS/{print $2}' /proc/$q/status) $(awk '/^Pss:/{print $2}' /proc/$q/smaps_rollup) $(tr '\0' ' ' </proc/$q/cmdline | awk '{print $1}')"
    done; done < "$W/ours.pids"; }
snap > "$W/ours.snap0"; sleep "$S"; snap > "$W/ours.snap1"
awk -v T="$TCK" -v S="$S" 'NR==FNR{c0[$2]=$3; next} ($2 in c0){
    d=($3-c0[$2])/T; printf "%s pid %-7s cpu %.2fs (%.3f%%) rss %6d kB pss %6s kB  %s\n",$1,$2,d,100*d/S,$4,$5,$6;
    cpu[$1]+=d; rss[$1]+=$4; pss[$1]+=$5 }
    END{for(n in cpu) printf "TOTAL %s cpu %.2fs over %ds = %.3f%% of one core, rss sum %d kB, pss sum %d kB\n",n,cpu[n],S,100*cpu[n]/S,rss[n],pss[n]}' \
    "$W/ours.snap0" "$W/ours.snap1" > "$W/ours.txt"
wait "$REAL" || die "idle-usage.sh of the real daemon failed (see $W)"

echo "== real heartbeat 3.0.6 (per process)"; cat "$W/real.txt"
echo "== hbgo (per process)"; cat "$W/ours.txt"
echo
echo "idle over ${S}s at keepalive 200ms, per node"
printf '%-6s %-4s %8s %8s %10s %10s\n' impl node cpu_s cpu_pct rss_kB pss_kB
for f in real ours; do
    awk -v impl=$([[ $f == real ]] && echo real || echo hbgo) '$1=="TOTAL"{
        printf "%-6s %-4s %8s %8.3f %10s %10s\n", impl, $2, substr($4,1,length($4)-1), $8+0, $14, $18 }' "$W/$f.txt" | sort -k2
done
echo "(raw samples in $W)"
