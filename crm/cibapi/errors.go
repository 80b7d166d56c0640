package cibapi

import (
	"context"
	"errors"
)

// Sentinel errors. Backends return ErrNoDC, ErrNoQuorum, ErrTimeout or
// ErrNotCommitted (possibly wrapped) to say why a Replace did not commit;
// Client returns errors wrapping these and the connection errors, so tools
// can test them with errors.Is.
var (
	// ErrNotRunning means nothing answers on the CIB socket and no
	// heartbeat daemon answers on its API socket in the same run
	// directory either.
	ErrNotRunning = errors.New("heartbeat is not running")
	// ErrCRMOff means heartbeat answers on its API socket but nothing
	// serves the CIB: the daemon runs without "crm on" in ha.cf.
	ErrCRMOff = errors.New("heartbeat is running but crm mode is off (no CIB service; set \"crm on\" in ha.cf)")
	// ErrPermission means the CIB socket exists but this user may not
	// connect to it (it is root's only).
	ErrPermission = errors.New("permission denied: only root may use the CIB socket")
	// ErrNotCommitted means a replacement was not committed. It is the
	// parent of ErrNoDC, ErrNoQuorum and ErrTimeout.
	ErrNotCommitted = errors.New("CIB change not committed")
	// ErrNoDC means no designated coordinator is elected to commit the
	// change.
	ErrNoDC = &notCommitted{"no DC is elected"}
	// ErrNoQuorum means this node's partition has no quorum, so the
	// change is not applied.
	ErrNoQuorum = &notCommitted{"the partition has no quorum"}
	// ErrTimeout means the commit was not confirmed in time. The change
	// may still be applied later; the caller cannot count on it.
	ErrTimeout = &notCommitted{"no commit confirmed before the timeout (the change may still be applied later)"}
	// ErrStale means the replacement is not newer than the CIB it would
	// replace (by admin_epoch, epoch, num_updates): someone else changed
	// the CIB after this client read it. Reading again and redoing the
	// edit is safe.
	ErrStale = errors.New("the CIB changed since it was read (update older than the current configuration)")
	// ErrRejected means the daemon refused the request, for instance an
	// invalid configuration.
	ErrRejected = errors.New("the daemon refused the request")
	// ErrBadRequest means the daemon could not decode the request.
	ErrBadRequest = errors.New("the daemon could not decode the request")
	// ErrNoAnswer means the connection ended without an answer, so the
	// outcome of a replacement is unknown.
	ErrNoAnswer = errors.New("no answer from the daemon (outcome unknown)")
)

// notCommitted is a reason for ErrNotCommitted: it reads as
// "CIB change not committed: <reason>" and matches ErrNotCommitted.
type notCommitted struct{ reason string }

func (e *notCommitted) Error() string { return ErrNotCommitted.Error() + ": " + e.reason }

func (e *notCommitted) Unwrap() error { return ErrNotCommitted }

// codeOf maps a backend error to the answer code sent to the client.
func codeOf(err error) string {
	switch {
	case errors.Is(err, ErrNoDC):
		return codeNoDC
	case errors.Is(err, ErrNoQuorum):
		return codeNoQuorum
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return codeTimeout
	case errors.Is(err, ErrNotCommitted):
		return codeNotCommitted
	case errors.Is(err, errBadRequest):
		return codeBadRequest
	case errors.Is(err, ErrStale):
		return codeStale
	case errors.Is(err, ErrRejected):
		return codeRejected
	}
	return codeFailed
}

// errOf maps an answer code back to its sentinel.
func errOf(code string) error {
	switch code {
	case codeNoDC:
		return ErrNoDC
	case codeNoQuorum:
		return ErrNoQuorum
	case codeTimeout:
		return ErrTimeout
	case codeNotCommitted:
		return ErrNotCommitted
	case codeBadRequest:
		return ErrBadRequest
	case codeStale:
		return ErrStale
	case codeRejected, codeFailed:
		return ErrRejected
	}
	return ErrRejected
}

// Exit codes of Pacemaker's tools for the failures this package reports.
const (
	ExitError       = 1   // CRM_EX_ERROR
	ExitPermission  = 4   // CRM_EX_INSUFFICIENT_PRIV
	ExitUnavailable = 69  // CRM_EX_UNAVAILABLE: no DC to take the change
	ExitProtocol    = 76  // CRM_EX_PROTOCOL
	ExitDisconnect  = 102 // CRM_EX_DISCONNECT: not connected to the cluster
	ExitOld         = 103 // CRM_EX_OLD: update older than the configuration
	ExitQuorum      = 106 // CRM_EX_QUORUM
	ExitTimeout     = 124 // CRM_EX_TIMEOUT
)

// ExitCode returns the exit code a tool uses for err, and false when err
// is not one of this package's errors (the tool then keeps its own code).
func ExitCode(err error) (int, bool) {
	switch {
	case errors.Is(err, ErrNotRunning), errors.Is(err, ErrCRMOff):
		return ExitDisconnect, true
	case errors.Is(err, ErrPermission):
		return ExitPermission, true
	case errors.Is(err, ErrNoQuorum):
		return ExitQuorum, true
	case errors.Is(err, ErrTimeout):
		return ExitTimeout, true
	case errors.Is(err, ErrNoDC):
		return ExitUnavailable, true
	case errors.Is(err, ErrStale):
		return ExitOld, true
	case errors.Is(err, ErrNotCommitted), errors.Is(err, ErrRejected), errors.Is(err, ErrNoAnswer):
		return ExitError, true
	case errors.Is(err, ErrBadRequest):
		return ExitProtocol, true
	}
	return 0, false
}
