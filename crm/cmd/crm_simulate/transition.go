package main

import (
	"fmt"
	"strconv"

	"hbgo/crm/graph"
)

// executionOrder lists the actions of g in the order a simulated run
// carries them out, as Pacemaker's graph runner does with every action
// succeeding at once: repeated passes over the actions in id order, each
// firing every action whose inputs have completed (an action fired earlier
// in the same pass counts as completed).
func executionOrder(g *graph.Graph) []*graph.Action {
	done := map[int]bool{}
	var out []*graph.Action
	for len(out) < len(g.Actions) {
		progress := false
		for _, a := range g.Actions {
			if done[a.ID] {
				continue
			}
			ready := true
			for _, in := range a.Inputs {
				if !done[in] {
					ready = false
					break
				}
			}
			if ready {
				done[a.ID] = true
				out = append(out, a)
				progress = true
			}
		}
		if !progress {
			// A cycle: report what could not run rather than loop forever.
			for _, a := range g.Actions {
				if !done[a.ID] {
					out = append(out, a)
				}
			}
			break
		}
	}
	return out
}

// actionLine describes one executed action in crm_simulate's words.
func actionLine(a *graph.Action) string {
	switch {
	case a.Kind == graph.CRMEvent && a.Task == graph.TaskFence:
		return fmt.Sprintf("Fencing %s (%s)", a.Node, a.FenceAction)
	case a.Kind == graph.CRMEvent:
		return fmt.Sprintf("Cluster action:  %s on %s", a.Task, a.Node)
	case a.Kind == graph.Pseudo:
		return "Pseudo action:   " + a.Key()
	}
	rsc := a.Resource
	if a.LongID != "" {
		rsc = a.LongID
	}
	task := a.Task
	if a.IntervalMS > 0 {
		task += "=" + strconv.Itoa(a.IntervalMS)
	}
	return fmt.Sprintf("Resource action: %-15s %s on %s", rsc, task, a.Node)
}
