package resourced

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"hbgo/resourced/ocf"
)

// ScriptKind says how a heartbeat-class name was resolved.
type ScriptKind int

// Resolution outcomes, in lookup order.
const (
	ScriptNone      ScriptKind = iota // nothing found
	ScriptResourceD                   // <confdir>/resource.d/<name>
	ScriptInitD                       // <initdir>/<name>
	ScriptMappedOCF                   // legacy wrapper name mapped onto an OCF agent
)

// ResolveHeartbeat finds what runs a heartbeat-class resource, in the order
// heartbeat 3.0.6 used: resource.d under the config dir, then the init
// directory, then (our addition for machines without the old wrappers)
// the mapping of the wrapper name onto its OCF agent.
func (e *Executor) ResolveHeartbeat(name string) (ScriptKind, string) {
	if p := filepath.Join(e.cfg.ConfigDir, "resource.d", name); isExecutable(p) {
		return ScriptResourceD, p
	}
	if p := filepath.Join(e.cfg.InitDir, name); isExecutable(p) {
		return ScriptInitD, p
	}
	if _, ok := legacyWrappers[name]; ok {
		if p := e.AgentPath(Agent{Class: ClassOCF, Provider: "heartbeat", Type: name}); isExecutable(p) {
			return ScriptMappedOCF, p
		}
	}
	return ScriptNone, ""
}

func (e *Executor) runHeartbeat(ctx context.Context, op Op) Result {
	kind, path := e.ResolveHeartbeat(op.Agent.Type)
	switch kind {
	case ScriptNone:
		return failed(StatusNotInstalled, ocf.ErrInstalled,
			fmt.Errorf("%w: Cannot locate resource script %s", ErrNotInstalled, op.Agent.Type))
	case ScriptMappedOCF:
		mapped, err := MapLegacy(op.Agent.Type, op.Args)
		if err != nil {
			// The wrapper prints its usage and exits 1.
			return failed(StatusDone, ocf.ErrGeneric, err)
		}
		mapped.Action = op.Action
		if op.Action == ActionStatus {
			mapped.Action = ActionMonitor // as hto-mapfuncs' ra_execocf does
		}
		mapped.Timeout, mapped.Interval = op.Timeout, op.Interval
		return e.runOCF(ctx, mapped)
	}
	action := op.Action
	if action == ActionMonitor {
		action = ActionStatus
	}
	args := append(append([]string{}, op.Args...), action)
	env := append(e.baseEnv(),
		"HA_DIR="+e.cfg.ConfigDir,
		"HA_RESOURCEDIR="+filepath.Join(e.cfg.ConfigDir, "resource.d"),
		"OCF_AGENTS="+filepath.Join(e.cfg.OCFRoot, "resource.d", "heartbeat"),
		"SYSTEMCTL_SKIP_REDIRECT=1", "_SYSTEMCTL_SKIP_REDIRECT=1",
	)
	r := e.exec(ctx, op, path, args, env, ocf.FromLSB)
	if action == ActionStatus && r.Status == StatusDone {
		// Heartbeat decides status from the printed text, not the code.
		if LegacyStatusRunning(r.Stdout) {
			r.RC = ocf.Success
		} else {
			r.RC = ocf.NotRunning
		}
	}
	return r
}

var (
	// ResourceManager's case patterns *[Nn][Oo][Tt]\ *[Rr]unning* and
	// *[Rr]unning*|*OK* (a shell * also spans newlines).
	notRunningRE = regexp.MustCompile(`(?s)[Nn][Oo][Tt] .*[Rr]unning`)
	runningRE    = regexp.MustCompile(`[Rr]unning|OK`)
)

// LegacyStatusRunning applies heartbeat 3.0.6 ResourceManager's rule to the
// stdout of "script ... status": "not", a space, then anything and
// "running" (letters in any case) means stopped; otherwise "running"
// (first letter in any case) or "OK" means running; anything else,
// including nothing, means stopped.
func LegacyStatusRunning(stdout string) bool {
	if notRunningRE.MatchString(stdout) {
		return false
	}
	return runningRE.MatchString(stdout)
}

// ParseHeartbeatResource splits a haresources token "NAME::a::b" into the
// agent name and its arguments, applying the bare-IP shorthand (a token
// starting with a digit and holding three dots is IPaddr::TOKEN).
func ParseHeartbeatResource(token string) (name string, args []string) {
	if looksLikeIP(token) {
		return "IPaddr", []string{token}
	}
	parts := strings.Split(token, "::")
	return parts[0], parts[1:]
}

// bareIPRE is ResourceManager's shell glob [0-9]*.[0-9]*.[0-9]*.[0-9]*
// (each * also matches dots and slashes).
var bareIPRE = regexp.MustCompile(`^[0-9].*\.[0-9].*\.[0-9].*\.[0-9].*$`)

func looksLikeIP(s string) bool { return bareIPRE.MatchString(s) }
