package fence

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/stonith"
	"hbgo/stonith/proc"
)

// DefaultDir is where fence-agents installs the agents.
const DefaultDir = "/usr/sbin"

// TypePrefix starts the type name of every fence agent.
const TypePrefix = "rhcs/"

// DefaultTimeout bounds each agent run when Driver.Timeout is zero.
const DefaultTimeout = 120 * time.Second

// Status exit codes of the status action.
const (
	StatusOn  = 0
	StatusOff = 2
)

// ErrBadOption is returned (wrapped) for a key or value that cannot be
// written as one key=value line.
var ErrBadOption = errors.New("option not representable on stdin")

// ErrMetadata is returned (wrapped) when the agent's metadata cannot be
// read or parsed.
var ErrMetadata = errors.New("bad fence agent metadata")

// Metadata is the part of an agent's metadata STONITH uses.
type Metadata struct {
	Name       string      `xml:"name,attr"`
	ShortDesc  string      `xml:"shortdesc,attr"`
	LongDesc   string      `xml:"longdesc"`
	VendorURL  string      `xml:"vendor-url"`
	Parameters []Parameter `xml:"parameters>parameter"`
	Actions    []struct {
		Name string `xml:"name,attr"`
	} `xml:"actions>action"`
	// ParametersXML is the raw <parameters> element.
	ParametersXML string `xml:"-"`
}

// Parameter is one <parameter> of the metadata.
type Parameter struct {
	Name       string `xml:"name,attr"`
	Required   string `xml:"required,attr"`
	Deprecated string `xml:"deprecated,attr"`
	Obsoletes  string `xml:"obsoletes,attr"`
	ShortDesc  string `xml:"shortdesc"`
}

// ParseMetadata decodes an agent's metadata XML.
func ParseMetadata(b []byte) (*Metadata, error) {
	var m Metadata
	if err := xml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMetadata, err)
	}
	if m.Name == "" {
		return nil, fmt.Errorf("%w: no resource-agent name", ErrMetadata)
	}
	s := string(b)
	if i := strings.Index(s, "<parameters>"); i >= 0 {
		if j := strings.Index(s[i:], "</parameters>"); j >= 0 {
			m.ParametersXML = s[i : i+j+len("</parameters>")]
		}
	}
	return &m, nil
}

// perRequestOrGeneric are parameters left out of ConfigNames: the action
// and target, which each request supplies, and the options every agent
// shares (tuning and diagnostics). They can still be given by name.
var perRequestOrGeneric = map[string]bool{
	"action": true, "option": true, "plug": true, "port": true, "nodename": true,
	"help": true, "version": true, "verbose": true, "verbose_level": true,
	"debug_file": true, "quiet": true, "separator": true, "plug_separator": true,
	"delay": true, "disable_timeout": true, "login_timeout": true,
	"power_timeout": true, "power_wait": true, "shell_timeout": true,
	"stonith_status_sleep": true, "retry_on": true,
}

// ConfigNames are the parameters a user configures positionally: the
// agent-specific ones, without deprecated names and aliases.
func (m *Metadata) ConfigNames() []string {
	var names []string
	for _, p := range m.Parameters {
		if perRequestOrGeneric[p.Name] || p.Deprecated == "1" || p.Obsoletes != "" {
			continue
		}
		names = append(names, p.Name)
	}
	return names
}

// Options renders options as the agent's stdin: one key=value line each,
// keys sorted, after the fixed keys in order.
func Options(fixed [][2]string, opts stonith.Params) ([]byte, error) {
	var b strings.Builder
	write := func(k, v string) error {
		if k == "" || strings.ContainsAny(k, "=\n") || strings.Contains(v, "\n") {
			return fmt.Errorf("%q=%q: %w", k, v, ErrBadOption)
		}
		b.WriteString(k + "=" + v + "\n")
		return nil
	}
	seen := map[string]bool{}
	for _, kv := range fixed {
		if err := write(kv[0], kv[1]); err != nil {
			return nil, err
		}
		seen[kv[0]] = true
	}
	keys := make([]string, 0, len(opts))
	for k := range opts {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := write(k, opts[k]); err != nil {
			return nil, err
		}
	}
	return []byte(b.String()), nil
}

// Driver is the rhcs/<Name> device type, run as <Dir>/fence_<Name>.
type Driver struct {
	Dir     string // DefaultDir when empty
	Name    string // agent name without the fence_ prefix
	Runner  proc.Runner
	Timeout time.Duration
	Stderr  io.Writer // agent stderr; discarded when nil
	Log     *logrus.Entry

	meta *Metadata
}

var _ stonith.Driver = (*Driver)(nil)

// Type returns "rhcs/<Name>".
func (d *Driver) Type() string { return TypePrefix + d.Name }

// Path is the agent executable.
func (d *Driver) Path() string {
	dir := d.Dir
	if dir == "" {
		dir = DefaultDir
	}
	return filepath.Join(dir, "fence_"+d.Name)
}

func (d *Driver) log() *logrus.Entry {
	return stonith.OrDiscard(d.Log).WithField("device", d.Type())
}

// run feeds stdin to the agent and returns its result.
func (d *Driver) run(ctx context.Context, stdin []byte) (proc.Result, error) {
	r := d.Runner
	if r == nil {
		r = proc.Exec{}
	}
	t := d.Timeout
	if t == 0 {
		t = DefaultTimeout
	}
	stderr := d.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	return r.Run(ctx, proc.Cmd{
		Path: d.Path(), Env: os.Environ(), Stdin: strings.NewReader(string(stdin)),
		Stderr: stderr, Timeout: t,
	})
}

// Metadata runs the agent's metadata action once and caches the result.
func (d *Driver) Metadata(ctx context.Context) (*Metadata, error) {
	if d.meta != nil {
		return d.meta, nil
	}
	res, err := d.run(ctx, []byte("action=metadata\n"))
	if err != nil {
		return nil, fmt.Errorf("%s metadata: %w", d.Type(), err)
	}
	if res.ExitStatus != 0 {
		return nil, fmt.Errorf("%s metadata: exit %d: %w", d.Type(), res.ExitStatus, ErrMetadata)
	}
	m, err := ParseMetadata(res.Stdout)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Type(), err)
	}
	d.meta = m
	return m, nil
}

// ConfigNames returns the configurable parameters from the metadata.
func (d *Driver) ConfigNames(ctx context.Context) ([]string, error) {
	m, err := d.Metadata(ctx)
	if err != nil {
		return nil, err
	}
	return m.ConfigNames(), nil
}

// Info maps the metadata onto cluster-glue's info strings.
func (d *Driver) Info(ctx context.Context, kind stonith.InfoKind) (string, error) {
	m, err := d.Metadata(ctx)
	if err != nil {
		return "", err
	}
	var s string
	switch kind {
	case stonith.InfoDevID:
		s = m.ShortDesc
	case stonith.InfoDevName:
		s = m.Name
	case stonith.InfoDevDescr:
		s = strings.TrimSpace(m.LongDesc)
	case stonith.InfoDevURL:
		s = m.VendorURL
	case stonith.InfoXML:
		s = m.ParametersXML
	}
	if s == "" {
		return "", fmt.Errorf("%s has no info %d: %w", d.Type(), kind, stonith.ErrInval)
	}
	return s, nil
}

// New checks that the agent answers metadata and that every required
// parameter (other than the action and the target, which each request
// supplies) is given.
func (d *Driver) New(ctx context.Context, params stonith.Params) (stonith.Device, error) {
	m, err := d.Metadata(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", stonith.ErrOops, err)
	}
	for _, p := range m.Parameters {
		switch p.Name {
		case "action", "option", "plug", "port", "nodename":
			continue
		}
		if p.Required == "1" && p.Deprecated != "1" {
			if _, ok := params[p.Name]; !ok {
				return nil, fmt.Errorf("%s: required parameter %s missing: %w", d.Type(), p.Name, stonith.ErrInval)
			}
		}
	}
	for k, v := range params {
		if _, err := Options(nil, stonith.Params{k: v}); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", d.Type(), stonith.ErrInval, err)
		}
	}
	p := make(stonith.Params, len(params))
	for k, v := range params {
		p[k] = v
	}
	return &Device{d: d, params: p}, nil
}

// Device is a configured fence agent.
type Device struct {
	d      *Driver
	params stonith.Params
}

var _ stonith.Device = (*Device)(nil)

func (x *Device) do(ctx context.Context, fixed [][2]string) (proc.Result, error) {
	in, err := Options(fixed, x.params)
	if err != nil {
		return proc.Result{}, fmt.Errorf("%w: %w", stonith.ErrInval, err)
	}
	res, err := x.d.run(ctx, in)
	if errors.Is(err, proc.ErrTimeout) {
		return res, fmt.Errorf("%s: %w", x.d.Type(), stonith.ErrTimeout)
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w: %w", x.d.Type(), stonith.ErrUnexpected, err)
	}
	return res, nil
}

// Status runs the monitor action; a non-zero exit is returned as a
// *stonith.StatusError.
func (x *Device) Status(ctx context.Context) error {
	res, err := x.do(ctx, [][2]string{{"action", "monitor"}})
	if err != nil {
		return err
	}
	if res.ExitStatus != 0 {
		x.d.log().Warnf("%s monitor failed with rc %d", x.d.Type(), res.ExitStatus)
		return &stonith.StatusError{Status: res.ExitStatus, Op: x.d.Type() + " monitor"}
	}
	return nil
}

// Hosts runs the list action; each output line is "plug[,alias]" and the
// plug is taken.
func (x *Device) Hosts(ctx context.Context) ([]string, error) {
	res, err := x.do(ctx, [][2]string{{"action", "list"}})
	if err != nil {
		return nil, err
	}
	if res.ExitStatus != 0 {
		stonith.Crit(x.d.log()).Errorf("%s list failed with rc %d", x.d.Type(), res.ExitStatus)
		return nil, fmt.Errorf("%s list: exit %d: %w", x.d.Type(), res.ExitStatus, stonith.ErrUnexpected)
	}
	hosts := ParseList(res.Stdout)
	if len(hosts) == 0 {
		stonith.Crit(x.d.log()).Errorf("%s list returned an empty hostlist", x.d.Type())
		return nil, fmt.Errorf("%s list: empty: %w", x.d.Type(), stonith.ErrUnexpected)
	}
	return hosts, nil
}

// ParseList extracts the plug names from the output of the list action.
func ParseList(out []byte) []string {
	var hosts []string
	for _, line := range strings.Split(string(out), "\n") {
		plug, _, _ := strings.Cut(strings.TrimSpace(line), ",")
		if plug = strings.TrimSpace(plug); plug != "" {
			hosts = append(hosts, plug)
		}
	}
	return hosts
}

// agentAction maps a STONITH request to the fence-agent action.
func agentAction(a stonith.Action) (string, bool) {
	switch a {
	case stonith.Reset:
		return "reboot", true
	case stonith.On:
		return "on", true
	case stonith.Off:
		return "off", true
	}
	return "", false
}

// Fence runs reboot/on/off for host, passed as nodename and, unless the
// configuration maps the target itself, as plug.
func (x *Device) Fence(ctx context.Context, action stonith.Action, host string) error {
	act, ok := agentAction(action)
	if !ok {
		return fmt.Errorf("%s: action %v: %w", x.d.Type(), action, stonith.ErrInval)
	}
	fixed := [][2]string{{"action", act}, {"nodename", host}}
	_, hasPlug := x.params["plug"]
	_, hasPort := x.params["port"]
	if !hasPlug && !hasPort {
		fixed = append(fixed, [2]string{"plug", host})
	}
	log := x.d.log().WithField("node", host)
	res, err := x.do(ctx, fixed)
	if err != nil {
		stonith.Crit(log).Errorf("%s %s for host %s failed: %v", x.d.Type(), act, host, err)
		if stonith.CodeOf(err) == stonith.Timeout {
			return err
		}
		return fmt.Errorf("%w: %w", stonith.ErrResetFail, err)
	}
	if res.ExitStatus != 0 {
		stonith.Crit(log).Errorf("%s %s for host %s failed with rc %d", x.d.Type(), act, host, res.ExitStatus)
		return fmt.Errorf("%s %s %s: exit %d: %w", x.d.Type(), act, host, res.ExitStatus, stonith.ErrResetFail)
	}
	log.Infof("%s %s for host %s succeeded", x.d.Type(), act, host)
	return nil
}

// PowerState asks the agent for host's power state with the status action:
// true for on, false for off.
func (x *Device) PowerState(ctx context.Context, host string) (bool, error) {
	fixed := [][2]string{{"action", "status"}, {"nodename", host}}
	if _, ok := x.params["plug"]; !ok {
		if _, ok := x.params["port"]; !ok {
			fixed = append(fixed, [2]string{"plug", host})
		}
	}
	res, err := x.do(ctx, fixed)
	if err != nil {
		return false, err
	}
	switch res.ExitStatus {
	case StatusOn:
		return true, nil
	case StatusOff:
		return false, nil
	}
	return false, &stonith.StatusError{Status: res.ExitStatus, Op: x.d.Type() + " status"}
}
