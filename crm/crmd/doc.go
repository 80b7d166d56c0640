// Package crmd owns the `crm on` runtime of one node: it drives the
// controller (CRM membership, DC election, CIB replication) from the
// heartbeat daemon's event loop and, on the DC, turns each Schedule into a
// transition (policy engine, graph, transition engine over lrmproxy) whose
// results are written back into the CIB status, with fail counts kept
// through attrd. Every node also executes the operations the DC sends it
// (lrmproxy.Node) and reports its failed recurring monitors.
//
// All state is single-threaded: the daemon calls HeartbeatEvent, Deliver,
// Tick and Do from its loop. Work that blocks (transitions, probes, resource
// operations, sends from those goroutines, tools' CIB requests) runs in
// goroutines that post their results as Work on the channel returned by
// Work; the daemon hands each item back to Do.
//
// Fencing (fencer.go): every node's operations on class="stonith"
// resources go to its own fencer instead of an agent: start opens the
// device (package stonith's registry) and registers it, stop unregisters
// it, a monitor checks it. The DC fences with the devices registered on
// it, then with ha.cf's stonith devices; when a split could make both
// sides fence (SplitCanFence), a lower-ranked node waits FenceDelay
// before fencing a higher-ranked one.
//
// The pure parts (what the CIB must say about the membership, how results
// and attribute changes become CIB operations) are in cibops.go and are
// table-tested on their own.
package crmd
