#!/bin/bash
# Scheduler benchmark: hbgo's crm_simulate --normalized vs Pacemaker's
# crm_simulate -x CIB -R -Q on generated CIBs of 4x50, 16x500 and 32x2000
# (nodes x resources), same files, same run. Prints wall time and peak RSS.
#   REAL_LIMIT=SEC  time limit for one real crm_simulate run (default 300);
#                   a run over the limit is reported as "timeout".
#   SKIP_REAL=1     do not run the real crm_simulate at all.
#   SKIP_REAL_LARGE=1  skip only the real 32x2000 run (it takes minutes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
cd "$repo"
go build -o "$tmp/hbgo_crm_simulate" ./crm/cmd/crm_simulate
go test ./tests/bench/scheduler -count=1 -run TestWriteCIBs -args -bench.out "$tmp" >/dev/null

# measure LIMIT CMD...: prints "seconds maxrss_kb" (or "timeout -"/"failed -");
# wall time from the clock in ms (time(1) rounds to 10 ms), peak RSS from time(1).
measure() {
    local limit=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    if /usr/bin/time -f '%M' -o "$tmp/time" timeout "$limit" "$@" >/dev/null 2>"$tmp/err"; then
        t1=$(date +%s%N)
        echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{ printf "%.3f", (b-a)/1e9 }') $(tail -n 1 "$tmp/time")"
    elif grep -q 'status 124' "$tmp/time"; then
        echo "timeout -"
    else
        echo "failed -"
    fi
}

printf '%-9s %12s %12s %12s %12s %9s\n' size hbgo_s hbgo_MB pcmk_s pcmk_MB speedup
for size in 4x50 16x500 32x2000; do
    cib="$tmp/$size.xml"
    read -r hs hk < <(measure 600 "$tmp/hbgo_crm_simulate" --normalized -x "$cib")
    if [ "${SKIP_REAL:-0}" = 1 ] || ! command -v crm_simulate >/dev/null ||
        { [ "${SKIP_REAL_LARGE:-0}" = 1 ] && [ "$size" = 32x2000 ]; }; then
        ps=skipped; pk=-
    else
        read -r ps pk < <(CIB_shadow_dir="$tmp" measure "${REAL_LIMIT:-300}" crm_simulate -x "$cib" -R -Q)
    fi
    hm=$(awk -v k="$hk" 'BEGIN{ if (k ~ /^[0-9]+$/) printf "%.1f", k/1024; else print "-" }')
    pm=$(awk -v k="$pk" 'BEGIN{ if (k ~ /^[0-9]+$/) printf "%.1f", k/1024; else print "-" }')
    sp=$(awk -v a="$hs" -v b="$ps" 'BEGIN{ if (a+0 > 0 && b ~ /^[0-9.]+$/) printf "%.1fx", b/a; else print "-" }')
    printf '%-9s %12s %12s %12s %12s %9s\n' "$size" "$hs" "$hm" "$ps" "$pm" "$sp"
done
