// Package interop holds the acceptance tests of a rolling upgrade: hbgo's
// heartbeat and the reference Heartbeat 3.0.6 in one two-node cluster
// (network namespaces from tests/netlab; 3.0.6 through netlab.RealNode),
// with the same ha.cf, authkeys and haresources on both sides:
//
//   - TestMixedMembership: each sees the other active on bcast+sha1,
//     mcast+md5 and ucast+crc, with 3.0.6 as n1 and as n2;
//   - TestWrongKeyRejected: another secret is refused by both, with a log
//     line on each side, and neither ever sees the other active;
//   - TestKillDetected: kill -9 of either side is declared dead within
//     deadtime 1 s + keepalive 200 ms (3.0.6 gets a wider bound: its own
//     figure varies more, see the test);
//   - TestMixedFailover: v1 takeover, failback and graceful hand-over both
//     ways, each daemon as the group's home node, with the shared hbtest
//     event log proving the group never runs twice at once;
//   - TestMixedStandby: hb_standby / hb_takeover of either daemon move the
//     group across;
//   - TestMixedRetransmit: under 20 % loss each side gets its gaps
//     retransmitted by the other.
//
// Every case also fails on an ERROR or CRIT line in either daemon's log
// that is not known to be harmless. The tests skip when not root or when
// the reference daemon, /work/shared/lab or our binaries (make build) are
// absent. Run: make build && HBGO_BIN=$PWD/bin go test -count=1 -v ./tests/interop/
package interop
