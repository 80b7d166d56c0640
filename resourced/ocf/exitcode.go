package ocf

import "strconv"

// ExitCode is the exit status of a resource agent action, interpreted with
// the OCF meaning. It is a result, not a failure of ours: never pass it
// around as a Go error.
type ExitCode int

// The OCF exit codes. Values are fixed by the OCF resource agent API.
const (
	Success          ExitCode = 0   // OCF_SUCCESS: done / running
	ErrGeneric       ExitCode = 1   // OCF_ERR_GENERIC: generic failure
	ErrArgs          ExitCode = 2   // OCF_ERR_ARGS: configuration invalid on this node
	ErrUnimplemented ExitCode = 3   // OCF_ERR_UNIMPLEMENTED: action not supported
	ErrPerm          ExitCode = 4   // OCF_ERR_PERM: insufficient privileges
	ErrInstalled     ExitCode = 5   // OCF_ERR_INSTALLED: software missing on this node
	ErrConfigured    ExitCode = 6   // OCF_ERR_CONFIGURED: configuration invalid everywhere
	NotRunning       ExitCode = 7   // OCF_NOT_RUNNING: cleanly stopped
	RunningPromoted  ExitCode = 8   // OCF_RUNNING_MASTER: running in the promoted role
	FailedPromoted   ExitCode = 9   // OCF_FAILED_MASTER: failed while promoted
	Degraded         ExitCode = 190 // OCF_DEGRADED (OCF 1.1): running but degraded
	DegradedPromoted ExitCode = 191 // OCF_DEGRADED_MASTER (OCF 1.1): promoted but degraded
)

var exitNames = map[ExitCode]string{
	Success:          "OCF_SUCCESS",
	ErrGeneric:       "OCF_ERR_GENERIC",
	ErrArgs:          "OCF_ERR_ARGS",
	ErrUnimplemented: "OCF_ERR_UNIMPLEMENTED",
	ErrPerm:          "OCF_ERR_PERM",
	ErrInstalled:     "OCF_ERR_INSTALLED",
	ErrConfigured:    "OCF_ERR_CONFIGURED",
	NotRunning:       "OCF_NOT_RUNNING",
	RunningPromoted:  "OCF_RUNNING_MASTER",
	FailedPromoted:   "OCF_FAILED_MASTER",
	Degraded:         "OCF_DEGRADED",
	DegradedPromoted: "OCF_DEGRADED_MASTER",
}

// String returns the OCF symbolic name, or "OCF_UNKNOWN(n)" for codes the API
// does not define.
func (c ExitCode) String() string {
	if n, ok := exitNames[c]; ok {
		return n
	}
	return "OCF_UNKNOWN(" + strconv.Itoa(int(c)) + ")"
}

// Known reports whether c is one of the codes the OCF API defines.
func (c ExitCode) Known() bool {
	_, ok := exitNames[c]
	return ok
}

// Recovery says how far a failure reaches when an action ends with an
// unexpected exit code.
type Recovery int

// Recovery classes, from least to most severe.
const (
	// RecoverNone: the code was the expected one; nothing to recover.
	RecoverNone Recovery = iota
	// RecoverSoft: restart the resource here, or move it.
	RecoverSoft
	// RecoverHard: the resource cannot run on this node; ban it locally.
	RecoverHard
	// RecoverFatal: the configuration is wrong everywhere; never start it.
	RecoverFatal
	// RecoverFence: a stop failed, so the resource may still be active
	// here; only fencing (in v1: rebooting) this node makes it safe.
	// Exit codes alone never give this class; see resourced.Recovery.
	RecoverFence
)

// String returns "none", "soft", "hard" or "fatal".
func (r Recovery) String() string {
	switch r {
	case RecoverNone:
		return "none"
	case RecoverSoft:
		return "soft"
	case RecoverHard:
		return "hard"
	case RecoverFatal:
		return "fatal"
	case RecoverFence:
		return "fence"
	}
	return "Recovery(" + strconv.Itoa(int(r)) + ")"
}

// Class returns the recovery class of c when it is not the code the caller
// expected. Codes outside the OCF table count as a generic error (soft).
func (c ExitCode) Class() Recovery {
	switch c {
	case ErrArgs, ErrUnimplemented, ErrPerm, ErrInstalled:
		return RecoverHard
	case ErrConfigured:
		return RecoverFatal
	}
	return RecoverSoft
}

// RecoveryFor returns RecoverNone when got equals want, and got.Class()
// otherwise. Degraded codes count as their healthy counterpart, as
// Pacemaker does for monitors.
func RecoveryFor(got, want ExitCode) Recovery {
	switch got {
	case Degraded:
		got = Success
	case DegradedPromoted:
		got = RunningPromoted
	}
	if got == want {
		return RecoverNone
	}
	return got.Class()
}

// FromProcess maps a raw process exit status to an ExitCode. Statuses the
// OCF API does not define (including negative ones for signalled processes)
// become ErrGeneric, the API's rule for unknown codes.
func FromProcess(status int) ExitCode {
	c := ExitCode(status)
	if c.Known() {
		return c
	}
	return ErrGeneric
}

// FromLSBStatus maps the exit status of an LSB init script's "status"
// action, which uses its own table (0 running, 1-3 dead/not running,
// 4 unknown, and Pacemaker's private 150/151).
func FromLSBStatus(status int) ExitCode {
	switch status {
	case 0:
		return Success
	case 1, 2, 3:
		return NotRunning
	case 150:
		return ErrInstalled
	case 151:
		return ErrPerm
	}
	return ErrGeneric
}

// FromLSB maps the exit status of an LSB init script action other than
// status: 0-7 carry the OCF meaning, anything else is a generic error.
func FromLSB(status int) ExitCode {
	if status >= 0 && status <= 7 {
		return ExitCode(status)
	}
	return ErrGeneric
}
