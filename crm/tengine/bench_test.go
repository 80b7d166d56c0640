package tengine

import (
	"context"
	"fmt"
	"testing"

	"hbgo/crm/graph"
)

type instantExec struct{}

func (instantExec) RunOp(_ context.Context, _ string, a *graph.Action) OpResult {
	return OpResult{RC: a.TargetRC, Status: OpDone}
}
func (instantExec) Fence(context.Context, string, string) error { return nil }

// BenchmarkDriver1000 runs a graph of 1000 resource operations: 500 stops
// each followed by a start, all starts on a node after all its stops (10
// nodes), recording history.
func BenchmarkDriver1000(b *testing.B) {
	var acts []*graph.Action
	stopsOn := map[string][]int{}
	for i := range 500 {
		node := fmt.Sprintf("n%d", i%10)
		id := len(acts)
		acts = append(acts, &graph.Action{ID: id, Kind: graph.RscOp, Task: "stop", Resource: fmt.Sprintf("r%d", i), Node: node})
		stopsOn[node] = append(stopsOn[node], id)
	}
	for i := range 500 {
		node := fmt.Sprintf("n%d", i%10)
		acts = append(acts, &graph.Action{ID: len(acts), Kind: graph.RscOp, Task: "start", Resource: fmt.Sprintf("r%d", i), Node: node, Inputs: stopsOn[node]})
	}
	g := &graph.Graph{Actions: acts}
	b.ResetTimer()
	for range b.N {
		d := &Driver{Exec: instantExec{}, Status: &Status{}}
		rep, err := d.Run(context.Background(), g)
		if err != nil || rep.Outcome != Complete {
			b.Fatal(err, rep.Outcome)
		}
	}
}
