package tengine

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"hbgo/crm/graph"
	"hbgo/resourced"
)

// gateExec blocks every operation until the test releases it.
type gateExec struct {
	mu         sync.Mutex
	started    chan string
	gates      map[string]chan OpResult
	running    int
	maxRunning int
	fenceErr   error
}

func newGateExec() *gateExec {
	return &gateExec{started: make(chan string, 100), gates: map[string]chan OpResult{}}
}

func (g *gateExec) gate(key string) chan OpResult {
	g.mu.Lock()
	defer g.mu.Unlock()
	ch, ok := g.gates[key]
	if !ok {
		ch = make(chan OpResult, 1)
		g.gates[key] = ch
	}
	return ch
}

func (g *gateExec) wait(ctx context.Context, key string) OpResult {
	g.mu.Lock()
	g.running++
	if g.running > g.maxRunning {
		g.maxRunning = g.running
	}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.running--
		g.mu.Unlock()
	}()
	ch := g.gate(key)
	g.started <- key
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return OpResult{RC: 1, Status: OpCancelled}
	}
}

func (g *gateExec) RunOp(ctx context.Context, node string, a *graph.Action) OpResult {
	return g.wait(ctx, a.Key()+"@"+node)
}

func (g *gateExec) Fence(ctx context.Context, node, action string) error {
	g.wait(ctx, "fence@"+node)
	return g.fenceErr
}

func (g *gateExec) release(key string, r OpResult) { g.gate(key) <- r }

func expectStarted(t *testing.T, g *gateExec, want ...string) {
	t.Helper()
	got := map[string]bool{}
	for range want {
		select {
		case k := <-g.started:
			got[k] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("waiting for %v, got %v", want, got)
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Fatalf("started %v, want %v", got, want)
		}
	}
	select {
	case k := <-g.started:
		t.Fatalf("unexpected start of %s", k)
	default:
	}
}

type runOut struct {
	rep Report
	err error
}

func startRun(ctx context.Context, d *Driver, g *graph.Graph) chan runOut {
	out := make(chan runOut, 1)
	go func() {
		rep, err := d.Run(ctx, g)
		out <- runOut{rep, err}
	}()
	return out
}

func await(t *testing.T, out chan runOut) Report {
	t.Helper()
	select {
	case r := <-out:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.rep
	case <-time.After(10 * time.Second):
		t.Fatal("transition did not finish")
	}
	return Report{}
}

var ok0 = OpResult{RC: 0, Status: OpDone}

func TestDriverParallelismAndBatchLimit(t *testing.T) {
	ex := newGateExec()
	g := &graph.Graph{TransitionID: 4, Actions: []*graph.Action{
		rsc(1, "start", "n1"), rsc(2, "start", "n2"), rsc(3, "start", "n3"), rsc(4, "stop", "n1", 1, 2, 3),
	}}
	clock := resourced.NewFakeClock(time.Unix(1000, 0))
	d := &Driver{Exec: ex, Clock: clock, Status: &Status{}, BatchLimit: 2, UUID: "u"}
	out := startRun(context.Background(), d, g)
	expectStarted(t, ex, "r_start_0@n1", "r_start_0@n2")
	ex.release("r_start_0@n2", ok0)
	expectStarted(t, ex, "r_start_0@n3")
	ex.release("r_start_0@n1", ok0)
	ex.release("r_start_0@n3", ok0)
	expectStarted(t, ex, "r_stop_0@n1")
	ex.release("r_stop_0@n1", ok0)
	rep := await(t, out)
	if rep.Outcome != Complete || len(rep.Results) != 4 {
		t.Fatalf("report %+v", rep)
	}
	if ex.maxRunning != 2 {
		t.Fatalf("max parallel %d, want the batch limit 2", ex.maxRunning)
	}
}

func TestDriverFailureAbortsAndAwaitsRunning(t *testing.T) {
	ex := newGateExec()
	g := &graph.Graph{Actions: []*graph.Action{
		rsc(1, "start", "n1"), rsc(2, "start", "n2"), rsc(3, "start", "n1", 1), rsc(4, "start", "n2", 2),
	}}
	var seen []string
	d := &Driver{Exec: ex, Clock: resourced.NewFakeClock(time.Unix(1000, 0)), Status: &Status{},
		OnResult: func(r Result) { seen = append(seen, r.Action.Key()+"@"+r.Action.Node) }}
	out := startRun(context.Background(), d, g)
	expectStarted(t, ex, "r_start_0@n1", "r_start_0@n2")
	ex.release("r_start_0@n1", OpResult{RC: 1, Status: OpDone, ExitReason: "boom"})
	// The transition must wait for the start on n2, and start nothing new.
	select {
	case r := <-out:
		t.Fatalf("finished while an action was running: %+v", r)
	case k := <-ex.started:
		t.Fatalf("started %s after the failure", k)
	case <-time.After(50 * time.Millisecond):
	}
	ex.release("r_start_0@n2", ok0)
	rep := await(t, out)
	if rep.Outcome != Aborted || !strings.Contains(rep.Reason, "r_start_0 on n1") {
		t.Fatalf("report %+v", rep)
	}
	if len(seen) != 2 {
		t.Fatalf("results %v", seen)
	}
	// Both results are in the history; the failure also as last_failure.
	n1 := d.Status.Node("n1", "")
	if len(n1.Resources) != 1 || len(n1.Resources[0].Ops) != 2 || n1.Resources[0].Ops[1].ID != "r_last_failure_0" || n1.Resources[0].Ops[1].ExitReason != "boom" {
		t.Fatalf("n1 history %+v", n1.Resources[0].Ops)
	}
}

func TestDriverTimeout(t *testing.T) {
	ex := newGateExec()
	a := rsc(1, "start", "n1")
	a.TimeoutMS = 5000
	clock := resourced.NewFakeClock(time.Unix(1000, 0))
	d := &Driver{Exec: ex, Clock: clock, Status: &Status{}}
	out := startRun(context.Background(), d, &graph.Graph{Actions: []*graph.Action{a, rsc(2, "start", "n1", 1)}})
	expectStarted(t, ex, "r_start_0@n1")
	if n := clock.Advance(4 * time.Second); n != 0 {
		t.Fatalf("%d timers fired before the timeout", n)
	}
	if n := clock.Advance(time.Second); n != 1 {
		t.Fatalf("%d timers fired at the timeout, want 1", n)
	}
	rep := await(t, out)
	if rep.Outcome != Aborted || len(rep.Results) != 1 || rep.Results[0].Op.Status != OpTimeout {
		t.Fatalf("report %+v", rep)
	}
	op := d.Status.Node("n1", "").Resources[0].Ops[0]
	if op.OpStatus != OpTimeout || op.RC != 1 || op.ExecTimeMS != 5000 || !strings.HasPrefix(op.TransitionMagic, "2:1;") {
		t.Fatalf("history %+v", op)
	}
}

func TestDriverContextCancel(t *testing.T) {
	ex := newGateExec()
	ctx, cancel := context.WithCancel(context.Background())
	d := &Driver{Exec: ex, Clock: resourced.NewFakeClock(time.Unix(1000, 0))}
	out := startRun(ctx, d, &graph.Graph{Actions: []*graph.Action{rsc(1, "start", "n1"), rsc(2, "start", "n1", 1)}})
	expectStarted(t, ex, "r_start_0@n1")
	cancel()
	rep := await(t, out)
	if rep.Outcome != Aborted || len(rep.Results) != 1 || rep.Results[0].Op.Status != OpCancelled {
		t.Fatalf("report %+v", rep)
	}
}

func TestDriverFencingAndShutdown(t *testing.T) {
	ex := newGateExec()
	st := &Status{}
	n3 := st.Node("n3", "3")
	n3.Resource("r", "start", graph.Agent{Class: "ocf"}).Ops = []*LRMOp{{ID: "r_last_0", Operation: "start", CallID: 1}}
	g := &graph.Graph{Actions: []*graph.Action{
		{ID: 0, Kind: graph.CRMEvent, Task: graph.TaskFence, Node: "n3", NodeUUID: "3", FenceAction: "reboot"},
		rsc(1, "start", "n1", 0),
		{ID: 2, Kind: graph.CRMEvent, Task: graph.TaskShutdown, Node: "n2", Inputs: []int{0}},
	}}
	d := &Driver{Exec: ex, Clock: resourced.NewFakeClock(time.Unix(1000, 0)), Status: st}
	out := startRun(context.Background(), d, g)
	expectStarted(t, ex, "fence@n3")
	ex.release("fence@n3", ok0)
	expectStarted(t, ex, "r_start_0@n1")
	ex.release("r_start_0@n1", ok0)
	if rep := await(t, out); rep.Outcome != Complete {
		t.Fatalf("report %+v", rep)
	}
	for _, name := range []string{"n3", "n2"} {
		n := st.Node(name, "")
		if n.InCCM != "false" || n.Crmd != "offline" || n.Join != "down" || n.Expected != "down" || len(n.Resources) != 0 || !n.ClearTransient {
			t.Errorf("%s after leaving: %+v", name, n)
		}
	}

	ex.fenceErr = errors.New("device unreachable")
	st = &Status{}
	d = &Driver{Exec: ex, Clock: resourced.NewFakeClock(time.Unix(1000, 0)), Status: st}
	out = startRun(context.Background(), d, &graph.Graph{Actions: g.Actions[:2]})
	expectStarted(t, ex, "fence@n3")
	ex.release("fence@n3", ok0)
	rep := await(t, out)
	if rep.Outcome != Aborted || rep.Results[0].Err == nil || len(st.Nodes) != 0 {
		t.Fatalf("failed fencing: report %+v status %+v", rep, st.Nodes)
	}
}

func TestRecordHistory(t *testing.T) {
	st := &Status{}
	params := map[string]string{"state": "/run/x", "fake": "a&b"}
	start := &graph.Action{ID: 7, Kind: graph.RscOp, Task: "start", Resource: "x", Node: "n1", NodeUUID: "1",
		Agent: graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}, Params: params}
	mon := &graph.Action{ID: 8, Kind: graph.RscOp, Task: "monitor", IntervalMS: 10000, TargetRC: 8, Resource: "x", Node: "n1", Params: params}
	cancelMon := &graph.Action{ID: 9, Kind: graph.RscOp, Task: graph.TaskCancel, CancelTask: "monitor", IntervalMS: 10000, Resource: "x", Node: "n1"}
	ms := int64(1700000000000)
	st.Record(Execution{Action: start, Result: ok0, TransitionID: 3, UUID: "dc", Queued: ms, Started: ms + 5, Finished: ms + 1205})
	st.Record(Execution{Action: mon, Result: OpResult{RC: 8}, TransitionID: 3, UUID: "dc", Queued: ms + 2000, Started: ms + 2000, Finished: ms + 2010})
	st.Record(Execution{Action: mon, Result: OpResult{RC: 8}, TransitionID: 4, UUID: "dc", Queued: ms + 9000, Started: ms + 9000, Finished: ms + 9010})

	r := st.Node("n1", "").Resources[0]
	if r.ID != "x" || r.Class != "ocf" || r.Type != "Dummy" || len(r.Ops) != 2 {
		t.Fatalf("resource %+v", r)
	}
	s, m := r.Ops[0], r.Ops[1]
	sum := md5.Sum([]byte(`<parameters fake="a&amp;b" state="/run/x"/>`))
	want := LRMOp{ID: "x_last_0", Operation: "start", OperationKey: "x_start_0", CallID: 1, RC: 0, OpStatus: OpDone,
		TransitionKey: "7:3:0:dc", TransitionMagic: "0:0;7:3:0:dc", OnNode: "n1", LastRCChange: 1700000001, LastRun: 1700000000,
		ExecTimeMS: 1200, QueueTimeMS: 5, OpDigest: hex.EncodeToString(sum[:])}
	if *s != want {
		t.Errorf("start entry\n got %+v\nwant %+v", *s, want)
	}
	if m.ID != "x_monitor_10000" || m.CallID != 3 || m.IntervalMS != 10000 || m.TransitionKey != "8:4:8:dc" || m.LastRCChange != 1700000002 || m.LastRun != 1700000009 {
		t.Errorf("monitor entry %+v (last-rc-change must stay at the first run with that rc)", *m)
	}
	st.Record(Execution{Action: cancelMon, Result: ok0})
	if len(r.Ops) != 1 || r.Ops[0].ID != "x_last_0" {
		t.Errorf("after cancel: %+v", r.Ops)
	}
	var buf bytes.Buffer
	if err := st.WriteXML(&buf); err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{
		`<node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">`,
		`<lrm id="1">`, `<lrm_resource id="x" type="Dummy" class="ocf" provider="heartbeat">`,
		`<lrm_rsc_op id="x_last_0" operation_key="x_start_0" operation="start"`,
		`transition-key="7:3:0:dc" transition-magic="0:0;7:3:0:dc"`,
		`call-id="1" rc-code="0" op-status="0" interval="0" last-run="1700000000" last-rc-change="1700000001" exec-time="1200" queue-time="5" op-digest="` + hex.EncodeToString(sum[:]) + `"`,
	} {
		if !strings.Contains(buf.String(), frag) {
			t.Errorf("status XML lacks %s\n%s", frag, buf.String())
		}
	}
}

func TestDriverFenceUsesStonithTimeout(t *testing.T) {
	ex := newGateExec()
	clock := resourced.NewFakeClock(time.Unix(1000, 0))
	d := &Driver{Exec: ex, Clock: clock, Status: &Status{}}
	g := &graph.Graph{StonithTimeout: "90s", Actions: []*graph.Action{{ID: 0, Kind: graph.CRMEvent, Task: graph.TaskFence, Node: "n3", FenceAction: "reboot"}}}
	out := startRun(context.Background(), d, g)
	expectStarted(t, ex, "fence@n3")
	if n := clock.Advance(89 * time.Second); n != 0 {
		t.Fatalf("fencing timed out before stonith-timeout")
	}
	clock.Advance(time.Second)
	rep := await(t, out)
	if rep.Outcome != Aborted || rep.Results[0].Err == nil || !strings.Contains(rep.Results[0].Err.Error(), "1m30s") {
		t.Fatalf("report %+v", rep)
	}
}
