package tengine

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/crm/pengine"
	"hbgo/internal/testenv"
	"hbgo/resourced"
	"hbgo/resourced/fake"
	"hbgo/resourced/ocf"
)

// fakeFencer records fencing requests.
type fakeFencer struct {
	mu     sync.Mutex
	fenced []string
	fail   map[string]error
}

func (f *fakeFencer) Fence(_ context.Context, node, action string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.fail[node]; err != nil {
		return err
	}
	f.fenced = append(f.fenced, node+" "+action)
	return nil
}

// fakeCluster is one fake resource manager per node, seeded with what the
// CIB's history says is running there.
type fakeCluster struct {
	runners map[string]*fake.Runner
	exec    *LRMExecutor
	fencer  *fakeFencer
	clock   *resourced.FakeClock
}

func newFakeCluster(t *testing.T, c *cib.CIB, now time.Time) *fakeCluster {
	t.Helper()
	fc := &fakeCluster{runners: map[string]*fake.Runner{}, fencer: &fakeFencer{}, clock: resourced.NewFakeClock(now)}
	fc.exec = &LRMExecutor{Managers: map[string]*resourced.Manager{}, Fencer: fc.fencer}
	for _, n := range c.Nodes {
		fc.add(t, n.Uname)
	}
	for _, ns := range c.Status {
		r := fc.add(t, ns.Uname)
		for _, lr := range ns.Resources {
			if st, ok := lastKnownState(lr); ok {
				r.SetState(lr.ID, st)
				if base, _, ok := strings.Cut(lr.ID, ":"); ok && st != ocf.NotRunning {
					r.SetState(base, st)
				}
			}
		}
	}
	return fc
}

func (fc *fakeCluster) add(t *testing.T, node string) *fake.Runner {
	if r, ok := fc.runners[node]; ok {
		return r
	}
	r := fake.New()
	m := resourced.NewManager(resourced.ManagerConfig{Runner: r, Clock: fc.clock})
	t.Cleanup(m.Close)
	fc.runners[node] = r
	fc.exec.Managers[node] = m
	return r
}

// lastKnownState replays the history the simple way: the latest completed
// operation decides whether the resource runs, and in which role.
func lastKnownState(lr cib.LRMResource) (ocf.ExitCode, bool) {
	ops := append([]cib.LRMOp(nil), lr.Ops...)
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].CallID < ops[j].CallID })
	state, known := ocf.NotRunning, false
	for _, op := range ops {
		if strings.HasSuffix(op.ID, "_last_failure_0") {
			// A copy of a failed result; the entry it copies decides.
			continue
		}
		if op.OpStatus != 0 {
			if op.Operation == "stop" {
				// A failed stop leaves it running.
				state, known = ocf.Success, true
			}
			continue
		}
		switch {
		case op.Operation == "stop" && op.RC == 0:
			state, known = ocf.NotRunning, true
		case op.Operation == "start" && op.RC == 0, op.Operation == "demote" && op.RC == 0:
			state, known = ocf.Success, true
		case op.Operation == "promote" && op.RC == 0:
			state, known = ocf.RunningPromoted, true
		case op.Operation == "monitor" && (op.RC == 0 || op.RC == 7 || op.RC == 8):
			state, known = ocf.ExitCode(op.RC), true
		case op.RC != 0:
			// A failed start or monitor: treat as running so that the
			// recovery stop has something to stop.
			state, known = ocf.Success, true
		}
	}
	return state, known
}

func scheduleCase(t *testing.T, dir, name string) (*cib.CIB, *pengine.Result) {
	t.Helper()
	c, err := cib.ParseFile(filepath.Join(dir, "scheduler", "cases", name, "input.xml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := pengine.Schedule(c, time.Unix(0, 0).UTC())
	if err != nil {
		t.Fatal(err)
	}
	return c, r
}

func resourceLines(r *pengine.Result) []string {
	var out []string
	for _, l := range r.Normalized() {
		if strings.HasPrefix(l, "rsc ") || strings.HasPrefix(l, "node ") {
			out = append(out, l)
		}
	}
	return out
}

// runToStable executes the transition of c and returns the CIB with the
// resulting status applied, and the second schedule.
func runToStable(t *testing.T, c *cib.CIB, r *pengine.Result) *pengine.Result {
	t.Helper()
	now := time.Unix(1700000000, 0)
	fc := newFakeCluster(t, c, now)
	g := graph.Build(r, graph.Config{CIB: c, TransitionID: 1, Probes: true})
	st := StatusFromCIB(c)
	d := &Driver{Exec: fc.exec, Status: st, Clock: fc.clock, UUID: "dc-uuid"}
	rep, err := d.Run(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != Complete {
		var failed []string
		for _, res := range rep.Results {
			if !res.OK {
				failed = append(failed, fmt.Sprintf("%s rc=%d status=%d %s %v", res.Action, res.Op.RC, res.Op.Status, res.Op.ExitReason, res.Err))
			}
		}
		t.Fatalf("transition %s (%s): %v", rep.Outcome, rep.Reason, failed)
	}
	st.ApplyTo(c)
	r2, err := pengine.Schedule(c, time.Unix(0, 0).UTC())
	if err != nil {
		t.Fatal(err)
	}
	return r2
}

// endToEndCases cover fencing, shutdowns, promotions, groups, clones and
// recoveries; each must run to completion, land in the state the policy
// engine predicted, and then need no further action.
var endToEndCases = []string{
	"594",                   // fencing and a shutdown
	"662",                   // shutdown with moves
	"bug-1822",              // shutdown and promotable clone
	"concurrent-fencing",    // three nodes fenced
	"promoted-1",            // unique promotable clone, starts then promote
	"promoted-7",            // fencing of a promoted node
	"bug-rh-880249",         // several promotions
	"rec-node-2",            // recovery after fencing
	"stonith-0",             // two fencings and moves
	"inc12",                 // six shutdowns, 25 stops
	"simple7",               // shutdown of a single node
	"group-fail",            // group with a failed member recovered
	"coloc-many-one",        // colocated primitives
	"clone-order-primitive", // primitive ordered after a clone
}

func TestEndToEndCorpus(t *testing.T) {
	dir := testenv.SharedDir(t)
	for _, name := range endToEndCases {
		t.Run(name, func(t *testing.T) {
			c, r := scheduleCase(t, dir, name)
			if len(r.Actions) == 0 {
				t.Fatal("case schedules no actions; it tests nothing")
			}
			r2 := runToStable(t, c, r)
			if len(r2.Actions) > 0 {
				t.Errorf("second schedule still has actions: %v", actionLines(r2))
			}
			// The prediction leaves a node that shuts down online (it is
			// still there when the transition ends); the executed shutdown
			// takes it out of the membership.
			want, got := resourceLines(r), resourceLines(r2)
			for _, a := range r.Actions {
				if a.Task != "shutdown" {
					continue
				}
				for i, l := range want {
					if strings.HasPrefix(l, "node "+a.Node+" ") {
						want[i] = "node " + a.Node + " offline"
					}
				}
			}
			sort.Strings(want)
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("state after execution differs from the prediction\nwant %q\ngot  %q", want, got)
			}
		})
	}
}

func actionLines(r *pengine.Result) []string {
	var out []string
	for _, a := range r.Actions {
		out = append(out, strings.TrimSpace(a.Task+" "+a.Resource+" "+a.Node))
	}
	return out
}

// knownUnstable are corpus cases whose second schedule still has actions
// after the transition ran on the fake cluster, with the cause as far as
// known.
var knownUnstable = map[string]string{
	"rec-rsc-7":          "multiple-active=stop_only stops both copies; nothing in the status then keeps the resource stopped, so the next schedule starts it",
	"clone-interleave-1": "the second schedule restarts dummy (ordered after clone-3, banned from pcmk-1) on pcmk-1; comes from the policy engine's ordering of interleaved clones, not analysed further",
	"clone-interleave-2": "as clone-interleave-1",
}

// TestCorpusStability runs every corpus case with actions through the
// engine; apart from knownUnstable, each must leave a cluster that needs
// no further action.
func TestCorpusStability(t *testing.T) {
	dir := testenv.SharedDir(t)
	entries, err := filepath.Glob(filepath.Join(dir, "scheduler", "cases", "*", "input.xml"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no corpus cases: %v", err)
	}
	stable, ran := 0, 0
	for _, e := range entries {
		name := filepath.Base(filepath.Dir(e))
		t.Run(name, func(t *testing.T) {
			c, r := scheduleCase(t, dir, name)
			if len(r.Actions) == 0 {
				return
			}
			ran++
			r2 := runToStable(t, c, r)
			_, known := knownUnstable[name]
			switch {
			case len(r2.Actions) > 0 && !known:
				t.Errorf("not stable: %v", actionLines(r2))
			case len(r2.Actions) == 0 && known:
				t.Errorf("listed in knownUnstable but stable now")
			case len(r2.Actions) == 0:
				stable++
			}
		})
	}
	t.Logf("%d of %d cases with actions are stable after one transition", stable, ran)
}
