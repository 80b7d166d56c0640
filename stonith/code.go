package stonith

import (
	"errors"
	"fmt"
)

// Code is a cluster-glue STONITH result code. The stonith command exits
// with it, so the values are part of the external interface: only append.
type Code int

// The codes of cluster-glue's stonith.h.
const (
	OK        Code = 0 // S_OK: done
	BadConfig Code = 1 // S_BADCONFIG: bad configuration
	Access    Code = 2 // S_ACCESS: cannot reach or log in to the device
	Inval     Code = 3 // S_INVAL: bad argument
	BadHost   Code = 4 // S_BADHOST: host not controlled by this device
	ResetFail Code = 5 // S_RESETFAIL: the reset/on/off failed
	Timeout   Code = 6 // S_TIMEOUT: dialogue with the device timed out
	IsOff     Code = 7 // S_ISOFF: outlet is off
	Oops      Code = 8 // S_OOPS: anything else
	// Unexpected is the stonith command's catch-all -1 (exit status 255),
	// used when a host list cannot be obtained or a script cannot be run.
	Unexpected Code = -1
)

var codeNames = map[Code]string{
	OK: "S_OK", BadConfig: "S_BADCONFIG", Access: "S_ACCESS", Inval: "S_INVAL",
	BadHost: "S_BADHOST", ResetFail: "S_RESETFAIL", Timeout: "S_TIMEOUT",
	IsOff: "S_ISOFF", Oops: "S_OOPS", Unexpected: "-1",
}

// String returns the stonith.h name of c, or the number for other values
// (external scripts may exit with any status).
func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("code(%d)", int(c))
}

// ExitStatus is the process exit status the stonith command uses for c.
func (c Code) ExitStatus() int { return int(c) & 0xff }

// codeError is the type of the sentinel errors below.
type codeError struct {
	code Code
	msg  string
}

// Error returns the description of the code.
func (e *codeError) Error() string { return e.msg }

// Code returns the result code the error stands for.
func (e *codeError) Code() Code { return e.code }

// Sentinel errors, one per failure code. Devices wrap them with context
// (fmt.Errorf("...: %w", ErrBadHost)); CodeOf recovers the code.
var (
	// ErrBadConfig: the parameters are missing or malformed.
	ErrBadConfig error = &codeError{BadConfig, "bad configuration"}
	// ErrAccess: the device cannot be reached.
	ErrAccess error = &codeError{Access, "device not accessible"}
	// ErrInval: an argument is invalid (unsupported action, missing parameter).
	ErrInval error = &codeError{Inval, "invalid argument"}
	// ErrBadHost: the device does not control the host.
	ErrBadHost error = &codeError{BadHost, "host not controlled by this device"}
	// ErrResetFail: the reset, on or off request failed.
	ErrResetFail error = &codeError{ResetFail, "reset failed"}
	// ErrTimeout: the operation timed out.
	ErrTimeout error = &codeError{Timeout, "timed out"}
	// ErrIsOff: the outlet is off.
	ErrIsOff error = &codeError{IsOff, "outlet is off"}
	// ErrOops: any other failure (unknown type, unusable plugin).
	ErrOops error = &codeError{Oops, "internal failure"}
	// ErrUnexpected: a failure the stonith command reports as -1 (255).
	ErrUnexpected error = &codeError{Unexpected, "operation failed"}
)

// StatusError carries the raw exit status of an external script, which
// cluster-glue passes through unchanged as the status result.
type StatusError struct {
	Status int // exit status of the script
	Op     string
}

// Error says which operation exited with which status.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s exited with status %d", e.Op, e.Status)
}

// Code returns the script's exit status as a Code.
func (e *StatusError) Code() Code { return Code(e.Status) }

type coder interface{ Code() Code }

// CodeOf maps an error returned by a Driver or Device to its result code:
// OK for nil, the code of the first coded error in the chain, and Oops for
// any other error.
func CodeOf(err error) Code {
	if err == nil {
		return OK
	}
	var c coder
	if errors.As(err, &c) {
		return c.Code()
	}
	return Oops
}
