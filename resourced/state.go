package resourced

import (
	"sort"
	"time"

	"hbgo/resourced/ocf"
)

// RscState is what the Manager last learned about a resource from the
// results of its operations.
type RscState int

// Resource states.
const (
	StateUnknown  RscState = iota // never probed or operated on
	StateStopped                  // cleanly stopped (7)
	StateStarted                  // running (0)
	StatePromoted                 // running promoted (8)
	StateFailed                   // an operation failed; the state is in doubt
)

var stateNames = [...]string{"unknown", "stopped", "started", "promoted", "failed"}

// String returns a lower-case name.
func (s RscState) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "RscState(?)"
}

// Expected returns the exit code op should give when the resource is in
// state s. ok is false when any answer describing a state is acceptable
// (a monitor of a resource in unknown or failed state: a probe).
func Expected(op Op, s RscState) (rc ocf.ExitCode, ok bool) {
	switch op.Action {
	case ActionMonitor, ActionStatus:
		switch s {
		case StateStopped:
			return ocf.NotRunning, true
		case StateStarted:
			return ocf.Success, true
		case StatePromoted:
			return ocf.RunningPromoted, true
		}
		return 0, false
	}
	return ocf.Success, true
}

// Recovery classifies a result against the expected code: a failed or
// timed-out stop is RecoverFence (the resource may still run here),
// timeouts and errors of other actions are soft, a missing agent or a
// malformed operation is hard, cancellation needs nothing; otherwise
// the exit code decides (ocf.RecoveryFor).
func Recovery(op Op, r Result, want ocf.ExitCode) ocf.Recovery {
	var rec ocf.Recovery
	switch r.Status {
	case StatusCancelled:
		return ocf.RecoverNone
	case StatusNotInstalled, StatusInvalid:
		rec = ocf.RecoverHard
	case StatusTimeout, StatusError, StatusPending:
		rec = ocf.RecoverSoft
	default:
		rec = ocf.RecoveryFor(r.RC, want)
	}
	if op.Action == ActionStop && rec != ocf.RecoverNone {
		return ocf.RecoverFence
	}
	return rec
}

// HistoryEntry is the last result of one operation key of a resource.
type HistoryEntry struct {
	Op       Op
	Result   Result
	At       time.Time
	Expected ocf.ExitCode
	Recovery ocf.Recovery
}

type rscInfo struct {
	state    RscState
	fails    int
	history  map[string]HistoryEntry
	lastFail time.Time
}

// record updates what the manager knows after op ended with r; the caller
// holds the resource's queue position, so records of one resource are in
// execution order. It returns the expected code and the recovery class.
func (m *Manager) record(op Op, r Result, probe bool) (ocf.ExitCode, ocf.Recovery) {
	m.mu.Lock()
	defer m.mu.Unlock()
	info := m.rsc[op.Resource]
	if info == nil {
		info = &rscInfo{history: map[string]HistoryEntry{}}
		m.rsc[op.Resource] = info
	}
	want, known := Expected(op, info.state)
	if probe {
		known = false
	}
	if !known {
		want = r.RC // any state answer is fine
	}
	rec := Recovery(op, r, want)
	if !known && r.Status == StatusDone && r.RC != ocf.Success && r.RC != ocf.NotRunning && r.RC != ocf.RunningPromoted {
		rec = ocf.RecoveryFor(r.RC, ocf.Success) // not a state: a failure
		if rec == ocf.RecoverNone {
			rec = ocf.RecoverSoft
		}
	}
	now := m.cfg.Clock.Now()
	info.history[op.Key()] = HistoryEntry{Op: op, Result: r, At: now, Expected: want, Recovery: rec}
	if r.Status == StatusCancelled {
		return want, rec
	}
	if rec != ocf.RecoverNone {
		info.fails++
		info.lastFail = now
	}
	switch op.Action {
	case ActionStart:
		info.state = pick(rec, StateStarted)
	case ActionStop:
		info.state = pick(rec, StateStopped)
	case ActionPromote:
		info.state = pick(rec, StatePromoted)
	case ActionDemote:
		info.state = pick(rec, StateStarted)
	case ActionMonitor, ActionStatus:
		switch {
		case r.Status != StatusDone:
			info.state = StateFailed
		case r.RC == ocf.Success || r.RC == ocf.Degraded:
			info.state = StateStarted
		case r.RC == ocf.NotRunning:
			info.state = StateStopped
		case r.RC == ocf.RunningPromoted || r.RC == ocf.DegradedPromoted:
			info.state = StatePromoted
		default:
			info.state = StateFailed
		}
	}
	return want, rec
}

func pick(rec ocf.Recovery, ok RscState) RscState {
	if rec == ocf.RecoverNone {
		return ok
	}
	return StateFailed
}

// State returns what the manager last learned about rsc.
func (m *Manager) State(rsc string) RscState {
	m.mu.Lock()
	defer m.mu.Unlock()
	if info := m.rsc[rsc]; info != nil {
		return info.state
	}
	return StateUnknown
}

// FailCount returns how many operations of rsc failed since the last
// ClearFailures.
func (m *Manager) FailCount(rsc string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if info := m.rsc[rsc]; info != nil {
		return info.fails
	}
	return 0
}

// ClearFailures resets the fail count of rsc (crm_resource --cleanup).
func (m *Manager) ClearFailures(rsc string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if info := m.rsc[rsc]; info != nil {
		info.fails = 0
	}
}

// History returns the last result of each operation key of rsc, sorted by
// key.
func (m *Manager) History(rsc string) []HistoryEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	info := m.rsc[rsc]
	if info == nil {
		return nil
	}
	keys := make([]string, 0, len(info.history))
	for k := range info.history {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]HistoryEntry, 0, len(keys))
	for _, k := range keys {
		out = append(out, info.history[k])
	}
	return out
}
