#!/usr/bin/env bash
# detection.sh - how fast hbgo's heartbeat declares a killed peer dead, against issue 3's target.
#
#   tests/bench/detection.sh        (root; network namespaces)
#
# Runs the netns test TestIssue3DeathDetection (two nodes, keepalive 100 ms, deadtime 500 ms,
# 5% packet loss on both, 20 rounds of kill -9 and restart) and prints its figures: every
# kill -> "node n1: is dead" delay, min/median/p90/max, and whether all of them are within
# deadtime + keepalive (600 ms). The test itself asserts only behaviour (every death seen,
# none early, no false death); the figures are this script's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "detection.sh: must run as root (network namespaces)" >&2; exit 1; }
cd "$ROOT"
out=$(go test -count=1 -run '^TestIssue3DeathDetection$' -v ./tests/cluster 2>&1) || { echo "$out" | tail -40; exit 1; }
echo "$out" | grep -E 'kill -> |min .* median|target:' | sed -e 's/^ *[a-z_]*_test.go:[0-9]*: //'
