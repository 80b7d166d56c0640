package tengine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/graph"
	"hbgo/resourced"
	"hbgo/stonith"
)

// LRMExecutor runs resource operations through the local resource manager
// of each node and fencing through a Fencer. Nodes without a Manager are
// unreachable: their operations fail with OpError.
type LRMExecutor struct {
	// Managers maps node names to their resource manager.
	Managers map[string]*resourced.Manager
	// Fencer performs fencing; nil makes every fencing request fail.
	Fencer interface {
		Fence(ctx context.Context, node, action string) error
	}
}

// ErrNoNode means no resource manager is known for the target node.
var ErrNoNode = errors.New("no resource manager for node")

// ErrNoFencer means fencing was requested without a fencer.
var ErrNoFencer = errors.New("no fencing configured")

// ToResourcedOp maps a graph resource operation to the resource manager's
// operation.
func ToResourcedOp(a *graph.Action) resourced.Op {
	op := resourced.Op{
		Resource: a.Resource,
		Agent:    resourced.Agent{Class: resourced.Class(a.Agent.Class), Provider: a.Agent.Provider, Type: a.Agent.Type},
		Action:   a.Task,
		Params:   a.Params,
		Meta:     a.Meta,
		Interval: time.Duration(a.IntervalMS) * time.Millisecond,
		Timeout:  time.Duration(a.TimeoutMS) * time.Millisecond,
	}
	if a.Task == graph.TaskCancel {
		op.Action = a.CancelTask
	}
	return op
}

// FromResourcedResult maps the resource manager's result.
func FromResourcedResult(r resourced.Result) OpResult {
	st := OpError
	switch r.Status {
	case resourced.StatusDone:
		st = OpDone
	case resourced.StatusTimeout:
		st = OpTimeout
	case resourced.StatusCancelled:
		st = OpCancelled
	case resourced.StatusNotInstalled:
		st = OpNotInstalled
	case resourced.StatusInvalid:
		st = OpErrorHard
	}
	return OpResult{RC: int(r.RC), Status: st, ExitReason: r.ExitReason}
}

// RunOp implements Executor. Starts go through the manager's Start (with
// validate-all), stops through Stop (which cancels the resource's recurring
// operations), probes through Probe; a recurring monitor runs once and is
// then scheduled every interval; a cancel stops the recurring operation.
func (x *LRMExecutor) RunOp(ctx context.Context, node string, a *graph.Action) OpResult {
	m := x.Managers[node]
	if m == nil {
		return OpResult{RC: 1, Status: OpError, ExitReason: fmt.Sprintf("%s: %v", node, ErrNoNode)}
	}
	op := ToResourcedOp(a)
	switch {
	case a.Task == graph.TaskCancel:
		m.CancelRecurring(op.Key())
		return OpResult{Status: OpDone}
	case a.Task == resourced.ActionStart:
		return FromResourcedResult(m.Start(ctx, op))
	case a.Task == resourced.ActionStop:
		return FromResourcedResult(m.Stop(ctx, op))
	case op.IsProbe():
		return FromResourcedResult(m.Probe(ctx, op))
	case op.Interval > 0:
		res := FromResourcedResult(m.Execute(ctx, op))
		if res.Succeeded(a.TargetRC) {
			// The first run was the one above.
			if err := m.StartRecurring(op); err != nil && !errors.Is(err, resourced.ErrDuplicateRecurring) {
				return OpResult{RC: 1, Status: OpError, ExitReason: err.Error()}
			}
		}
		return res
	}
	return FromResourcedResult(m.Execute(ctx, op))
}

// Fence implements Executor.
func (x *LRMExecutor) Fence(ctx context.Context, node, action string) error {
	if x.Fencer == nil {
		return fmt.Errorf("fence %s: %w", node, ErrNoFencer)
	}
	return x.Fencer.Fence(ctx, node, action)
}

// StonithFencer fences with the first configured STONITH device that
// controls the node.
type StonithFencer struct {
	Devices []stonith.Named
	Log     *logrus.Entry
}

// Fence resets (reboot) or powers off or on node.
func (f StonithFencer) Fence(ctx context.Context, node, action string) error {
	host := stonith.Lower(node)
	switch action {
	case "", "reboot":
		return stonith.ResetWithAny(ctx, f.Devices, host, stonith.OrDiscard(f.Log))
	case "off", "on":
		want := stonith.Off
		if action == "on" {
			want = stonith.On
		}
		var errs []error
		for _, d := range f.Devices {
			hosts, err := d.Device.Hosts(ctx)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, h := range hosts {
				if stonith.Lower(h) == host {
					err := d.Device.Fence(ctx, want, host)
					if err == nil {
						return nil
					}
					errs = append(errs, fmt.Errorf("%s: %w", d.Name, err))
				}
			}
		}
		if len(errs) == 0 {
			return fmt.Errorf("fence %s %s: %w", action, node, stonith.ErrNoDevice)
		}
		return fmt.Errorf("fence %s %s: %w", action, node, errors.Join(errs...))
	}
	return fmt.Errorf("fence action %q: %w", action, stonith.ErrInval)
}
