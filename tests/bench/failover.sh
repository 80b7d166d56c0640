#!/usr/bin/env bash
# failover.sh - failover time of hbgo's heartbeat against the REAL 3.0.6, in one run.
#
#   tests/bench/failover.sh [RUNS]        (root; make build first; default 10 runs)
#   SKIP_REAL=1 tests/bench/failover.sh   measures ours only
#
# Two nodes n1 n2 on a throw-away lab (../shared/lab/netns-lab.sh with a unique LAB_PREFIX),
# haresources "n1 hbtest", bcast eth0, sha1, ping node, auto_failback on. Per run: t0 = wall clock
# right before kill -9 of n1's daemon; failover = timestamp of the peer's next hbtest start-done
# minus t0. Then n1 restarts (a reboot: its hbtest state is gone), fails back, and 8 s pass so
# that it has left its start-up phase (a starting node advertises deadtime + 2 s for ~5 s).
# The real daemon is measured with the lab's own failover-bench.sh; ours with the same loop and the
# very ha.cf, authkeys and haresources that the lab generated for the real one.
# Configurations: keepalive 200ms / deadtime 1 / warntime 500ms / initdead 2 (real and ours),
# and ours alone at keepalive 50ms / deadtime 200ms / warntime 100ms.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need
RUNS=${1:-10}
export LAB_PREFIX=hbb$$-
W=$(mktemp -d /tmp/hbgo-failover.XXXXXX)
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    for n in n1 n2; do "$LAB/real-heartbeat.sh" cleanup $n "$W/real" >/dev/null 2>&1 || true; done
    "$LAB/netns-lab.sh" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
"$LAB/netns-lab.sh" up 2 >/dev/null 2>&1

gone() { local i; for ((i = 0; i < 500; i++)); do [[ -d /proc/$1 ]] || return 0; sleep 0.01; done; return 1; }

# ours_bench NAME TEMPLATE_DIR: the loop of failover-bench.sh for our daemon.
ours_bench() {
    local name=$1 tpl=$2 r c1 c2 t0 t1 ts t2 fo fb p1 p2
    ours_init "$W/$name/n1" n1 "$tpl"; ours_init "$W/$name/n2" n2 "$tpl"
    local L1=$W/$name/n1/log/hbtest.log L2=$W/$name/n2/log/hbtest.log
    p1=$(ours_start "$W/$name/n1" n1); p2=$(ours_start "$W/$name/n2" n2); PIDS+=("$p1" "$p2")
    wait_more "$L1" start-done 0 90 || die "$name: n1 never acquired hbtest"
    sleep 2
    for ((r = 1; r <= RUNS; r++)); do
        c2=$(lines "$L2" start-done)
        t0=$(date +%s.%N); kill -9 "$p1"
        if wait_more "$L2" start-done "$c2" 60; then
            t1=$(grep start-done "$L2" | tail -1 | awk '{print $1}'); fo=$(echo "$t1 - $t0" | bc -l)
        else fo=TIMEOUT; fi
        gone "$p1"; sleep 0.5
        c1=$(lines "$L1" start-done)
        ts=$(date +%s.%N); p1=$(ours_start "$W/$name/n1" n1); PIDS+=("$p1")
        if wait_more "$L1" start-done "$c1" 90; then
            t2=$(grep start-done "$L1" | tail -1 | awk '{print $1}'); fb=$(echo "$t2 - $ts" | bc -l)
        else fb=TIMEOUT; fi
        printf 'run %d failover_s %.3f failback_after_restart_s %s\n' "$r" "$fo" "$fb"
        sleep 8
    done
    kill -TERM "$p1" "$p2"; gone "$p1"; gone "$p2"
}

if [[ ${SKIP_REAL:-0} == 1 ]]; then   # ours only (the lab still writes the configuration)
    KEEPALIVE=200ms DEADTIME=1 WARNTIME=500ms INITDEAD=2 "$LAB/real-heartbeat.sh" init "$W/real" n1 n2 >/dev/null 2>&1
    : > "$W/real.txt"
else
    echo "== real heartbeat 3.0.6, keepalive 200ms deadtime 1 ($RUNS runs)" >&2
    KEEPALIVE=200ms DEADTIME=1 WARNTIME=500ms INITDEAD=2 "$LAB/failover-bench.sh" "$W/real" "$RUNS" \
        2>/dev/null | tee "$W/real.txt" >&2
fi
echo "== hbgo, same ha.cf" >&2
ours_bench ours200 "$W/real/n1/etc" | tee "$W/ours200.txt" >&2
mkdir -p "$W/tpl50"; cp "$W/real/n1/etc/"{ha.cf,authkeys,haresources} "$W/tpl50/"
sed -i -e 's/^keepalive .*/keepalive 50ms/' -e 's/^deadtime .*/deadtime 200ms/' \
    -e 's/^warntime .*/warntime 100ms/' "$W/tpl50/ha.cf"
echo "== hbgo, keepalive 50ms deadtime 200ms" >&2
ours_bench ours50 "$W/tpl50" | tee "$W/ours50.txt" >&2

row() { # label impl file target
    [[ -s $3 ]] || return 0
    local s; s=$(awk '$4 ~ /^[0-9.]+$/ {print $4}' "$3" | stats)
    local n; n=$(awk '$4 ~ /^[0-9.]+$/' "$3" | wc -l)
    printf '%-34s %-6s %4s  %s  %s\n' "$1" "$2" "$n" "$(echo "$s" | awk '{printf "%7.3f %7.3f %7.3f", $1, $2, $3}')" "$4"
}
echo
echo "failover: kill -9 of the active node -> hbtest start-done on the peer (seconds)"
printf '%-34s %-6s %4s  %7s %7s %7s  %s\n' config impl runs min median max target
row "ka 200ms dt 1s wt 500ms" real "$W/real.txt" ""
row "ka 200ms dt 1s wt 500ms" hbgo "$W/ours200.txt" "median <= 1.150"
row "ka 50ms dt 200ms wt 100ms" hbgo "$W/ours50.txt" "median < 0.400"
echo "(raw runs and logs in $W)"
