package tengine

import (
	"hbgo/crm/graph"
	"hbgo/resourced"
)

// RecordRecurring stores a later run of a recurring operation, as a node's
// resource manager reports it (resourced.ManagerConfig.OnResult), under the
// operation's key. The entry keeps the transition key the operation was
// started with, whose target rc tells success from failure; without an
// entry the manager's expectation is used. Runs that change nothing
// (ev.Changed false) are not recorded. failed reports a result other than
// the expected one: the caller raises the fail count (package attrd) and
// aborts the transition in progress, as the policy engine must now recover
// the resource.
func (s *Status) RecordRecurring(node string, ev resourced.Event) (op *LRMOp, failed bool) {
	if !ev.Changed || ev.Op.Interval <= 0 {
		return nil, false
	}
	res := FromResourcedResult(ev.Result)
	a := &graph.Action{
		Kind:       graph.RscOp,
		Task:       ev.Op.Action,
		Resource:   ev.Op.Resource,
		Agent:      graph.Agent{Class: string(ev.Op.Agent.Class), Provider: ev.Op.Agent.Provider, Type: ev.Op.Agent.Type},
		Node:       node,
		IntervalMS: int(ev.Op.Interval.Milliseconds()),
		Params:     ev.Op.Params,
		TargetRC:   int(ev.Expected),
	}
	transition, uuid := -1, ""
	n := s.Node(node, "")
	key := graph.OpKey(a.Resource, a.Task, a.IntervalMS)
	for _, r := range n.Resources {
		if r.ID != a.Resource {
			continue
		}
		if prev := r.op(key); prev != nil {
			if id, tid, rc, u, err := graph.ParseTransitionKey(prev.TransitionKey); err == nil {
				a.ID, transition, a.TargetRC, uuid = id, tid, rc, u
			}
		}
	}
	end := ev.At.UnixMilli()
	start := end - ev.Result.Duration.Milliseconds()
	op = s.Record(Execution{Action: a, Result: res, TransitionID: transition, UUID: uuid, Queued: start, Started: start, Finished: end})
	return op, !res.Succeeded(a.TargetRC)
}
