package resourced

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/resourced/ocf"
)

// gate is a fake Runner whose runs block until released, recording
// concurrency.
type gate struct {
	mu        sync.Mutex
	running   map[string]int
	inflight  int
	maxFlight int
	overlap   []string
	order     []string
	release   chan struct{}
	rc        func(Op) ocf.ExitCode
}

func newGate() *gate { return &gate{running: map[string]int{}, release: make(chan struct{})} }

func (g *gate) Run(ctx context.Context, op Op) Result {
	g.mu.Lock()
	g.running[op.Resource]++
	if g.running[op.Resource] > 1 {
		g.overlap = append(g.overlap, op.Resource)
	}
	g.inflight++
	if g.inflight > g.maxFlight {
		g.maxFlight = g.inflight
	}
	g.order = append(g.order, op.Resource+":"+op.Action)
	g.mu.Unlock()
	<-g.release
	g.mu.Lock()
	g.running[op.Resource]--
	g.inflight--
	g.mu.Unlock()
	rc := ocf.Success
	if g.rc != nil {
		rc = g.rc(op)
	}
	return Result{Status: StatusDone, RC: rc}
}

func (g *gate) snapshot() (inflight, max int, overlap, order []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inflight, g.maxFlight, append([]string(nil), g.overlap...), append([]string(nil), g.order...)
}

func TestManagerSerialisesPerResourceAndBoundsWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		m := NewManager(ManagerConfig{Runner: g, Workers: 2})
		var wg sync.WaitGroup
		launch := func(rsc, action string) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.Execute(context.Background(), Op{Resource: rsc, Action: action})
			}()
			synctest.Wait() // each launch queues before the next
		}
		launch("a", "start")
		launch("a", "monitor")
		launch("a", "stop")
		launch("b", "start")
		launch("c", "start")
		inflight, _, _, order := g.snapshot()
		if inflight != 2 || strings.Join(order, " ") != "a:start b:start" {
			t.Fatalf("inflight=%d order=%v; want a:start and b:start running", inflight, order)
		}
		for i := 0; i < 5; i++ {
			g.release <- struct{}{}
			synctest.Wait()
		}
		wg.Wait()
		_, max, overlap, order := g.snapshot()
		if max != 2 || len(overlap) != 0 {
			t.Fatalf("max in flight %d (want 2), same-resource overlap %v", max, overlap)
		}
		var aOps []string
		for _, o := range order {
			if strings.HasPrefix(o, "a:") {
				aOps = append(aOps, o)
			}
		}
		if strings.Join(aOps, " ") != "a:start a:monitor a:stop" {
			t.Errorf("resource a ran out of order: %v", aOps)
		}
	})
}

func TestManagerWaitHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		m := NewManager(ManagerConfig{Runner: g, Workers: 1})
		go m.Execute(context.Background(), Op{Resource: "a", Action: "start"})
		synctest.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		r := m.Execute(ctx, Op{Resource: "a", Action: "monitor"})
		if r.Status != StatusCancelled {
			t.Errorf("queued op past its deadline: %+v", r)
		}
		r = m.Execute(ctx, Op{Resource: "b", Action: "monitor"})
		if r.Status != StatusCancelled {
			t.Errorf("op waiting for a worker past its deadline: %+v", r)
		}
		g.release <- struct{}{}
		synctest.Wait()
		// The lock abandoned by the cancelled waiter is usable again.
		done := make(chan Result, 1)
		go func() { done <- m.Execute(context.Background(), Op{Resource: "a", Action: "stop"}) }()
		synctest.Wait()
		g.release <- struct{}{}
		if r := <-done; r.Status != StatusDone {
			t.Errorf("stop after cancelled waiter: %+v", r)
		}
	})
}

func TestRecurringMonitorOnFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := NewFakeClock(time.Unix(1000, 0))
		var mu sync.Mutex
		calls := 0
		rcs := []ocf.ExitCode{ocf.Success, ocf.Success, ocf.NotRunning}
		runner := RunnerFunc(func(ctx context.Context, op Op) Result {
			mu.Lock()
			defer mu.Unlock()
			rc := rcs[min(calls, len(rcs)-1)]
			calls++
			return Result{Status: StatusDone, RC: rc}
		})
		var events []Event
		m := NewManager(ManagerConfig{Runner: runner, Clock: clock, OnResult: func(e Event) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		}})
		defer m.Close()
		op := Op{Resource: "r", Action: ActionMonitor, Interval: 10 * time.Second}
		if err := m.StartRecurring(op); err != nil {
			t.Fatal(err)
		}
		if err := m.StartRecurring(op); err == nil {
			t.Fatal("duplicate recurring op accepted")
		}
		if err := m.StartRecurring(Op{Resource: "r", Action: ActionMonitor}); err == nil {
			t.Fatal("interval 0 accepted as recurring")
		}
		count := func() (int, int) {
			synctest.Wait()
			mu.Lock()
			defer mu.Unlock()
			return calls, len(events)
		}
		clock.Advance(9 * time.Second)
		if c, _ := count(); c != 0 {
			t.Fatalf("monitor ran early: %d", c)
		}
		for i := 1; i <= 3; i++ {
			clock.Advance(time.Second)
			if c, e := count(); c != i || e != i {
				t.Fatalf("after tick %d: calls=%d events=%d", i, c, e)
			}
			clock.Advance(9 * time.Second)
		}
		mu.Lock()
		changed := []bool{events[0].Changed, events[1].Changed, events[2].Changed}
		mu.Unlock()
		if changed[0] != true || changed[1] != false || changed[2] != true {
			t.Errorf("Changed flags = %v, want [true false true]", changed)
		}
		if !m.CancelRecurring(op.Key()) || m.CancelRecurring(op.Key()) {
			t.Fatal("cancel did not report correctly")
		}
		clock.Advance(time.Hour)
		if c, _ := count(); c != 3 || clock.Armed() != 0 {
			t.Fatalf("cancelled monitor still runs: calls=%d armed=%d", c, clock.Armed())
		}
	})
}

func TestProbeMasksNotInstalled(t *testing.T) {
	for _, rc := range []ocf.ExitCode{ocf.ErrInstalled, ocf.ErrConfigured} {
		m := NewManager(ManagerConfig{Runner: RunnerFunc(func(ctx context.Context, op Op) Result {
			if op.Action != ActionMonitor || op.Interval != 0 {
				t.Errorf("probe ran %s/%v", op.Action, op.Interval)
			}
			return Result{Status: StatusDone, RC: rc}
		})})
		r := m.Probe(context.Background(), Op{Resource: "x", Action: ActionStart, Interval: time.Minute})
		if r.RC != ocf.NotRunning || r.Status != StatusDone || !strings.Contains(r.ExitReason, rc.String()) {
			t.Errorf("probe of rc %v = %+v", rc, r)
		}
	}
	m := NewManager(ManagerConfig{Runner: RunnerFunc(func(ctx context.Context, op Op) Result {
		return Result{Status: StatusDone, RC: ocf.ErrGeneric}
	})})
	if r := m.Probe(context.Background(), Op{Resource: "x"}); r.RC != ocf.ErrGeneric {
		t.Errorf("generic error must not be masked: %+v", r)
	}
}

func TestStartValidatesFirstAndUsesMetaDataTimeouts(t *testing.T) {
	md, err := ocf.ParseMetaData([]byte(`<resource-agent name="T"><actions>
<action name="start" timeout="42s"/><action name="validate-all" timeout="7s"/></actions></resource-agent>`))
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	validateRC := ocf.ErrConfigured
	m := NewManager(ManagerConfig{
		Runner: RunnerFunc(func(ctx context.Context, op Op) Result {
			seen = append(seen, fmt.Sprintf("%s/%v", op.Action, op.Timeout))
			if op.Action == ActionValidate {
				return Result{Status: StatusDone, RC: validateRC, ExitReason: "bad ip"}
			}
			return Result{Status: StatusDone, RC: ocf.Success}
		}),
		MetaData: func(ctx context.Context, a Agent) (*ocf.MetaData, error) { return md, nil },
	})
	r := m.Start(context.Background(), Op{Resource: "x", Agent: Agent{ClassOCF, "t", "T"}})
	if r.RC != ocf.ErrConfigured || r.ExitReason != "validate-all: bad ip" || strings.Join(seen, ",") != "validate-all/7s" {
		t.Fatalf("failed validation: %+v, ran %v", r, seen)
	}
	seen, validateRC = nil, ocf.Success
	r = m.Start(context.Background(), Op{Resource: "x", Agent: Agent{ClassOCF, "t", "T"}})
	if r.RC != ocf.Success || strings.Join(seen, ",") != "validate-all/7s,start/42s" {
		t.Fatalf("start: %+v, ran %v", r, seen)
	}
	seen = nil
	m.Start(context.Background(), Op{Resource: "x", Agent: Agent{ClassOCF, "t", "T"}, Timeout: 3 * time.Second})
	if strings.Join(seen, ",") != "validate-all/7s,start/3s" {
		t.Fatalf("configured timeout must win: %v", seen)
	}
}

// TestManagerDummyRecurringMonitor drives the real Dummy agent through the
// manager: probe, validated start, a recurring monitor on the fake clock
// that notices the resource vanishing, and stop cancelling the monitor.
func TestManagerDummyRecurringMonitor(t *testing.T) {
	requireAgent(t, hbDummy)
	e, cfg := testExecutor(t, nil)
	clock := NewFakeClock(time.Unix(0, 0))
	events := make(chan Event, 4)
	var mu sync.Mutex
	var actions []string
	runner := RunnerFunc(func(ctx context.Context, op Op) Result {
		mu.Lock()
		actions = append(actions, op.Action)
		mu.Unlock()
		return e.Run(ctx, op)
	})
	m := NewManager(ManagerConfig{Runner: runner, MetaData: e.MetaData, Clock: clock, OnResult: func(ev Event) { events <- ev }})
	defer m.Close()
	rsc := uniq("mgr-dummy")
	op := Op{Resource: rsc, Agent: Agent{ClassOCF, "heartbeat", "Dummy"}}
	if r := m.Probe(context.Background(), op); r.RC != ocf.NotRunning {
		t.Fatalf("probe: %+v", r)
	}
	if r := m.Start(context.Background(), op); r.RC != ocf.Success {
		t.Fatalf("start: %+v", r)
	}
	mon := op
	mon.Action, mon.Interval = ActionMonitor, 10*time.Second
	if err := m.StartRecurring(mon); err != nil {
		t.Fatal(err)
	}
	next := func() Event {
		t.Helper()
		select {
		case ev := <-events:
			return ev
		case <-time.After(20 * time.Second):
			t.Fatal("no monitor result")
		}
		return Event{}
	}
	clock.Advance(10 * time.Second)
	if ev := next(); ev.Result.RC != ocf.Success || !ev.Changed {
		t.Fatalf("first monitor: %+v", ev)
	}
	// The resource disappears behind the manager's back.
	if err := os.Remove(filepath.Join(cfg.StateDir, "Dummy-"+rsc+".state")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Second)
	if ev := next(); ev.Result.RC != ocf.NotRunning || !ev.Changed || ev.Result.RC.Class() != ocf.RecoverSoft {
		t.Fatalf("monitor after loss: %+v", ev)
	}
	if r := m.Stop(context.Background(), op); r.RC != ocf.Success {
		t.Fatalf("stop: %+v", r)
	}
	if len(m.Recurring()) != 0 || clock.Armed() != 0 {
		t.Fatalf("stop left recurring ops: %v (armed %d)", m.Recurring(), clock.Armed())
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(actions, ","); got != "monitor,validate-all,start,monitor,monitor,stop" {
		t.Errorf("actions = %s", got)
	}
}

// TestManagerIPaddr2ValidationInNetns: a configuration IPaddr2 rejects is
// stopped by validate-all before start, and a probe of a resource missing
// its required parameter reads "not running" rather than a failure.
func TestManagerIPaddr2ValidationInNetns(t *testing.T) {
	requireAgent(t, hbIPaddr2)
	ns := netns(t)
	e, _ := testExecutor(t, func(c *Config) { c.CommandPrefix = []string{"ip", "netns", "exec", ns} })
	var mu sync.Mutex
	var actions []string
	m := NewManager(ManagerConfig{MetaData: e.MetaData, Runner: RunnerFunc(func(ctx context.Context, op Op) Result {
		mu.Lock()
		actions = append(actions, op.Action)
		mu.Unlock()
		return e.Run(ctx, op)
	})})
	op := Op{Resource: uniq("vip"), Agent: Agent{ClassOCF, "heartbeat", "IPaddr2"},
		Params: map[string]string{"ip": "300.1.1.1", "nic": "v0"}}
	r := m.Start(context.Background(), op)
	if r.RC != ocf.ErrConfigured || r.RC.Class() != ocf.RecoverFatal || !strings.HasPrefix(r.ExitReason, "validate-all:") {
		t.Fatalf("start with a bad ip: %+v", r)
	}
	op.Params = nil
	if r := m.Probe(context.Background(), op); r.RC != ocf.NotRunning || !strings.Contains(r.ExitReason, "OCF_ERR_CONFIGURED") {
		t.Fatalf("probe without ip: %+v", r)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(actions, ",") != "validate-all,monitor" {
		t.Errorf("actions = %v (start must not run after a failed validation)", actions)
	}
}

func TestRecurringFirstRunAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := NewFakeClock(time.Unix(0, 0))
		events := make(chan Event, 4)
		m := NewManager(ManagerConfig{Clock: clock, OnResult: func(e Event) { events <- e },
			Runner: RunnerFunc(func(ctx context.Context, op Op) Result { return Result{Status: StatusDone, RC: ocf.Success} })})
		defer m.Close()
		if err := m.StartRecurringAfter(Op{Resource: "r", Action: ActionMonitor, Interval: time.Minute}, 0); err != nil {
			t.Fatal(err)
		}
		clock.Advance(0)
		synctest.Wait()
		if len(events) != 1 {
			t.Fatalf("first run not immediate: %d events", len(events))
		}
		clock.Advance(59 * time.Second)
		synctest.Wait()
		if len(events) != 1 {
			t.Fatal("second run before the interval")
		}
		clock.Advance(time.Second)
		synctest.Wait()
		if len(events) != 2 {
			t.Fatalf("second run missing: %d", len(events))
		}
	})
}
