package tengine

import (
	"fmt"
	"sort"

	"hbgo/crm/graph"
)

// ActionState is the progress of one action.
type ActionState int

// Action states. An action is Pending until Core lets it start.
const (
	Pending ActionState = iota
	Running
	Succeeded
	Failed
)

// String names the state.
func (s ActionState) String() string {
	switch s {
	case Pending:
		return "pending"
	case Running:
		return "running"
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("ActionState(%d)", int(s))
}

// Outcome is how a transition ended.
type Outcome int

// Outcomes.
const (
	// InProgress: actions are still running or runnable.
	InProgress Outcome = iota
	// Complete: every action succeeded.
	Complete
	// Aborted: an action failed or Abort was called; no new action was
	// started after that and the running ones were awaited.
	Aborted
	// Stalled: nothing runs and nothing can start, yet actions remain;
	// only possible with a graph that failed Validate.
	Stalled
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case InProgress:
		return "in progress"
	case Complete:
		return "complete"
	case Aborted:
		return "aborted"
	case Stalled:
		return "stalled"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Core is the pure scheduling state of one transition. It is not safe for
// concurrent use; the Driver owns it from one goroutine.
type Core struct {
	g       *graph.Graph
	byID    map[int]*graph.Action
	state   map[int]ActionState
	running int
	aborted bool
	reason  string
}

// NewCore validates g and returns its scheduler with every action pending.
// Pseudo actions without inputs are already complete.
func NewCore(g *graph.Graph) (*Core, error) {
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("transition %d: %w", g.TransitionID, err)
	}
	c := &Core{g: g, byID: make(map[int]*graph.Action, len(g.Actions)), state: make(map[int]ActionState, len(g.Actions))}
	for _, a := range g.Actions {
		c.state[a.ID] = Pending
		c.byID[a.ID] = a
	}
	c.settlePseudo()
	return c, nil
}

// State returns the state of action id.
func (c *Core) State(id int) ActionState { return c.state[id] }

func (c *Core) ready(a *graph.Action) bool {
	if c.state[a.ID] != Pending {
		return false
	}
	for _, in := range a.Inputs {
		if c.state[in] != Succeeded {
			return false
		}
	}
	return true
}

// settlePseudo completes every pseudo action whose inputs are complete,
// repeatedly, since one may feed another. Pseudo actions complete even
// after an abort: they run nothing.
func (c *Core) settlePseudo() {
	for changed := true; changed; {
		changed = false
		for _, a := range c.g.Actions {
			if a.Kind == graph.Pseudo && c.ready(a) {
				c.state[a.ID] = Succeeded
				changed = true
			}
		}
	}
}

// Runnable returns the actions that may start now, highest priority first
// then by id; none once the transition is aborted.
func (c *Core) Runnable() []*graph.Action {
	if c.aborted {
		return nil
	}
	var out []*graph.Action
	for _, a := range c.g.Actions {
		if a.Kind != graph.Pseudo && c.ready(a) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority > out[j].Priority
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Start marks a runnable action as running.
func (c *Core) Start(id int) error {
	a := c.byID[id]
	if a == nil {
		return fmt.Errorf("start action %d: %w", id, graph.ErrUnknownInput)
	}
	if c.aborted || !c.ready(a) {
		return fmt.Errorf("start action %d (%s): %w", id, a, ErrNotRunnable)
	}
	c.state[id] = Running
	c.running++
	return nil
}

// Complete records the end of a running action. A failure aborts the
// transition.
func (c *Core) Complete(id int, ok bool) error {
	if c.state[id] != Running {
		return fmt.Errorf("complete action %d: %w", id, ErrNotRunning)
	}
	c.running--
	if ok {
		c.state[id] = Succeeded
		c.settlePseudo()
		return nil
	}
	c.state[id] = Failed
	c.Abort(fmt.Sprintf("action %d (%s) failed", id, c.byID[id]))
	return nil
}

// Abort stops the transition from starting anything new; the first reason
// given is kept.
func (c *Core) Abort(reason string) {
	if !c.aborted {
		c.aborted, c.reason = true, reason
	}
}

// Reason is why the transition was aborted ("" if it was not).
func (c *Core) Reason() string { return c.reason }

// Running is the number of actions started and not completed.
func (c *Core) Running() int { return c.running }

// Outcome reports whether the transition is over and how.
func (c *Core) Outcome() Outcome {
	if c.running > 0 {
		return InProgress
	}
	if c.aborted {
		return Aborted
	}
	pending := false
	for _, a := range c.g.Actions {
		if c.state[a.ID] == Pending {
			pending = true
			if c.ready(a) {
				return InProgress
			}
		}
	}
	if pending {
		return Stalled
	}
	return Complete
}
