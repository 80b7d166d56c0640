package external

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/proc"
)

// DefaultDir is where cluster-glue installs external plugins.
const DefaultDir = "/usr/lib/stonith/plugins/external"

// GlueSharedDir is prepended to PATH for the scripts: it holds ha_log.sh,
// which most of them source.
const GlueSharedDir = "/usr/share/cluster-glue"

// TypePrefix starts the type name of every external plugin.
const TypePrefix = "external/"

// DefaultTimeout bounds each script run when Driver.Timeout is zero.
// external/ssh's reset alone may ping for 15 s.
const DefaultTimeout = 120 * time.Second

// ErrUnusable is returned (wrapped) when the script is missing, not an
// executable regular file, or writable by group or others (cluster-glue
// refuses to run those for security).
var ErrUnusable = errors.New("plugin not usable")

// Driver is the external/<Name> device type.
type Driver struct {
	Dir     string        // plugin directory; DefaultDir when empty
	Name    string        // script name, e.g. "ssh"
	Runner  proc.Runner   // proc.Exec{} when nil
	Timeout time.Duration // per script run; DefaultTimeout when zero
	// Environ returns the environment the scripts inherit; os.Environ
	// when nil.
	Environ func() []string
	// Stderr receives the scripts' standard error (cluster-glue lets it
	// through to its own); discarded when nil.
	Stderr io.Writer
	Log    *logrus.Entry

	mu    sync.Mutex
	names []string // cached answer of getconfignames, as cluster-glue keeps it
}

var _ stonith.Driver = (*Driver)(nil)

// Type returns "external/<Name>".
func (d *Driver) Type() string { return TypePrefix + d.Name }

func (d *Driver) path() string {
	dir := d.Dir
	if dir == "" {
		dir = DefaultDir
	}
	return filepath.Join(dir, d.Name)
}

func (d *Driver) log() *logrus.Entry {
	return stonith.OrDiscard(d.Log).WithField("device", d.Type())
}

// ConfigNames runs "getconfignames" (once; the answer is kept) and
// splits its output at white space.
func (d *Driver) ConfigNames(ctx context.Context) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.names != nil {
		return append([]string(nil), d.names...), nil
	}
	out, err := d.runOutput(ctx, nil, "external_get_confignames", "getconfignames")
	if err != nil {
		return nil, err
	}
	d.names = strings.Fields(out)
	return append([]string(nil), d.names...), nil
}

var infoOps = map[stonith.InfoKind]string{
	stonith.InfoDevID:    "getinfo-devid",
	stonith.InfoDevName:  "getinfo-devname",
	stonith.InfoDevDescr: "getinfo-devdescr",
	stonith.InfoDevURL:   "getinfo-devurl",
	stonith.InfoXML:      "getinfo-xml",
}

// Info runs the matching getinfo-* operation and returns its output as is.
func (d *Driver) Info(ctx context.Context, kind stonith.InfoKind) (string, error) {
	op, ok := infoOps[kind]
	if !ok {
		return "", fmt.Errorf("info kind %d: %w", kind, stonith.ErrInval)
	}
	return d.runOutput(ctx, nil, "external_getinfo", op)
}

// New checks that the script answers getconfignames (cluster-glue's
// set_config does the same) and keeps all params, known or not: each is
// exported to the script. Missing parameters are only logged at debug
// level; the script decides.
func (d *Driver) New(ctx context.Context, params stonith.Params) (stonith.Device, error) {
	names, err := d.ConfigNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Type(), stonith.ErrOops)
	}
	for _, n := range names {
		if _, ok := params[n]; !ok {
			d.log().Debugf("Cannot get parameter %s from StonithNVpair", n)
		}
	}
	p := make(stonith.Params, len(params))
	for k, v := range params {
		p[k] = v
	}
	return &Device{d: d, params: p}, nil
}

// Device is a configured external plugin.
type Device struct {
	d      *Driver
	params stonith.Params
}

var _ stonith.Device = (*Device)(nil)

// Status runs "status"; a non-zero exit is returned as a
// *stonith.StatusError carrying the script's status.
func (x *Device) Status(ctx context.Context) error {
	st, err := x.d.runLogged(ctx, x.params, "status")
	if err != nil {
		return err
	}
	if st != 0 {
		x.d.log().Warnf("external_status: '%s status' failed with rc %d", x.d.Name, st)
		return &stonith.StatusError{Status: st, Op: x.d.Name + " status"}
	}
	return nil
}

// Hosts runs "gethosts" and splits its output at white space; an empty
// list is an error, as in cluster-glue.
func (x *Device) Hosts(ctx context.Context) ([]string, error) {
	out, err := x.d.runOutput(ctx, x.params, "external_hostlist", "gethosts")
	if err != nil {
		return nil, fmt.Errorf("%s gethosts: %w", x.d.Name, stonith.ErrUnexpected)
	}
	hosts := strings.Fields(out)
	if len(hosts) == 0 {
		stonith.Crit(x.d.log()).Errorf("external_hostlist: '%s gethosts' returned an empty hostlist", x.d.Name)
		return nil, fmt.Errorf("%s gethosts: empty host list: %w", x.d.Name, stonith.ErrUnexpected)
	}
	return hosts, nil
}

// Fence runs "reset|on|off HOST". The host is passed as one argument (no
// shell in between). Any non-zero exit is S_RESETFAIL.
func (x *Device) Fence(ctx context.Context, action stonith.Action, host string) error {
	op := action.String()
	switch action {
	case stonith.Reset, stonith.On, stonith.Off:
	default:
		stonith.Crit(x.d.log()).Errorf("external_reset_req: Unknown stonith request %d", int(action))
		return fmt.Errorf("action %v: %w", action, stonith.ErrOops)
	}
	x.d.log().Debugf("Host external-reset initiating on %s", host)
	st, err := x.d.runLogged(ctx, x.params, op, host)
	if errors.Is(err, proc.ErrTimeout) {
		stonith.Crit(x.d.log()).Errorf("external_reset_req: '%s %s' for host %s timed out", x.d.Name, op, host)
		return fmt.Errorf("%s %s %s: %w", x.d.Name, op, host, stonith.ErrTimeout)
	}
	if err != nil || st != 0 {
		stonith.Crit(x.d.log()).Errorf("external_reset_req: '%s %s' for host %s failed with rc %d", x.d.Name, op, host, st)
		return fmt.Errorf("%s %s %s: exit %d: %w", x.d.Name, op, host, st, stonith.ErrResetFail)
	}
	return nil
}

// check refuses scripts cluster-glue would not run.
func (d *Driver) check() error {
	p := d.path()
	fi, err := os.Stat(p)
	if err != nil {
		stonith.Crit(d.log()).Errorf("external_run_cmd: stat(2) of %s failed: %v", p, err)
		return fmt.Errorf("%s: %w: %w", p, ErrUnusable, err)
	}
	if !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
		stonith.Crit(d.log()).Errorf("external_run_cmd: %s found NOT to be executable.", p)
		return fmt.Errorf("%s: not executable: %w", p, ErrUnusable)
	}
	if fi.Mode()&0o022 != 0 {
		stonith.Crit(d.log()).Errorf("external_run_cmd: %s found to be writable by group/others, NOT executing for security purposes.", p)
		return fmt.Errorf("%s: writable by group/others: %w", p, ErrUnusable)
	}
	return nil
}

// Env builds the script environment: base, then the parameters (they
// override inherited variables of the same name), PATH with GlueSharedDir
// in front, and HA_LOGTAG.
func Env(base []string, params stonith.Params, typ string) []string {
	set := map[string]string{}
	var order []string
	put := func(k, v string) {
		if _, ok := set[k]; !ok {
			order = append(order, k)
		}
		set[k] = v
	}
	for _, kv := range base {
		k, v, _ := strings.Cut(kv, "=")
		put(k, v)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		put(k, params[k])
	}
	path, ok := set["PATH"]
	switch {
	case !ok || path == "":
		put("PATH", GlueSharedDir)
	case !strings.HasPrefix(path, GlueSharedDir):
		put("PATH", GlueSharedDir+":"+path)
	}
	put("HA_LOGTAG", typ)
	env := make([]string, 0, len(order))
	for _, k := range order {
		env = append(env, k+"="+set[k])
	}
	return env
}

func (d *Driver) cmd(params stonith.Params, args ...string) proc.Cmd {
	base := d.Environ
	if base == nil {
		base = os.Environ
	}
	t := d.Timeout
	if t == 0 {
		t = DefaultTimeout
	}
	stderr := d.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	return proc.Cmd{Path: d.path(), Args: args, Env: Env(base(), params, d.Type()), Timeout: t, Stderr: stderr}
}

func (d *Driver) runner() proc.Runner {
	if d.Runner == nil {
		return proc.Exec{}
	}
	return d.Runner
}

// runOutput runs an operation whose output is data (confignames, hosts,
// info). Failures are logged CRIT the way cluster-glue words them.
func (d *Driver) runOutput(ctx context.Context, params stonith.Params, fn string, args ...string) (string, error) {
	if err := d.check(); err != nil {
		stonith.Crit(d.log()).Errorf("%s: '%s %s' failed with rc -1", fn, d.Name, args[0])
		return "", err
	}
	c := d.cmd(params, args...)
	d.log().Debugf("external_run_cmd: Calling '%s %s'", c.Path, strings.Join(args, " "))
	res, err := d.runner().Run(ctx, c)
	st := res.ExitStatus
	if err != nil || st != 0 {
		stonith.Crit(d.log()).Errorf("%s: '%s %s' failed with rc %d", fn, d.Name, args[0], st)
		if len(res.Stdout) > 0 {
			stonith.Crit(d.log()).Errorf("plugin output: %s", res.Stdout)
		}
		if err == nil {
			err = &stonith.StatusError{Status: st, Op: d.Name + " " + args[0]}
		}
		return "", err
	}
	return string(res.Stdout), nil
}

// runLogged runs an operation whose output is only logged, line by line,
// and returns the exit status (-1 when the script could not be run).
func (d *Driver) runLogged(ctx context.Context, params stonith.Params, args ...string) (int, error) {
	if err := d.check(); err != nil {
		return -1, err
	}
	c := d.cmd(params, args...)
	cmdline := c.Path + " " + strings.Join(args, " ")
	c.OnStdoutLine = func(line string) {
		d.log().Infof("external_run_cmd: '%s' output: %s", cmdline, line)
	}
	res, err := d.runner().Run(ctx, c)
	if err != nil {
		return -1, err
	}
	if res.ExitStatus != 0 {
		d.log().Debugf("external_run_cmd: Calling '%s' returned %d", cmdline, res.ExitStatus)
	}
	return res.ExitStatus, nil
}

// ListScripts returns the names of the usable plugins in dir, sorted: the
// regular files with an execute bit that are not writable by group or
// others (those are skipped with a warning, as cluster-glue does).
func ListScripts(dir string, log *logrus.Entry) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list external plugins: %w", err)
	}
	var names []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
			continue
		}
		if fi.Mode()&fs.FileMode(0o022) != 0 {
			stonith.OrDiscard(log).Warnf("Executable file %s ignored (writable by group/others)", p)
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}
