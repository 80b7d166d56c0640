package resourced

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/resourced/ocf"
	"hbgo/resourced/proc"
	"hbgo/resourced/systemd"
)

// Sentinel errors carried in Result.Err.
var (
	// ErrNotInstalled: no agent, script or unit of that name exists.
	ErrNotInstalled = errors.New("agent not installed")
	// ErrBadOp: the operation is malformed (bad parameter name, unknown
	// class, action the class does not have, wrong legacy arguments).
	ErrBadOp = errors.New("invalid operation")
	// ErrNoSystemd: a systemd-class operation without a unit controller.
	ErrNoSystemd = errors.New("no systemd unit controller configured")
)

// Units drives systemd units; *systemd.Client implements it.
type Units interface {
	Start(ctx context.Context, unit string) (systemd.Result, error)
	Stop(ctx context.Context, unit string) (systemd.Result, error)
	Monitor(ctx context.Context, unit string) (systemd.Result, error)
}

// Config configures an Executor. Zero fields take the defaults below.
type Config struct {
	OCFRoot   string // default /usr/lib/ocf
	ConfigDir string // heartbeat config dir, default /etc/ha.d (scripts in resource.d)
	InitDir   string // default /etc/init.d
	// StateDir is HA_RSCTMP, where agents keep state files; created on
	// first use. Default /run/resource-agents.
	StateDir string
	// Path is the PATH given to agents; it must hold /usr/sbin:/sbin.
	Path string
	// ExtraEnv is appended to every agent's environment (KEY=value).
	ExtraEnv []string
	// Agent is the daemon's part of the agents' environment (HA_SBIN_DIR,
	// HA_VARRUN, HBGO_RUN_DIR, node name); empty fields are taken from
	// DefaultAgentEnv of this process.
	Agent AgentEnv
	// CommandPrefix, when set, is prepended to every agent command line
	// (e.g. "ip netns exec NS"); the prefix must exec the agent so that it
	// stays in the process group we kill.
	CommandPrefix []string
	// DefaultTimeout applies to operations without a Timeout. Default 20s.
	DefaultTimeout time.Duration
	// KillGrace is the SIGTERM→SIGKILL grace on timeout. Default 2s.
	KillGrace time.Duration
	// OutputCap limits captured stdout and stderr each. Default 64 KiB.
	OutputCap int
	// Systemd drives systemd-class resources; nil makes them fail with
	// ErrNoSystemd.
	Systemd Units
	// Log receives one debug line per operation; nil discards.
	Log *logrus.Entry
}

// DefaultConfig returns the paths of a Debian install.
func DefaultConfig() Config {
	return Config{
		OCFRoot:        "/usr/lib/ocf",
		ConfigDir:      "/etc/ha.d",
		InitDir:        "/etc/init.d",
		StateDir:       "/run/resource-agents",
		Path:           "/usr/sbin:/usr/bin:/sbin:/bin",
		DefaultTimeout: 20 * time.Second,
		KillGrace:      2 * time.Second,
		OutputCap:      proc.DefaultOutputCap,
	}
}

// Executor is the Runner that really runs agents. It is safe for
// concurrent use; serialising per resource is the Manager's job.
type Executor struct {
	cfg      Config
	mu       sync.Mutex
	meta     map[Agent]*ocf.MetaData
	stateDir sync.Once
}

// NewExecutor returns an Executor; zero fields of cfg take DefaultConfig's.
func NewExecutor(cfg Config) *Executor {
	d := DefaultConfig()
	if cfg.OCFRoot == "" {
		cfg.OCFRoot = d.OCFRoot
	}
	if cfg.ConfigDir == "" {
		cfg.ConfigDir = d.ConfigDir
	}
	if cfg.InitDir == "" {
		cfg.InitDir = d.InitDir
	}
	if cfg.StateDir == "" {
		cfg.StateDir = d.StateDir
	}
	if cfg.Path == "" {
		cfg.Path = d.Path
	}
	if cfg.DefaultTimeout <= 0 {
		cfg.DefaultTimeout = d.DefaultTimeout
	}
	if cfg.KillGrace <= 0 {
		cfg.KillGrace = d.KillGrace
	}
	if cfg.OutputCap <= 0 {
		cfg.OutputCap = d.OutputCap
	}
	cfg.Agent = cfg.Agent.merge(defaultAgentEnv())
	if cfg.Log == nil {
		l := logrus.New()
		l.SetOutput(discard{})
		cfg.Log = logrus.NewEntry(l)
	}
	return &Executor{cfg: cfg, meta: map[Agent]*ocf.MetaData{}}
}

type discard struct{}

// Write drops p.
func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Run runs op and reports its result.
func (e *Executor) Run(ctx context.Context, op Op) Result {
	if op.Timeout <= 0 {
		op.Timeout = e.cfg.DefaultTimeout
	}
	var r Result
	switch op.Agent.Class {
	case ClassOCF:
		r = e.runOCF(ctx, op)
	case ClassLSB:
		r = e.runLSB(ctx, op)
	case ClassHeartbeat:
		r = e.runHeartbeat(ctx, op)
	case ClassSystemd:
		r = e.runSystemd(ctx, op)
	default:
		r = failed(StatusInvalid, ocf.ErrArgs, fmt.Errorf("%w: unknown class %q", ErrBadOp, op.Agent.Class))
	}
	e.cfg.Log.WithFields(logrus.Fields{
		"rsc": op.Resource, "agent": op.Agent.String(), "op": op.Action,
		"interval": op.Interval, "rc": int(r.RC), "status": r.Status.String(), "duration": r.Duration,
	}).Debug("operation finished")
	return r
}

// AgentPath returns the executable of an OCF agent.
func (e *Executor) AgentPath(a Agent) string {
	return filepath.Join(e.cfg.OCFRoot, "resource.d", a.Provider, a.Type)
}

func (e *Executor) ocfEnv(op Op) ([]string, error) {
	env := []string{
		"OCF_ROOT=" + e.cfg.OCFRoot,
		"OCF_RA_VERSION_MAJOR=1",
		"OCF_RA_VERSION_MINOR=0",
		"OCF_RESOURCE_INSTANCE=" + op.Resource,
		"OCF_RESOURCE_TYPE=" + op.Agent.Type,
		"OCF_RESOURCE_PROVIDER=" + op.Agent.Provider,
		"OCF_RESKEY_CRM_meta_timeout=" + strconv.FormatInt(op.Timeout.Milliseconds(), 10),
		"OCF_RESKEY_CRM_meta_interval=" + strconv.FormatInt(op.Interval.Milliseconds(), 10),
		"HA_RSCTMP=" + e.cfg.StateDir,
	}
	params, err := sortedEnv("OCF_RESKEY_", op.Params)
	if err != nil {
		return nil, err
	}
	meta, err := sortedEnv("OCF_RESKEY_CRM_meta_", op.Meta)
	if err != nil {
		return nil, err
	}
	if _, ok := op.Meta["on_node"]; !ok && e.cfg.Agent.NodeName != "" {
		// Pacemaker names the node to every agent; crm_attribute run
		// by the agent (Stateful's promotion score) relies on it.
		meta = append(meta, envOnNode+"="+e.cfg.Agent.NodeName)
	}
	if op.Depth != 0 {
		env = append(env, "OCF_CHECK_LEVEL="+strconv.Itoa(op.Depth))
	}
	env = append(env, params...)
	env = append(env, meta...)
	return append(env, e.baseEnv()...), nil
}

func (e *Executor) baseEnv() []string {
	env := []string{"PATH=" + e.cfg.Path, "LC_ALL=C"}
	env = append(env, e.cfg.Agent.vars()...)
	return append(env, e.cfg.ExtraEnv...)
}

// sortedEnv turns a map into prefix+key=value entries in key order,
// refusing keys a shell could not import.
func sortedEnv(prefix string, m map[string]string) ([]string, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !envName(k) {
			return nil, fmt.Errorf("%w: parameter name %q", ErrBadOp, k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, prefix+k+"="+m[k])
	}
	return out, nil
}

func envName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

func (e *Executor) ensureStateDir() {
	e.stateDir.Do(func() { _ = os.MkdirAll(e.cfg.StateDir, 0o1755) })
}

func (e *Executor) runOCF(ctx context.Context, op Op) Result {
	if op.Action == "" || strings.ContainsAny(op.Action, " /\x00") {
		return failed(StatusInvalid, ocf.ErrArgs, fmt.Errorf("%w: action %q", ErrBadOp, op.Action))
	}
	if op.Resource == "" && op.Action != ActionMetaData {
		return failed(StatusInvalid, ocf.ErrArgs, fmt.Errorf("%w: no resource id", ErrBadOp))
	}
	path := e.AgentPath(op.Agent)
	if !isExecutable(path) {
		return failed(StatusNotInstalled, ocf.ErrInstalled, fmt.Errorf("%w: %s", ErrNotInstalled, path))
	}
	env, err := e.ocfEnv(op)
	if err != nil {
		return failed(StatusInvalid, ocf.ErrArgs, err)
	}
	e.ensureStateDir()
	return e.exec(ctx, op, path, []string{op.Action}, env, ocf.FromProcess)
}

// exec runs one command and converts its outcome; mapRC interprets a
// normal exit status.
func (e *Executor) exec(ctx context.Context, op Op, path string, args, env []string, mapRC func(int) ocf.ExitCode) Result {
	if len(e.cfg.CommandPrefix) > 0 {
		args = append(append(append([]string{}, e.cfg.CommandPrefix[1:]...), path), args...)
		path = e.cfg.CommandPrefix[0]
	}
	out, err := proc.Run(ctx, proc.Spec{
		Path: path, Args: args, Env: env, Dir: "/",
		Timeout: op.Timeout, KillGrace: e.cfg.KillGrace, OutputCap: e.cfg.OutputCap,
	})
	if err != nil {
		return failed(StatusError, ocf.ErrGeneric, err)
	}
	r := Result{
		Stdout:     string(out.Stdout),
		Stderr:     string(out.Stderr),
		Duration:   out.Duration,
		ExitReason: exitReason(out.Stderr),
	}
	switch {
	case out.TimedOut:
		r.Status, r.RC = StatusTimeout, ocf.ErrGeneric
		if r.ExitReason == "" {
			r.ExitReason = fmt.Sprintf("%s %s timed out after %v", op.Agent, op.Action, op.Timeout)
		}
	case out.Cancelled:
		r.Status, r.RC = StatusCancelled, ocf.ErrGeneric
	case out.ExitStatus < 0:
		r.Status, r.RC = StatusDone, ocf.ErrGeneric
		if r.ExitReason == "" {
			r.ExitReason = "killed by signal " + out.Signal.String()
		}
	default:
		r.Status, r.RC = StatusDone, mapRC(out.ExitStatus)
	}
	return r
}

// exitReason returns the text of the last "ocf-exit-reason:" line.
func exitReason(stderr []byte) string {
	const prefix = "ocf-exit-reason:"
	reason := ""
	for _, line := range bytes.Split(stderr, []byte("\n")) {
		if i := bytes.Index(line, []byte(prefix)); i >= 0 {
			reason = strings.TrimSpace(string(line[i+len(prefix):]))
		}
	}
	return reason
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

func (e *Executor) runLSB(ctx context.Context, op Op) Result {
	path := filepath.Join(e.cfg.InitDir, op.Agent.Type)
	if !isExecutable(path) {
		return failed(StatusNotInstalled, ocf.ErrInstalled, fmt.Errorf("%w: %s", ErrNotInstalled, path))
	}
	action, mapRC := op.Action, ocf.FromLSB
	switch action {
	case ActionMonitor, ActionStatus:
		action, mapRC = ActionStatus, ocf.FromLSBStatus
	case ActionStart, ActionStop, "restart", ActionReload, "force-reload":
	case ActionValidate:
		// Init scripts have no validation; the script being there is all.
		return Result{Status: StatusDone, RC: ocf.Success}
	default:
		return failed(StatusInvalid, ocf.ErrUnimplemented, fmt.Errorf("%w: lsb has no action %q", ErrBadOp, op.Action))
	}
	// Keep Debian's init-functions from handing the job to systemctl.
	env := append(e.baseEnv(), "SYSTEMCTL_SKIP_REDIRECT=1", "_SYSTEMCTL_SKIP_REDIRECT=1")
	return e.exec(ctx, op, path, []string{action}, env, mapRC)
}

func (e *Executor) runSystemd(ctx context.Context, op Op) Result {
	if e.cfg.Systemd == nil {
		return failed(StatusError, ocf.ErrGeneric, ErrNoSystemd)
	}
	unit := systemd.UnitName(op.Agent.Type)
	ctx, cancel := context.WithTimeout(ctx, op.Timeout)
	defer cancel()
	start := time.Now()
	var res systemd.Result
	var err error
	switch op.Action {
	case ActionStart:
		res, err = e.cfg.Systemd.Start(ctx, unit)
	case ActionStop:
		res, err = e.cfg.Systemd.Stop(ctx, unit)
	case ActionMonitor, ActionStatus:
		res, err = e.cfg.Systemd.Monitor(ctx, unit)
	case ActionValidate:
		res, err = e.cfg.Systemd.Monitor(ctx, unit)
		if err == nil && res.RC != ocf.ErrInstalled {
			res.RC = ocf.Success
		}
	default:
		return failed(StatusInvalid, ocf.ErrUnimplemented, fmt.Errorf("%w: systemd has no action %q", ErrBadOp, op.Action))
	}
	r := Result{RC: res.RC, Status: StatusDone, ExitReason: res.Detail, Duration: time.Since(start)}
	switch {
	case err == nil && res.RC == ocf.ErrInstalled:
		r.Status, r.Err = StatusNotInstalled, fmt.Errorf("%w: %s", ErrNotInstalled, unit)
	case err == nil:
	case res.Pending:
		r.Status, r.RC, r.Err = StatusPending, ocf.ErrGeneric, err
	case errors.Is(err, context.DeadlineExceeded):
		r.Status, r.RC, r.Err = StatusTimeout, ocf.ErrGeneric, err
	case errors.Is(err, context.Canceled):
		r.Status, r.RC, r.Err = StatusCancelled, ocf.ErrGeneric, err
	default:
		r.Status, r.RC, r.Err = StatusError, ocf.ErrGeneric, err
	}
	if r.Err != nil && r.ExitReason == "" {
		r.ExitReason = r.Err.Error()
	}
	return r
}

// MetaData returns the agent's parsed meta-data, running its meta-data
// action once and caching the answer. For LSB scripts it is synthesised
// from the INIT INFO header; heartbeat and systemd agents have none, for
// them it returns (nil, nil).
func (e *Executor) MetaData(ctx context.Context, a Agent) (*ocf.MetaData, error) {
	switch a.Class {
	case ClassOCF:
	case ClassLSB:
		return e.lsbMetaData(a)
	default:
		return nil, nil
	}
	e.mu.Lock()
	md, ok := e.meta[a]
	e.mu.Unlock()
	if ok {
		return md, nil
	}
	r := e.runOCF(ctx, Op{Agent: a, Action: ActionMetaData, Timeout: e.cfg.DefaultTimeout})
	if r.Status != StatusDone || r.RC != ocf.Success {
		return nil, fmt.Errorf("%s meta-data: %s rc=%v: %s", a, r.Status, r.RC, r.ExitReason)
	}
	md, err := ocf.ParseMetaData([]byte(r.Stdout))
	if err != nil {
		return nil, fmt.Errorf("%s meta-data: %w", a, err)
	}
	e.mu.Lock()
	e.meta[a] = md
	e.mu.Unlock()
	return md, nil
}
