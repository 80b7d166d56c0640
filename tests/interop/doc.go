// Package interop holds the acceptance tests of a rolling upgrade: hbgo's
// heartbeat and the reference Heartbeat 3.0.6 in one cluster (network
// namespaces from tests/netlab), checking membership on every medium and
// authentication method, rejection of a wrong key, death detection after
// kill -9, and v1 resource failover in both directions. The tests skip
// when not root, or when the reference daemon, the shared lab scripts or
// our binaries are absent.
package interop
