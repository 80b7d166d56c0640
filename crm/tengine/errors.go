package tengine

import "errors"

// Sentinel errors of Core.
var (
	// ErrNotRunnable: Start was called for an action whose inputs are not
	// complete, that already started, or after an abort.
	ErrNotRunnable = errors.New("action not runnable")
	// ErrNotRunning: Complete was called for an action that is not running.
	ErrNotRunning = errors.New("action not running")
)
