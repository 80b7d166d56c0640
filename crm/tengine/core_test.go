package tengine

import (
	"errors"
	"reflect"
	"sort"
	"testing"

	"hbgo/crm/graph"
)

func rsc(id int, task, node string, inputs ...int) *graph.Action {
	return &graph.Action{ID: id, Kind: graph.RscOp, Task: task, Resource: "r", Node: node, Inputs: inputs}
}

func ids(as []*graph.Action) []int {
	out := []int{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	sort.Ints(out)
	return out
}

// step is one scripted event for the core: start what is runnable and
// check it, or complete an action.
type step struct {
	complete int  // action to complete (when runnable is nil)
	ok       bool // its result
	abort    string
	runnable []int // expected runnable set, started at once
	outcome  Outcome
}

func TestCoreScenarios(t *testing.T) {
	fence := &graph.Action{ID: 0, Kind: graph.CRMEvent, Task: graph.TaskFence, Node: "n3", FenceAction: "reboot"}
	tests := []struct {
		name    string
		actions []*graph.Action
		steps   []step
	}{
		{
			name: "parallel branches join",
			actions: []*graph.Action{
				rsc(1, "stop", "n1"), rsc(2, "stop", "n2"),
				rsc(3, "start", "n1", 1), rsc(4, "start", "n2", 2),
				rsc(5, "start", "n1", 3, 4),
			},
			steps: []step{
				{runnable: []int{1, 2}},
				{complete: 2, ok: true}, {runnable: []int{4}},
				{complete: 4, ok: true}, {runnable: []int{}},
				{complete: 1, ok: true}, {runnable: []int{3}},
				{complete: 3, ok: true}, {runnable: []int{5}},
				{complete: 5, ok: true, outcome: Complete},
			},
		},
		{
			name: "fencing first",
			actions: []*graph.Action{
				fence, rsc(1, "stop", "n1", 0), rsc(2, "start", "n2", 0),
			},
			steps: []step{
				{runnable: []int{0}},
				{complete: 0, ok: true}, {runnable: []int{1, 2}},
				{complete: 1, ok: true}, {complete: 2, ok: true, outcome: Complete},
			},
		},
		{
			name: "failure aborts and waits for running actions",
			actions: []*graph.Action{
				rsc(1, "stop", "n1"), rsc(2, "stop", "n2"), rsc(3, "start", "n3"),
				rsc(4, "start", "n1", 1), rsc(5, "start", "n2", 2),
			},
			steps: []step{
				{runnable: []int{1, 2, 3}},
				{complete: 1, ok: false, outcome: InProgress},
				{runnable: []int{}},
				{complete: 3, ok: true, outcome: InProgress},
				{complete: 2, ok: true, outcome: Aborted},
				{runnable: []int{}},
			},
		},
		{
			name: "pseudo actions complete by themselves and chain",
			actions: []*graph.Action{
				rsc(1, "stop", "n1"),
				{ID: 2, Kind: graph.Pseudo, Task: graph.TaskStopped, Resource: "g", Inputs: []int{1}},
				{ID: 3, Kind: graph.Pseudo, Task: "all_stopped", Inputs: []int{2}},
				rsc(4, "start", "n2", 3),
				{ID: 5, Kind: graph.Pseudo, Task: graph.TaskRunning, Resource: "g", Inputs: []int{4}},
			},
			steps: []step{
				{runnable: []int{1}},
				{complete: 1, ok: true}, {runnable: []int{4}},
				{complete: 4, ok: true, outcome: Complete},
			},
		},
		{
			name:    "pseudo only graph is complete at once",
			actions: []*graph.Action{{ID: 1, Kind: graph.Pseudo, Task: "all_stopped"}},
			steps:   []step{{runnable: []int{}, outcome: Complete}},
		},
		{
			name:    "external abort",
			actions: []*graph.Action{rsc(1, "stop", "n1"), rsc(2, "start", "n1", 1)},
			steps: []step{
				{runnable: []int{1}},
				{abort: "configuration changed"},
				{complete: 1, ok: true, outcome: Aborted},
				{runnable: []int{}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCore(&graph.Graph{Actions: tt.actions})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				switch {
				case s.abort != "":
					c.Abort(s.abort)
					continue
				case s.runnable != nil:
					got := ids(c.Runnable())
					if !reflect.DeepEqual(got, s.runnable) {
						t.Fatalf("step %d: runnable %v, want %v", i, got, s.runnable)
					}
					for _, id := range got {
						if err := c.Start(id); err != nil {
							t.Fatalf("step %d: %v", i, err)
						}
					}
				default:
					if err := c.Complete(s.complete, s.ok); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				}
				if s.outcome != InProgress || s.runnable == nil {
					if got := c.Outcome(); got != s.outcome {
						t.Fatalf("step %d: outcome %v, want %v", i, got, s.outcome)
					}
				}
			}
		})
	}
}

func TestCoreMisuse(t *testing.T) {
	c, err := NewCore(&graph.Graph{Actions: []*graph.Action{rsc(1, "stop", "n1"), rsc(2, "start", "n1", 1)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(2); !errors.Is(err, ErrNotRunnable) {
		t.Errorf("Start before input done: %v", err)
	}
	if err := c.Complete(1, true); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Complete of a pending action: %v", err)
	}
	if err := c.Start(1); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(1); !errors.Is(err, ErrNotRunnable) {
		t.Errorf("second Start: %v", err)
	}
	if _, err := NewCore(&graph.Graph{Actions: []*graph.Action{rsc(1, "stop", "n1", 1)}}); !errors.Is(err, graph.ErrCycle) {
		t.Errorf("cyclic graph accepted: %v", err)
	}
}

func TestCorePriority(t *testing.T) {
	c, _ := NewCore(&graph.Graph{Actions: []*graph.Action{
		rsc(1, "start", "n1"), {ID: 2, Kind: graph.CRMEvent, Task: graph.TaskFence, Node: "n2", Priority: 100}, rsc(3, "start", "n3"),
	}})
	var got []int
	for _, a := range c.Runnable() {
		got = append(got, a.ID)
	}
	if !reflect.DeepEqual(got, []int{2, 1, 3}) {
		t.Fatalf("runnable order %v, want fencing first then by id", got)
	}
}
