// Package netlab builds throw-away clusters for the multi-node tests: one
// network namespace per node joined by a bridge in its own namespace, with
// addresses in 198.51.100.0/24 (nodes .1, .2, ..., a ping target at .254),
// names unique per run and everything removed in t.Cleanup. It starts
// hbgo's heartbeat in a node's namespace, or the reference Heartbeat 3.0.6
// through the lab's real-heartbeat.sh, and offers the faults the tests
// need: kill -9, link down, random packet loss.
package netlab
