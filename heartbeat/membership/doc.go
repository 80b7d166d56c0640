// Package membership owns the liveness view of the cluster: which nodes
// and ping nodes are up or dead, which links to each node work, when a
// heartbeat is late and when a node has restarted.
//
// Membership is a pure state machine in the style of Heartbeat 3.0.6: no
// goroutines, no sockets, no clock. The driver feeds it decoded facts —
// Heartbeat (a status message arrived on a medium), PingReply (an ICMP
// echo came back from a ping node), Leave (a node sent shutdone),
// SetLocalStatus (our own init/up/active) — and
// calls Tick(now) regularly (every keepalive, or at NextDeadline); each
// call returns the Events it caused, in a deterministic order.
//
// Timing rules (heartbeat-wire.md §6, hacf-reference.md):
//   - a link (node, medium) is dead after OUR deadtime without a packet on it;
//   - a node is dead after the dt the PEER advertised in its last heartbeat
//     without a packet on any link (our deadtime when it advertised none);
//   - a node never heard is declared dead initdead after start;
//   - a heartbeat arriving more than warntime after the previous one is a
//     LateHeartbeat carrying the measured gap;
//   - a higher generation (hg) means the node restarted; a lower one is a
//     replay and is rejected;
//   - a shutdone is a NodeLeft at once; the node dies (reason shutdown) when
//     its dead time runs out after its last packet, as 3.0.6 does;
//   - ping nodes have status "ping"/"dead" and use deadping; a ping group
//     is one pseudo node that is up while any member answers;
//   - our own advertised dt is deadtime + 2 s for the first 5 s after
//     start, then deadtime (AdvertisedDeadtime).
//
// Event.LogText gives the line 3.0.6 logs for each event. The timing rules
// are checked against the real daemon by replaying its lab captures
// (capture_test.go) and its ha-log lines (logtext_test.go).
package membership
