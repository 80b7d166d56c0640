// Package cluster runs clusters of hbgo nodes as real processes in network
// namespaces (tests/netlab) and checks membership and v1 failover end to
// end: cold start, kill -9 takeover, failback on and off, hb_standby and
// hb_takeover, graceful stop, failed start and failed stop of a resource,
// loss of the ping node, a partition (split brain), one of two media
// down, packet loss with retransmission, and issue 3's acceptance test of
// death detection over 20 kills. The tests skip when not root or when the
// binaries are not built (make build; HBGO_BIN or <repo>/bin).
//
//	go test -count=1 ./tests/cluster/     (about 3 minutes; -short skips)
package cluster
