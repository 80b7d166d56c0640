// Package cluster runs clusters of hbgo nodes as real processes in network
// namespaces (tests/netlab) and checks membership and v1 failover end to
// end. The tests skip when not root or when the binaries are not built.
package cluster
