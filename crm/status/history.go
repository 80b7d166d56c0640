package status

import (
	"sort"
	"strconv"
	"strings"

	"hbgo/crm/cib"
)

// OCF exit codes and executor statuses the history interpretation needs.
const (
	rcOK           = 0
	rcNotInstalled = 5
	rcNotRunning   = 7
	rcPromoted     = 8

	execPending      = -1
	execDone         = 0
	execCancelled    = 1
	execError        = 4
	execNotInstalled = 7

	rcDegraded         = 190
	rcDegradedPromoted = 191
)

// instanceState is what the operation history of one resource on one node
// says about it.
type instanceState struct {
	role           Role
	failed         bool
	ignored        bool
	blocked        bool
	fence          bool // a failure whose recovery is fencing the node
	pending        string
	failures       []cib.LRMOp
	lastFailureRun int64
}

// onFailFunc returns the configured on-fail for an operation ("" when not
// configured).
type onFailFunc func(task string, intervalMS int) string

// isProbe reports whether op is a one-shot monitor (a probe).
func isProbe(op cib.LRMOp) bool { return op.Operation == "monitor" && op.IntervalMS == 0 }

// expectedRC is the exit code the DC asked for, from the transition key
// ("action:transition:target-rc:uuid"); 0 when it is not recorded.
func expectedRC(op cib.LRMOp) int {
	key := op.TransitionKey
	if key == "" && op.TransitionMagic != "" {
		// magic is "status:rc;action:transition:target-rc:uuid"
		if i := strings.IndexByte(op.TransitionMagic, ';'); i >= 0 {
			key = op.TransitionMagic[i+1:]
		}
	}
	f := strings.Split(key, ":")
	if len(f) >= 3 {
		if n, err := strconv.Atoi(f[2]); err == nil {
			return n
		}
	}
	return rcOK
}

// sortedOps returns the operations in the order they were executed: by
// call id, with pending operations (call id -1) last.
func sortedOps(ops []cib.LRMOp) []cib.LRMOp {
	out := append([]cib.LRMOp(nil), ops...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].CallID, out[j].CallID
		if a == -1 || b == -1 {
			return a != -1 && b == -1
		}
		return a < b
	})
	return out
}

// interpret replays one resource's history on one node and returns its
// current state. stonith says whether fencing is enabled, which decides
// the default reaction to a failed stop.
func interpret(ops []cib.LRMOp, onFail onFailFunc, stonith bool) instanceState {
	st := instanceState{role: Stopped}
	for _, op := range sortedOps(ops) {
		if op.CallID == -1 || op.OpStatus == execPending {
			st.pending = op.Operation
			switch op.Operation {
			case "start", "migrate_from":
				st.role = Started
			case "promote":
				st.role = Promoted
			}
			continue
		}
		st.pending = ""
		if op.OpStatus == execCancelled {
			continue
		}
		if isProbe(op) && (op.RC == rcNotInstalled || op.OpStatus == execNotInstalled) {
			// a probe that finds no agent means the resource cannot be
			// running there; it is not a failure
			continue
		}
		want := expectedRC(op)
		// degraded results count as their healthy counterparts
		switch op.RC {
		case rcDegraded:
			op.RC = rcOK
		case rcDegradedPromoted:
			op.RC = rcPromoted
		}
		// A completed operation, or one the executor flagged as an error,
		// is judged by its exit code against the one the DC expected; a
		// probe may find the resource in any state.
		judged := op.OpStatus == execDone || op.OpStatus == execError
		ok := judged && (op.RC == want ||
			(isProbe(op) && (op.RC == rcOK || op.RC == rcNotRunning || op.RC == rcPromoted)))
		if ok {
			success(&st, op)
			continue
		}
		st.failures = append(st.failures, op)
		policy := onFail(op.Operation, op.IntervalMS)
		if policy == "" {
			policy = "restart"
			if op.Operation == "stop" {
				policy = "block"
				if stonith {
					policy = "fence"
				}
			}
		}
		switch {
		case op.Operation == "promote" || op.Operation == "demote" || op.RC == rcPromoted:
			st.role = Promoted
		case st.role.rank() < Started.rank():
			st.role = Started
		}
		if policy == "ignore" {
			st.ignored = true
			continue
		}
		if policy == "fence" && op.RC != rcNotInstalled {
			// the node will be fenced; the resource is not marked failed
			st.fence = true
			continue
		}
		st.failed = true
		if policy == "block" {
			st.blocked = true
		}
	}
	return st
}

// success applies a successful operation to the state.
func success(st *instanceState, op cib.LRMOp) {
	switch op.Operation {
	case "start", "migrate_from":
		st.role = Started
		st.failed, st.blocked = false, false
	case "stop":
		st.role = Stopped
		st.failed, st.blocked = false, false
	case "promote":
		st.role = Promoted
		st.failed, st.blocked = false, false
	case "demote":
		st.role = Started
		st.failed, st.blocked = false, false
	case "migrate_to":
		st.role = Started
	case "monitor":
		switch op.RC {
		case rcNotRunning:
			st.role = Stopped
		case rcPromoted:
			st.role = Promoted
		case rcOK:
			if st.role.rank() < Started.rank() || st.role == Promoted {
				st.role = Started
			}
		}
	}
}
