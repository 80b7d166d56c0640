package tengine

import (
	"testing"

	"hbgo/crm/graph"
)

// TestLastFailureTakesEachFailure: a second failure with the same code
// (monitor not running, restart, not running again) replaces the
// last_failure entry with its own times, as crm_mon's Failed Resource
// Actions show the latest failure; the monitor entry itself keeps
// last-rc-change while its code stays the same.
func TestLastFailureTakesEachFailure(t *testing.T) {
	agent := graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}
	mon := &graph.Action{ID: 2, Kind: graph.RscOp, Task: "monitor", IntervalMS: 1000, Resource: "d", Node: "n2", Agent: agent}
	st := &Status{}
	const s = int64(1700000000000)
	fail := OpResult{RC: 7}
	st.Record(Execution{Action: mon, Result: fail, TransitionID: 1, UUID: "dc", Queued: s, Started: s, Finished: s + 10})
	st.Record(Execution{Action: mon, Result: fail, TransitionID: 2, UUID: "dc", Queued: s + 5000, Started: s + 5000, Finished: s + 5010})
	r := st.Node("n2", "").Resources[0]
	last := r.op("d_last_failure_0")
	if last == nil || last.LastRCChange != 1700000005 || last.LastRun != 1700000005 || last.TransitionKey != "2:2:0:dc" {
		t.Fatalf("last_failure after the second failure: %+v", last)
	}
	if m := r.op("d_monitor_1000"); m == nil || m.LastRCChange != 1700000000 {
		t.Fatalf("monitor entry: %+v", m)
	}
	if n := len(r.Ops); n != 2 {
		t.Fatalf("%d entries, want monitor and last_failure: %+v", n, r.Ops)
	}
}
