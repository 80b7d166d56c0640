package tengine

import (
	"context"
	"testing"
	"time"

	"hbgo/crm/attrd"
	"hbgo/crm/graph"
	"hbgo/resourced"
	"hbgo/resourced/fake"
	"hbgo/resourced/ocf"
)

// TestRecurringMonitorFailure: the monitor started by a transition keeps
// running in the resource manager; when it finds the resource gone, the
// event is recorded under the monitor's entry with its transition key and
// the fail count goes up by one.
func TestRecurringMonitorFailure(t *testing.T) {
	runner := fake.New()
	clock := resourced.NewFakeClock(time.Unix(1700000000, 0))
	events := make(chan resourced.Event, 10)
	m := resourced.NewManager(resourced.ManagerConfig{Runner: runner, Clock: clock, OnResult: func(ev resourced.Event) { events <- ev }})
	t.Cleanup(m.Close)
	exec := &LRMExecutor{Managers: map[string]*resourced.Manager{"n1": m}}
	agent := graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}
	g := &graph.Graph{TransitionID: 5, Actions: []*graph.Action{
		{ID: 1, Kind: graph.RscOp, Task: "start", Resource: "web", Node: "n1", Agent: agent},
		{ID: 2, Kind: graph.RscOp, Task: "monitor", IntervalMS: 10000, Resource: "web", Node: "n1", Agent: agent, Inputs: []int{1}},
	}}
	st := &Status{}
	d := &Driver{Exec: exec, Status: st, Clock: clock, UUID: "dc"}
	if rep, err := d.Run(context.Background(), g); err != nil || rep.Outcome != Complete {
		t.Fatalf("run: %v %+v", err, rep)
	}

	runner.SetState("web", ocf.NotRunning)
	clock.Advance(10 * time.Second)
	var ev resourced.Event
	select {
	case ev = <-events:
	case <-time.After(10 * time.Second):
		t.Fatal("no monitor event")
	}
	op, failed := st.RecordRecurring("n1", ev)
	if !failed || op == nil {
		t.Fatalf("monitor result %+v not taken as a failure", ev.Result)
	}
	if op.ID != "web_monitor_10000" || op.RC != 7 || op.TransitionKey != "2:5:0:dc" || op.TransitionMagic != "0:7;2:5:0:dc" || op.CallID != 3 {
		t.Fatalf("entry %+v", *op)
	}
	r := st.Node("n1", "").Resources[0]
	if last := r.op("web_last_failure_0"); last == nil || last.OperationKey != "web_monitor_10000" {
		t.Fatalf("no last_failure entry: %+v", r.Ops)
	}
	store := attrd.New()
	store.RecordFailure(attrd.Failure{Node: "n1", Resource: "web", Operation: "monitor", IntervalMS: 10000, RC: op.RC, At: ev.At})
	if v, _ := store.Get("n1", attrd.FailCountName("web", "monitor", 10000), attrd.Reboot); v != "1" {
		t.Fatalf("fail count %q", v)
	}

	// An unchanged result is not recorded again.
	ev.Changed = false
	if op, _ := st.RecordRecurring("n1", ev); op != nil {
		t.Fatalf("unchanged result recorded: %+v", op)
	}
}
