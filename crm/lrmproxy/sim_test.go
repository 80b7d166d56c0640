package lrmproxy

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/crm/tengine"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
	"hbgo/internal/testenv"
	"hbgo/resourced"
	"hbgo/resourced/fake"
	"hbgo/resourced/ocf"
)

// failsafe bounds every wait of these tests; it is never reached when the
// code works (nothing here waits on time passing).
const failsafe = 20 * time.Second

// delivered is an event a proxy got, with the node whose proxy got it.
type delivered struct {
	at, from string
	ev       resourced.Event
}

// simNet is a fake cluster network: messages are signed, verified and
// decoded as on the wire, and delivered in order per destination by one
// goroutine per node. Messages to or from dead nodes are dropped.
type simNet struct {
	t     *testing.T
	clock *resourced.FakeClock
	mu    sync.Mutex
	nodes map[string]*simNode
	// divert, when set for a node, receives its messages instead (the node
	// never answers).
	divert map[string]chan *wire.Message
	// dupExec delivers every request twice.
	dupExec bool
	// execIDs counts the distinct op ids of requests per node.
	execIDs map[string]map[string]bool
	events  chan delivered
}

type simNode struct {
	name   string
	inbox  chan *wire.Message
	node   *Node
	proxy  *Proxy
	runner *fake.Runner
	dead   bool
}

func newSimNet(t *testing.T, dc string, names []string, runner func(name string, r *fake.Runner) resourced.Runner) *simNet {
	n := &simNet{t: t, clock: resourced.NewFakeClock(time.Unix(1700000000, 0)), nodes: map[string]*simNode{},
		divert: map[string]chan *wire.Message{}, execIDs: map[string]map[string]bool{}, events: make(chan delivered, 100)}
	for _, name := range names {
		sn := &simNode{name: name, inbox: make(chan *wire.Message, 1000), runner: fake.New()}
		var r resourced.Runner = sn.runner
		if runner != nil {
			r = runner(name, sn.runner)
		}
		sn.node = NewNode(NodeConfig{Self: name, Send: n.sender(name), Manager: resourced.ManagerConfig{Runner: r, Clock: n.clock},
			OnLocalEvent: func(ev resourced.Event) { n.events <- delivered{at: name, from: name, ev: ev} }})
		sn.node.SetDC(dc)
		sn.proxy = NewProxy(ProxyConfig{Self: name, Send: n.sender(name), Clock: n.clock, Instance: "t",
			Local:   &tengine.LRMExecutor{Managers: map[string]*resourced.Manager{name: sn.node.Manager()}},
			OnEvent: func(from string, ev resourced.Event) { n.events <- delivered{at: name, from: from, ev: ev} }})
		n.nodes[name] = sn
		done := make(chan struct{})
		inbox := sn.inbox
		go func() {
			defer close(done)
			for w := range inbox {
				var err error
				if ForDC(w.Type()) {
					err = sn.proxy.Deliver(w)
				} else {
					err = sn.node.Deliver(w)
				}
				if err != nil {
					t.Errorf("%s: deliver %s: %v", name, w.Type(), err)
				}
			}
		}()
		t.Cleanup(func() {
			sn.node.Close()
			n.mu.Lock()
			close(sn.inbox)
			sn.inbox = nil
			n.mu.Unlock()
			<-done
		})
	}
	return n
}

func (n *simNet) sender(from string) func(*wire.Message) error {
	return func(w *wire.Message) error {
		w = w.Clone()
		w.Add(wire.FieldSrc, from)
		raw, err := w.Encode(testRing)
		if err != nil {
			return err
		}
		got, err := wire.Verify(raw, testRing)
		if err != nil {
			return err
		}
		n.mu.Lock()
		defer n.mu.Unlock()
		src, dst := n.nodes[from], n.nodes[got.Value(wire.FieldDest)]
		if src == nil || dst == nil || src.dead || dst.dead || dst.inbox == nil {
			return nil // lost, as on a real network
		}
		if !ForDC(got.Type()) {
			ids := n.execIDs[dst.name]
			if ids == nil {
				ids = map[string]bool{}
				n.execIDs[dst.name] = ids
			}
			if got.Type() == string(MsgExec) {
				ids[got.Value(FieldOpID)] = true
			}
		}
		if ch := n.divert[dst.name]; ch != nil {
			ch <- got
			return nil
		}
		dst.inbox <- got
		if n.dupExec && !ForDC(got.Type()) {
			dst.inbox <- got.Clone()
		}
		return nil
	}
}

// kill makes node silent and tells every proxy it died.
func (n *simNet) kill(node string) {
	n.mu.Lock()
	n.nodes[node].dead = true
	var proxies []*Proxy
	for _, sn := range n.nodes {
		proxies = append(proxies, sn.proxy)
	}
	n.mu.Unlock()
	for _, p := range proxies {
		p.HeartbeatEvent(membership.Event{Kind: membership.NodeDead, Node: node})
	}
}

func (n *simNet) waitEvent(t *testing.T) delivered {
	t.Helper()
	select {
	case d := <-n.events:
		return d
	case <-time.After(failsafe):
		t.Fatal("no recurring-monitor event arrived")
	}
	return delivered{}
}

// seed sets each node's fake agents to what the CIB's history says runs
// there: the latest successful start/promote/monitor versus stop decides.
func (n *simNet) seed(c *cib.CIB) {
	for _, ns := range c.Status {
		sn := n.nodes[ns.Uname]
		if sn == nil {
			continue
		}
		for _, lr := range ns.Resources {
			ops := append([]cib.LRMOp(nil), lr.Ops...)
			sort.SliceStable(ops, func(i, j int) bool { return ops[i].CallID < ops[j].CallID })
			st, known := ocf.NotRunning, false
			for _, op := range ops {
				if op.OpStatus != 0 || strings.HasSuffix(op.ID, "_last_failure_0") {
					continue
				}
				switch {
				case op.Operation == "stop" && op.RC == 0:
					st, known = ocf.NotRunning, true
				case (op.Operation == "start" || op.Operation == "demote") && op.RC == 0:
					st, known = ocf.Success, true
				case op.Operation == "promote" && op.RC == 0:
					st, known = ocf.RunningPromoted, true
				case op.Operation == "monitor" && (op.RC == 0 || op.RC == 7 || op.RC == 8):
					st, known = ocf.ExitCode(op.RC), true
				}
			}
			if known {
				sn.runner.SetState(lr.ID, st)
			}
		}
	}
}

func corpusCase(t *testing.T, name string) (*cib.CIB, *graph.Graph) {
	t.Helper()
	dir := testenv.SharedDir(t)
	c, err := cib.ParseFile(filepath.Join(dir, "scheduler", "cases", name, "input.xml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := pengine.Schedule(c, time.Unix(0, 0).UTC())
	if err != nil {
		t.Fatal(err)
	}
	return c, graph.Build(r, graph.Config{CIB: c, TransitionID: 1, Probes: true})
}

func nodeNames(c *cib.CIB) []string {
	var out []string
	for _, nd := range c.Nodes {
		out = append(out, nd.Uname)
	}
	return out
}

// runGraph drives g from dc's proxy in the background.
func runGraph(n *simNet, dc string, c *cib.CIB, g *graph.Graph) (*tengine.Status, <-chan tengine.Report) {
	st := tengine.StatusFromCIB(c)
	d := &tengine.Driver{Exec: n.nodes[dc].proxy, Status: st, Clock: n.clock, UUID: "dc-uuid"}
	out := make(chan tengine.Report, 1)
	go func() {
		rep, err := d.Run(context.Background(), g)
		if err != nil {
			n.t.Error(err)
		}
		out <- rep
	}()
	return st, out
}

func waitReport(t *testing.T, ch <-chan tengine.Report) tengine.Report {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(failsafe):
		t.Fatal("transition did not end")
	}
	return tengine.Report{}
}

// TestCorpusTransitionOnThreeNodes runs a corpus transition with
// operations on all three nodes from the DC, two of them over the network,
// and checks the cluster then needs no further action.
func TestCorpusTransitionOnThreeNodes(t *testing.T) {
	for _, dup := range []bool{false, true} {
		name := "once"
		if dup {
			name = "every request twice"
		}
		t.Run(name, func(t *testing.T) {
			c, g := corpusCase(t, "inc7")
			nodes := nodeNames(c)
			if len(nodes) != 3 {
				t.Fatalf("case has nodes %v", nodes)
			}
			dc := nodes[0]
			n := newSimNet(t, dc, nodes, nil)
			n.dupExec = dup
			n.seed(c)
			st, out := runGraph(n, dc, c, g)
			rep := waitReport(t, out)
			if rep.Outcome != tengine.Complete {
				for _, r := range rep.Results {
					if !r.OK {
						t.Errorf("failed: %s rc=%d status=%d %s", r.Action, r.Op.RC, r.Op.Status, r.Op.ExitReason)
					}
				}
				t.Fatalf("transition %s: %s", rep.Outcome, rep.Reason)
			}
			for _, nd := range nodes {
				calls := len(n.nodes[nd].runner.Calls())
				if calls == 0 {
					t.Errorf("%s ran nothing", nd)
				}
				n.mu.Lock()
				reqs := len(n.execIDs[nd])
				n.mu.Unlock()
				switch {
				case nd == dc && reqs != 0:
					t.Errorf("DC's own operations went over the network (%d)", reqs)
				case nd != dc && reqs != calls:
					// Each request runs the agent exactly once (no
					// validate-all without meta-data, no recurring run
					// as the clock did not move).
					t.Errorf("%s: %d distinct requests, %d agent calls", nd, reqs, calls)
				}
			}
			st.ApplyTo(c)
			r2, err := pengine.Schedule(c, time.Unix(0, 0).UTC())
			if err != nil {
				t.Fatal(err)
			}
			if len(r2.Actions) != 0 {
				t.Errorf("second schedule still has %d actions: %+v", len(r2.Actions), r2.Actions)
			}
		})
	}
}

// TestNodeDiesMidTransition: a node that stops answering and is then
// declared dead makes its pending operations fail, and the transition
// aborts.
func TestNodeDiesMidTransition(t *testing.T) {
	c, g := corpusCase(t, "inc7")
	nodes := nodeNames(c)
	dc, victim := nodes[0], nodes[2]
	n := newSimNet(t, dc, nodes, nil)
	n.seed(c)
	swallowed := make(chan *wire.Message, 1000)
	n.divert[victim] = swallowed
	_, out := runGraph(n, dc, c, g)
	select {
	case <-swallowed:
	case <-time.After(failsafe):
		t.Fatal("no request reached the victim")
	}
	n.kill(victim)
	rep := waitReport(t, out)
	if rep.Outcome != tengine.Aborted {
		t.Fatalf("outcome %s, want aborted", rep.Outcome)
	}
	lostOps := 0
	for _, r := range rep.Results {
		if r.Action.Node == victim && !r.OK {
			if r.Op.Status != tengine.OpError || !strings.Contains(r.Op.ExitReason, "node "+victim) {
				t.Errorf("%s: status %d %q", r.Action, r.Op.Status, r.Op.ExitReason)
			}
			lostOps++
		}
	}
	if lostOps == 0 {
		t.Error("no operation on the dead node failed")
	}
	if p := n.nodes[dc].proxy.Pending(victim); p != 0 {
		t.Errorf("%d operations still pending on the dead node", p)
	}
	// A later request to the dead node fails at once.
	a := &graph.Action{Kind: graph.RscOp, Task: "start", Resource: "x", Node: victim, Agent: graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}}
	if r := n.nodes[dc].proxy.RunOp(context.Background(), victim, a); r.Status != tengine.OpError {
		t.Errorf("request to a dead node: %+v", r)
	}
}

// gate blocks the start of one resource until released.
type gate struct {
	rsc      string
	started  chan struct{}
	release  chan struct{}
	fallback resourced.Runner
}

func (g *gate) Run(ctx context.Context, op resourced.Op) resourced.Result {
	if op.Resource == g.rsc && op.Action == resourced.ActionStart {
		g.started <- struct{}{}
		<-g.release
	}
	return g.fallback.Run(ctx, op)
}

func dummyOp(task, node string, intervalMS int) *graph.Action {
	return &graph.Action{Kind: graph.RscOp, Task: task, Resource: "db", Node: node, IntervalMS: intervalMS, TimeoutMS: 20000,
		Agent: graph.Agent{Class: "ocf", Provider: "heartbeat", Type: "Dummy"}, Params: map[string]string{"state": "/x"}}
}

// TestRecurringFailureAndDCChange: an operation in flight when the DC
// changes is still answered to the node that asked; the recurring monitor
// it started reports its failure to the new DC, and later to a third.
func TestRecurringFailureAndDCChange(t *testing.T) {
	nodes := []string{"n1", "n2", "n3"}
	g := &gate{rsc: "db", started: make(chan struct{}), release: make(chan struct{})}
	n := newSimNet(t, "n1", nodes, func(name string, r *fake.Runner) resourced.Runner {
		if name == "n3" {
			g.fallback = r
			return g
		}
		return r
	})
	ctx := context.Background()
	done := make(chan tengine.OpResult, 1)
	go func() { done <- n.nodes["n1"].proxy.RunOp(ctx, "n3", dummyOp("start", "n3", 0)) }()
	select {
	case <-g.started:
	case <-time.After(failsafe):
		t.Fatal("start never ran")
	}
	// The DC moves to n2 while the start runs on n3.
	for _, nd := range nodes {
		n.nodes[nd].node.SetDC("n2")
	}
	close(g.release)
	select {
	case r := <-done:
		if !r.Succeeded(0) {
			t.Fatalf("start: %+v", r)
		}
	case <-time.After(failsafe):
		t.Fatal("the old DC got no answer")
	}
	// The new DC starts the monitor.
	if r := n.nodes["n2"].proxy.RunOp(ctx, "n3", dummyOp("monitor", "n3", 10000)); !r.Succeeded(0) {
		t.Fatalf("monitor: %+v", r)
	}
	if got := n.nodes["n3"].node.Manager().Recurring(); len(got) != 1 {
		t.Fatalf("recurring ops on n3: %v", got)
	}
	// The resource dies: the next run fails and the DC hears of it.
	n.nodes["n3"].runner.SetState("db", ocf.NotRunning)
	n.clock.Advance(10 * time.Second)
	d := n.waitEvent(t)
	if d.at != "n2" || d.from != "n3" || d.ev.Result.RC != ocf.NotRunning || d.ev.Op.Resource != "db" || d.ev.Op.Interval != 10*time.Second ||
		d.ev.Expected != ocf.Success {
		t.Fatalf("event %+v", d)
	}
	// tengine records it as a failure.
	st := tengine.StatusFromCIB(&cib.CIB{})
	if _, failed := st.RecordRecurring(d.from, d.ev); !failed {
		t.Error("event not recorded as a failure")
	}
	// Another DC change: the recovery is reported to n1 now.
	n.nodes["n3"].node.SetDC("n1")
	n.nodes["n3"].runner.SetState("db", ocf.Success)
	n.clock.Advance(10 * time.Second)
	if d := n.waitEvent(t); d.at != "n1" || d.from != "n3" || d.ev.Result.RC != ocf.Success {
		t.Fatalf("event %+v", d)
	}
	// Cancelled over the network: no more events, no recurring op left.
	if r := n.nodes["n1"].proxy.RunOp(ctx, "n3", &graph.Action{Kind: graph.RscOp, Task: graph.TaskCancel, CancelTask: "monitor",
		Resource: "db", Node: "n3", IntervalMS: 10000}); r.Status != tengine.OpDone {
		t.Fatalf("cancel: %+v", r)
	}
	if got := n.nodes["n3"].node.Manager().Recurring(); len(got) != 0 {
		t.Fatalf("recurring ops on n3 after cancel: %v", got)
	}
}

// TestDCOwnEvents: while a node is the DC its own monitor changes go to
// OnLocalEvent, not over the network.
func TestDCOwnEvents(t *testing.T) {
	n := newSimNet(t, "n1", []string{"n1", "n2"}, nil)
	if r := n.nodes["n1"].proxy.RunOp(context.Background(), "n1", dummyOp("start", "n1", 0)); !r.Succeeded(0) {
		t.Fatal(r)
	}
	if r := n.nodes["n1"].proxy.RunOp(context.Background(), "n1", dummyOp("monitor", "n1", 5000)); !r.Succeeded(0) {
		t.Fatal(r)
	}
	n.nodes["n1"].runner.SetState("db", ocf.NotRunning)
	n.clock.Advance(5 * time.Second)
	if d := n.waitEvent(t); d.at != "n1" || d.from != "n1" || d.ev.Result.RC != ocf.NotRunning {
		t.Fatalf("event %+v", d)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.execIDs) != 0 {
		t.Errorf("local operations used the network: %v", n.execIDs)
	}
}
