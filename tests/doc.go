// Package tests holds cross-package tests:
//
//   - netlab: the harness that builds throw-away clusters in network
//     namespaces (198.51.100.0/24) and runs hbgo or the reference
//     Heartbeat 3.0.6 on their nodes;
//   - cluster: hbgo-only clusters (takeover, failback, standby, failed
//     start/stop, ping loss, partitions, packet loss, detection times,
//     an optional idle soak run);
//   - interop: mixed clusters with the real Heartbeat 3.0.6 (every medium
//     and auth method, wrong keys, kill detection, failover both ways);
//   - configcheck: `heartbeat --check` against the real daemon's verdicts;
//   - upgrade: a converted haresources cluster places groups as v1 did;
//   - bench: benchmarks run by `make bench`, never by `make test`.
package tests
