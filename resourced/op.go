package resourced

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"hbgo/resourced/ocf"
)

// Class is a resource agent class.
type Class string

// The classes this manager runs.
const (
	ClassOCF       Class = "ocf"       // /usr/lib/ocf/resource.d/<provider>/<type>
	ClassLSB       Class = "lsb"       // /etc/init.d/<type>
	ClassHeartbeat Class = "heartbeat" // <confdir>/resource.d/<type> (v1 haresources)
	ClassSystemd   Class = "systemd"   // a systemd unit over D-Bus
)

// ErrBadAgent is returned (wrapped) by ParseAgent for malformed names.
var ErrBadAgent = errors.New("invalid resource agent name")

// Agent names an agent: class, provider (OCF only) and type.
type Agent struct {
	Class    Class
	Provider string
	Type     string
}

// ParseAgent parses "ocf:<provider>:<type>", "lsb:<script>",
// "heartbeat:<script>" or "systemd:<unit>".
func ParseAgent(s string) (Agent, error) {
	parts := strings.SplitN(s, ":", 3)
	bad := func(why string) (Agent, error) { return Agent{}, fmt.Errorf("%w %q: %s", ErrBadAgent, s, why) }
	switch Class(parts[0]) {
	case ClassOCF:
		if len(parts) != 3 || !safeName(parts[1]) || !safeName(parts[2]) {
			return bad("want ocf:<provider>:<type>")
		}
		return Agent{Class: ClassOCF, Provider: parts[1], Type: parts[2]}, nil
	case ClassLSB, ClassHeartbeat, ClassSystemd:
		if len(parts) != 2 || !safeName(parts[1]) {
			return bad("want " + parts[0] + ":<name>")
		}
		return Agent{Class: Class(parts[0]), Type: parts[1]}, nil
	}
	return bad("unknown class")
}

// safeName refuses names that could escape the agent directory.
func safeName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\x00")
}

// String returns the name in the form ParseAgent accepts.
func (a Agent) String() string {
	if a.Class == ClassOCF {
		return "ocf:" + a.Provider + ":" + a.Type
	}
	return string(a.Class) + ":" + a.Type
}

// Common action names.
const (
	ActionStart    = "start"
	ActionStop     = "stop"
	ActionMonitor  = "monitor"
	ActionStatus   = "status"
	ActionPromote  = "promote"
	ActionDemote   = "demote"
	ActionNotify   = "notify"
	ActionValidate = "validate-all"
	ActionMetaData = "meta-data"
	ActionReload   = "reload"
)

// Op is one operation on one resource.
type Op struct {
	// Resource is the resource id (OCF_RESOURCE_INSTANCE); operations with
	// the same Resource are serialised by the Manager.
	Resource string
	Agent    Agent
	Action   string
	// Params are the instance parameters (OCF_RESKEY_<name>); unset ones
	// are not exported, agents apply their own defaults.
	Params map[string]string
	// Args are the positional "::" arguments of a heartbeat-class resource.
	Args []string
	// Meta are extra OCF_RESKEY_CRM_meta_<name> values (notify type...);
	// timeout and interval are always set from the fields below.
	Meta map[string]string
	// Interval of a recurring monitor; 0 for everything else. A monitor
	// with interval 0 is a probe.
	Interval time.Duration
	// Timeout of this run; 0 uses the executor's default.
	Timeout time.Duration
	// Depth is the monitor depth (OCF_CHECK_LEVEL: 0, 10, 20...); it is
	// exported only when non-zero.
	Depth int
}

// IsProbe reports whether op is a probe (a monitor with interval 0).
func (o Op) IsProbe() bool {
	return (o.Action == ActionMonitor || o.Action == ActionStatus) && o.Interval == 0
}

// Key identifies a recurring operation of a resource.
func (o Op) Key() string {
	return fmt.Sprintf("%s_%s_%d", o.Resource, o.Action, o.Interval.Milliseconds())
}

// Status says how an operation ended, independently of the agent's code.
type Status int

// Operation statuses.
const (
	// StatusDone: the agent ran to completion; RC is its answer.
	StatusDone Status = iota
	// StatusTimeout: the agent was killed at the deadline (RC ErrGeneric).
	StatusTimeout
	// StatusCancelled: the caller cancelled (RC ErrGeneric).
	StatusCancelled
	// StatusNotInstalled: no agent/script/unit of that name (RC ErrInstalled).
	StatusNotInstalled
	// StatusError: we could not run the agent at all (RC ErrGeneric, Err set).
	StatusError
	// StatusInvalid: the operation itself is malformed (RC ErrArgs, Err set).
	StatusInvalid
	// StatusPending: the resource was still changing state at the deadline
	// (systemd units stuck in activating/deactivating).
	StatusPending
)

var statusNames = [...]string{"done", "timeout", "cancelled", "not installed", "error", "invalid", "pending"}

// String returns a lower-case name.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result is the outcome of one operation.
type Result struct {
	RC         ocf.ExitCode
	Status     Status
	ExitReason string // last "ocf-exit-reason:" line, or a reason of ours
	Stdout     string
	Stderr     string
	Duration   time.Duration
	// Err carries the Go error behind StatusError/StatusInvalid/
	// StatusNotInstalled; it is nil when the agent answered.
	Err error
}

// Succeeded reports whether the operation completed with the expected code.
func (r Result) Succeeded(want ocf.ExitCode) bool {
	return r.Status == StatusDone && ocf.RecoveryFor(r.RC, want) == ocf.RecoverNone
}

// Runner runs one operation to completion. Implementations never panic on
// bad input: they report it in Result.
type Runner interface {
	Run(ctx context.Context, op Op) Result
}

// RunnerFunc adapts a function to the Runner interface.
type RunnerFunc func(ctx context.Context, op Op) Result

// Run calls f.
func (f RunnerFunc) Run(ctx context.Context, op Op) Result { return f(ctx, op) }

func failed(st Status, rc ocf.ExitCode, err error) Result {
	r := Result{Status: st, RC: rc, Err: err}
	if err != nil {
		r.ExitReason = err.Error()
	}
	return r
}
