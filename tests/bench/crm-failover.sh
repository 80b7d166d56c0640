#!/usr/bin/env bash
# crm-failover.sh - crm-mode failover figures of hbgo against issue 7's targets.
#
#   tests/bench/crm-failover.sh [RUNS]     (root; make build first; default 5 runs)
#
# Runs TestGroupPlacementAndFailover (tests/crm: three daemons in network namespaces, keepalive
# 200 ms, deadtime 1 s, an IPaddr2 + Dummy group with location preference) RUNS times and prints,
# per scenario, every figure and min/median/max:
#   (b) kill -9 of the node holding the group -> group running on another node (target deadtime + 1 s)
#   (c) kill -9 of the DC -> another node logs that it is the DC       (target deadtime + 300 ms)
# Real Pacemaker 2.1.5 + Corosync 3.1.7 in the same kind of lab, from the issue: 3.95 s median for (b)
# with token 1000 ms, 7.8 s with the default token.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-5}
[[ $(id -u) -eq 0 ]] || { echo "crm-failover.sh: must run as root (network namespaces)" >&2; exit 1; }
cd "$ROOT"
[[ -x bin/heartbeat ]] || { echo "crm-failover.sh: bin/heartbeat missing: run make build" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((i = 1; i <= RUNS; i++)); do
    HBGO_BIN=$ROOT/bin go test -count=1 -run '^TestGroupPlacementAndFailover$' -v ./tests/crm >>"$out" 2>&1 ||
        { tail -40 "$out"; exit 1; }
done
summary() { # LABEL PATTERN: the seconds before "after" on each matching line, sorted
    grep -E "$2" "$out" | sed -E 's/.* ([0-9.]+)(ms|s) after .*/\1 \2/' |
        awk '{ printf "%.3f\n", ($2 == "ms") ? $1 / 1000 : $1 }' | sort -n |
        awk -v label="$1" '{ a[++n] = $1 }
            END { if (n == 0) { print label ": no figure"; exit }
                  printf "%s over %d runs (s):", label, n
                  for (i = 1; i <= n; i++) printf " %s", a[i]
                  printf "\n  min %s  median %s  max %s\n", a[1], a[int((n + 1) / 2)], a[n] }'
}
summary "(b) kill -9 of the holder -> group elsewhere, target 2.0 s" '\(b\) group running'
summary "(c) kill -9 of the DC -> new DC, target 1.3 s" '\(c\) n[0-9] became DC'
