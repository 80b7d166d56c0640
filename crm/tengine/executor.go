package tengine

import (
	"context"

	"hbgo/crm/graph"
)

// OpResult is what an executor reports for one action.
type OpResult struct {
	// RC is the agent's OCF exit code.
	RC int
	// Status says whether the agent ran to completion (OpDone) or why not.
	Status     OpStatus
	ExitReason string
}

// Succeeded reports whether the operation ran and answered targetRC.
func (r OpResult) Succeeded(targetRC int) bool {
	return r.Status == OpDone && r.RC == targetRC
}

// Executor carries out the actions of a graph on the cluster's nodes.
// Implementations must return when ctx is cancelled (the driver cancels it
// at the operation's timeout).
type Executor interface {
	// RunOp runs a resource operation (start, stop, monitor, promote,
	// demote, cancel of a recurring operation...) on node. A recurring
	// monitor reports its first result and keeps running until cancelled.
	RunOp(ctx context.Context, node string, a *graph.Action) OpResult
	// Fence fences node with action (reboot, off, on); nil means done.
	Fence(ctx context.Context, node, action string) error
}

// Shutdowner is implemented by executors that can tell a node's cluster
// stack to leave; without it a shutdown action only updates the status.
type Shutdowner interface {
	Shutdown(ctx context.Context, node string) error
}
