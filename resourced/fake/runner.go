package fake

import (
	"context"
	"sync"
	"time"

	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// Call is one recorded operation.
type Call struct {
	Resource string
	Action   string
	Interval time.Duration
}

// Runner simulates agents; its methods are safe for concurrent use.
type Runner struct {
	mu       sync.Mutex
	state    map[string]ocf.ExitCode // Success, NotRunning or RunningPromoted
	injected map[[2]string][]resourced.Result
	sticky   map[[2]string]resourced.Result
	calls    []Call
}

// New returns a Runner in which every resource starts stopped.
func New() *Runner {
	return &Runner{
		state:    map[string]ocf.ExitCode{},
		injected: map[[2]string][]resourced.Result{},
		sticky:   map[[2]string]resourced.Result{},
	}
}

// Inject queues a result for the next call of action on rsc; queued
// results are used once each, in order, and do not change the state.
func (r *Runner) Inject(rsc, action string, res resourced.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := [2]string{rsc, action}
	r.injected[k] = append(r.injected[k], res)
}

// Always makes every call of action on rsc return res until Clear.
func (r *Runner) Always(rsc, action string, res resourced.Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sticky[[2]string{rsc, action}] = res
}

// Clear removes injected and sticky results of rsc.
func (r *Runner) Clear(rsc string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.injected {
		if k[0] == rsc {
			delete(r.injected, k)
		}
	}
	for k := range r.sticky {
		if k[0] == rsc {
			delete(r.sticky, k)
		}
	}
}

// SetState forces a resource's state as a monitor would report it
// (Success, NotRunning or RunningPromoted), e.g. to simulate a crash.
func (r *Runner) SetState(rsc string, rc ocf.ExitCode) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state[rsc] = rc
}

// State returns what a monitor of rsc would report.
func (r *Runner) State(rsc string) ocf.ExitCode {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stateLocked(rsc)
}

func (r *Runner) stateLocked(rsc string) ocf.ExitCode {
	if s, ok := r.state[rsc]; ok {
		return s
	}
	return ocf.NotRunning
}

// Calls returns the operations run so far, in order.
func (r *Runner) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Call(nil), r.calls...)
}

// Run simulates op. A cancelled ctx gives StatusCancelled.
func (r *Runner) Run(ctx context.Context, op resourced.Op) resourced.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, Call{op.Resource, op.Action, op.Interval})
	if ctx.Err() != nil {
		return resourced.Result{Status: resourced.StatusCancelled, RC: ocf.ErrGeneric, Err: ctx.Err()}
	}
	k := [2]string{op.Resource, op.Action}
	if q := r.injected[k]; len(q) > 0 {
		r.injected[k] = q[1:]
		return q[0]
	}
	if res, ok := r.sticky[k]; ok {
		return res
	}
	done := func(rc ocf.ExitCode) resourced.Result { return resourced.Result{Status: resourced.StatusDone, RC: rc} }
	cur := r.stateLocked(op.Resource)
	switch op.Action {
	case resourced.ActionStart:
		if cur == ocf.NotRunning {
			r.state[op.Resource] = ocf.Success
		}
		return done(ocf.Success)
	case resourced.ActionStop:
		r.state[op.Resource] = ocf.NotRunning
		return done(ocf.Success)
	case resourced.ActionMonitor, resourced.ActionStatus:
		return done(cur)
	case resourced.ActionPromote:
		if cur == ocf.NotRunning {
			return resourced.Result{Status: resourced.StatusDone, RC: ocf.ErrGeneric, ExitReason: "promote of a stopped resource"}
		}
		r.state[op.Resource] = ocf.RunningPromoted
		return done(ocf.Success)
	case resourced.ActionDemote:
		if cur == ocf.RunningPromoted {
			r.state[op.Resource] = ocf.Success
		}
		return done(ocf.Success)
	case resourced.ActionValidate, resourced.ActionMetaData, resourced.ActionNotify, resourced.ActionReload:
		return done(ocf.Success)
	}
	return done(ocf.ErrUnimplemented)
}
