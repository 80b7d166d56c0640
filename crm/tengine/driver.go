package tengine

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cib"
	"hbgo/crm/graph"
	"hbgo/resourced"
)

// Default timeouts of actions that carry none: resource operations, and
// cluster events when the graph has no stonith-timeout.
const (
	DefaultOpTimeout    = 20 * time.Second
	DefaultFenceTimeout = 60 * time.Second
)

// Result is the outcome of one executed action.
type Result struct {
	Action *graph.Action
	Op     OpResult
	// OK is whether the action succeeded (the agent answered its target
	// rc, the fencing or shutdown returned no error).
	OK bool
	// Err is the fencer's or shutdowner's error.
	Err                       error
	Queued, Started, Finished time.Time
}

// Report is how a transition went.
type Report struct {
	Outcome Outcome
	// Reason is why it was aborted.
	Reason  string
	Results []Result
}

// Driver runs graphs. Set Exec and Status; the rest has defaults.
type Driver struct {
	Exec Executor
	// Status receives the history of every resource operation and the
	// membership change of fenced and shut down nodes.
	Status *Status
	// Clock times operations and fires their timeouts; default real time.
	Clock resourced.Clock
	// UUID is the last part of every transition key (the DC's id).
	UUID string
	// BatchLimit bounds the actions running at once; 0 takes the graph's
	// batch-limit, and when that is 0 too, no bound.
	BatchLimit int
	// OnResult, when set, sees every result after it is recorded (fail
	// counts are kept by its caller).
	OnResult func(Result)
	Log      *logrus.Entry
}

// ErrNoExecutor means Driver.Exec is nil.
var ErrNoExecutor = errors.New("driver has no executor")

type finished struct {
	res Result
}

// Run executes g until every action completed or, after a failure, until
// the actions already running have finished. Cancelling ctx aborts the
// transition and cancels the running operations too (the engine is
// stopping); their results are still recorded. Operations without a
// timeout get DefaultOpTimeout, fencing and shutdown the graph's
// stonith-timeout.
func (d *Driver) Run(ctx context.Context, g *graph.Graph) (Report, error) {
	if d.Exec == nil {
		return Report{}, ErrNoExecutor
	}
	core, err := NewCore(g)
	if err != nil {
		return Report{}, err
	}
	clock := d.Clock
	if clock == nil {
		clock = resourced.RealClock()
	}
	log := d.Log
	if log == nil {
		l := logrus.New()
		l.SetOutput(discard{})
		log = logrus.NewEntry(l)
	}
	limit := d.BatchLimit
	if limit == 0 {
		limit = g.BatchLimit
	}
	opCtx, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	done := make(chan finished)
	var rep Report
	ctxDone := ctx.Done()
	for {
		for _, a := range core.Runnable() {
			if limit > 0 && core.Running() >= limit {
				break
			}
			if err := core.Start(a.ID); err != nil {
				return rep, err
			}
			log.WithFields(logrus.Fields{"action": a.ID, "op": a.Key(), "node": a.Node, "resource": a.Resource}).Debug("initiating action")
			go d.execute(opCtx, clock, a, fenceTimeout(g), done)
		}
		if o := core.Outcome(); o != InProgress {
			rep.Outcome, rep.Reason = o, core.Reason()
			log.WithFields(logrus.Fields{"transition": g.TransitionID, "outcome": o.String()}).Info("transition finished")
			return rep, nil
		}
		select {
		case f := <-done:
			d.record(g, f.res)
			rep.Results = append(rep.Results, f.res)
			if d.OnResult != nil {
				d.OnResult(f.res)
			}
			if !f.res.OK {
				a := f.res.Action
				log.WithFields(logrus.Fields{"action": a.ID, "op": a.Key(), "node": a.Node, "resource": a.Resource,
					"rc": f.res.Op.RC, "status": int(f.res.Op.Status), "reason": f.res.Op.ExitReason, "error": f.res.Err}).Warn("action failed")
			}
			if err := core.Complete(f.res.Action.ID, f.res.OK); err != nil {
				return rep, err
			}
		case <-ctxDone:
			ctxDone = nil
			core.Abort("transition cancelled: " + ctx.Err().Error())
			cancelAll()
		}
	}
}

// fenceTimeout is the graph's stonith-timeout, or DefaultFenceTimeout.
func fenceTimeout(g *graph.Graph) time.Duration {
	if ms, ok := cib.ParseIntervalMS(g.StonithTimeout); ok && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return DefaultFenceTimeout
}

func (d *Driver) execute(ctx context.Context, clock resourced.Clock, a *graph.Action, eventTimeout time.Duration, done chan<- finished) {
	res := Result{Action: a, Queued: clock.Now()}
	timeout := time.Duration(a.TimeoutMS) * time.Millisecond
	if timeout <= 0 {
		timeout = DefaultOpTimeout
		if a.Kind == graph.CRMEvent {
			timeout = eventTimeout
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var timedOut atomic.Bool
	timer := clock.AfterFunc(timeout, func() {
		timedOut.Store(true)
		cancel()
	})
	res.Started = clock.Now()
	switch {
	case a.Kind == graph.CRMEvent && a.Task == graph.TaskFence:
		res.Err = d.Exec.Fence(ctx, a.Node, a.FenceAction)
		res.OK = res.Err == nil
	case a.Kind == graph.CRMEvent && a.Task == graph.TaskShutdown:
		if s, ok := d.Exec.(Shutdowner); ok {
			res.Err = s.Shutdown(ctx, a.Node)
		}
		res.OK = res.Err == nil
	case a.Kind == graph.CRMEvent:
		res.Err = fmt.Errorf("cluster event %q: %w", a.Task, ErrNotRunnable)
	default:
		res.Op = d.Exec.RunOp(ctx, a.Node, a)
		res.OK = res.Op.Succeeded(a.TargetRC)
	}
	timer.Stop()
	res.Finished = clock.Now()
	if timedOut.Load() {
		res.OK = false
		res.Op = OpResult{RC: 1, Status: OpTimeout, ExitReason: "timed out after " + timeout.String()}
		if res.Err == nil && a.Kind == graph.CRMEvent {
			res.Err = fmt.Errorf("%s: timed out after %s", a, timeout)
		}
	}
	done <- finished{res}
}

func (d *Driver) record(g *graph.Graph, r Result) {
	if d.Status == nil {
		return
	}
	a := r.Action
	switch {
	case a.Kind == graph.RscOp:
		d.Status.Record(Execution{Action: a, Result: r.Op, TransitionID: g.TransitionID, UUID: d.UUID,
			Queued: r.Queued.UnixMilli(), Started: r.Started.UnixMilli(), Finished: r.Finished.UnixMilli()})
	case r.OK && (a.Task == graph.TaskShutdown || (a.Task == graph.TaskFence && a.FenceAction != "on")):
		d.Status.NodeDown(a.Node, a.NodeUUID)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
