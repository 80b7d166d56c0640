package tengine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"hbgo/crm/graph"
)

// orderCheckExec succeeds every action and reports any action started
// before one of the real actions it waits for (through pseudo actions too).
type orderCheckExec struct {
	mu       sync.Mutex
	g        *graph.Graph
	done     map[int]bool
	problems []string
	ran      int
}

func (e *orderCheckExec) check(a *graph.Action) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ran++
	seen := map[int]bool{}
	var walk func(x *graph.Action)
	walk = func(x *graph.Action) {
		for _, in := range x.Inputs {
			if seen[in] {
				continue
			}
			seen[in] = true
			dep := e.g.Action(in)
			if dep.Kind != graph.Pseudo && !e.done[in] {
				e.problems = append(e.problems, fmt.Sprintf("%s started before %s", a, dep))
			}
			walk(dep)
		}
	}
	walk(a)
}

func (e *orderCheckExec) RunOp(_ context.Context, _ string, a *graph.Action) OpResult {
	e.check(a)
	return OpResult{RC: a.TargetRC, Status: OpDone}
}

func (e *orderCheckExec) Fence(_ context.Context, node, _ string) error {
	for _, a := range e.g.Actions {
		if a.Task == graph.TaskFence && a.Node == node {
			e.check(a)
		}
	}
	return nil
}

// TestRunPacemakerGraphs executes the transition graphs Pacemaker saved for
// corpus cases (see package graph's testdata): with every action
// succeeding each must complete, run every non-pseudo action once, and never
// start an action before its inputs.
func TestRunPacemakerGraphs(t *testing.T) {
	files, err := filepath.Glob("../graph/testdata/pacemaker/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no captured graphs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			g, err := graph.Decode(fh)
			if err != nil {
				t.Fatal(err)
			}
			ex := &orderCheckExec{g: g, done: map[int]bool{}}
			d := &Driver{Exec: ex, Status: &Status{}, OnResult: func(r Result) {
				ex.mu.Lock()
				ex.done[r.Action.ID] = true
				ex.mu.Unlock()
			}}
			rep, err := d.Run(context.Background(), g)
			if err != nil {
				t.Fatal(err)
			}
			real := 0
			for _, a := range g.Actions {
				if a.Kind != graph.Pseudo {
					real++
				}
			}
			if rep.Outcome != Complete || ex.ran != real || len(rep.Results) != real {
				t.Fatalf("outcome %v (%s), %d of %d actions run", rep.Outcome, rep.Reason, ex.ran, real)
			}
			for _, p := range ex.problems {
				t.Error(p)
			}
		})
	}
}

func (e *orderCheckExec) Shutdown(_ context.Context, node string) error {
	for _, a := range e.g.Actions {
		if a.Task == graph.TaskShutdown && a.Node == node {
			e.check(a)
		}
	}
	return nil
}
