package tocib

import (
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"hbgo/hacf"
	"hbgo/haresources"
	"hbgo/resourced"
)

// Placement scores. Pacemaker counts a group's location score once but
// adds the stickiness of every active member, so a one-member group is the
// tight case for StickinessStay (it must exceed HomeScore on its own) and
// StickinessFailback times the largest group must stay below HomeScore —
// 0 does for any size. tests/upgrade checks both against crm_simulate.
const (
	// HomeScore is the score of the location constraint preferring a
	// group's home node.
	HomeScore = 100
	// StickinessFailback is resource-stickiness for auto_failback on (and
	// legacy): below HomeScore, so a group returns home when it can.
	StickinessFailback = 0
	// StickinessStay is resource-stickiness for auto_failback off: above
	// HomeScore, so a group stays where it runs after a failover. It is
	// finite so that an administrator's move (an INFINITY location) still
	// wins, as hb_standby / hb_takeover did in v1.
	StickinessStay = 2 * HomeScore
)

// Defaults of Options.
const (
	DefaultConfigDir = "/etc/ha.d"
	DefaultInitDir   = haresources.DefaultInitDir
	DefaultOCFRoot   = "/usr/lib/ocf"
)

// ErrNoNodes means ha.cf declares no node, so there is nothing to place
// resources on.
var ErrNoNodes = errors.New("ha.cf declares no node")

// Host answers the questions the conversion asks about the machine it runs
// on. OSHost is the real one; tests use a fake.
type Host interface {
	// Executable reports whether path is a regular file with an execute bit.
	Executable(path string) bool
	// StonithParams returns the parameter names of a STONITH plugin type
	// in positional order; ok is false when the type is not installed.
	StonithParams(typ string) (names []string, ok bool)
	// ReadFile returns a file's content (stonith configuration files).
	ReadFile(path string) ([]byte, error)
}

// OSHost is the real Host: hacf's view of the machine plus the file system.
type OSHost struct{ hacf.OSEnv }

// ReadFile implements Host.
func (h *OSHost) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// Options tune a conversion.
type Options struct {
	// Host answers questions about installed scripts; nil means OSHost.
	Host Host
	// ConfigDir holds resource.d (default /etc/ha.d).
	ConfigDir string
	// InitDir is the init script directory (default /etc/init.d).
	InitDir string
	// OCFRoot is the OCF root (default /usr/lib/ocf).
	OCFRoot string
	// HaresourcesFile and HacfFile name the files in warnings
	// (default "haresources" and cfg.File or "ha.cf").
	HaresourcesFile string
	HacfFile        string
	// Epoch is the epoch of the new CIB (default 1).
	Epoch int
}

// Warning is something the administrator should look at: a choice the
// converter made, or a difference from v1 behaviour.
type Warning struct {
	File string
	Line int // 0 when the warning is about the whole file
	Msg  string
}

// String renders FILE:LINE: message (FILE: message without a line).
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return w.File + ": " + w.Msg
}

type converter struct {
	opt   Options
	cfg   *hacf.Config
	ids   *idSet
	warns []Warning
	cib   *CIB
}

// Convert builds the CIB equivalent to a v1 cluster: cfg is the parsed
// ha.cf (its StonithHosts should hold the lines of every node, see
// MergeStonithHosts), groups the parsed haresources.
func Convert(cfg *hacf.Config, groups []haresources.Group, opt Options) (*CIB, []Warning, error) {
	if cfg == nil || len(cfg.Nodes) == 0 {
		return nil, nil, ErrNoNodes
	}
	if opt.Host == nil {
		opt.Host = &OSHost{}
	}
	if opt.ConfigDir == "" {
		opt.ConfigDir = DefaultConfigDir
	}
	if opt.InitDir == "" {
		opt.InitDir = DefaultInitDir
	}
	if opt.OCFRoot == "" {
		opt.OCFRoot = DefaultOCFRoot
	}
	if opt.HaresourcesFile == "" {
		opt.HaresourcesFile = "haresources"
	}
	if opt.HacfFile == "" {
		opt.HacfFile = cfg.File
		if opt.HacfFile == "" {
			opt.HacfFile = "ha.cf"
		}
	}
	if opt.Epoch <= 0 {
		opt.Epoch = 1
	}
	c := &converter{opt: opt, cfg: cfg, ids: newIDSet()}
	c.cib = &CIB{
		ValidateWith: SchemaVersion,
		Epoch:        opt.Epoch,
		Comment:      " generated from " + commentSafe(opt.HacfFile) + " and " + commentSafe(opt.HaresourcesFile) + " by hb2cib ",
	}
	c.nodes()
	c.groups(groups)
	c.heartbeatClassNotice()
	c.stonith()
	c.options()
	return c.cib, c.warns, nil
}

func (c *converter) warnf(file string, line int, format string, args ...any) {
	c.warns = append(c.warns, Warning{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (c *converter) hacfWarnf(line int, format string, args ...any) {
	c.warnf(c.opt.HacfFile, line, format, args...)
}

func (c *converter) hrWarnf(line int, format string, args ...any) {
	c.warnf(c.opt.HaresourcesFile, line, format, args...)
}

// nodes fills the nodes section from the node lines. Node ids are the
// names, as Pacemaker uses for clusters without numeric node ids.
func (c *converter) nodes() {
	for _, n := range c.cfg.Nodes {
		c.ids.reserve(n.Name)
		c.cib.Configuration.Nodes = append(c.cib.Configuration.Nodes, Node{ID: n.Name, Uname: n.Name})
	}
	if c.cfg.PacemakerOn {
		c.hacfWarnf(c.cfg.Params["pacemaker"].Line, "crm/pacemaker is already on: heartbeat ignores haresources in this mode")
	}
	for _, p := range c.cfg.PingNodes {
		c.hacfWarnf(p.Line, "%s %s: ping nodes (and ipfail) are not converted; add an ocf:pacemaker:ping clone and a location rule if groups should follow connectivity", p.Kind, p.Name)
	}
}

func (c *converter) groups(groups []haresources.Group) {
	seen := map[string]int{} // resource token -> line
	for _, g := range groups {
		if len(g.Resources) == 0 {
			c.hrWarnf(g.Line, "line for node %s has no resources; nothing to convert", g.Node)
			continue
		}
		if !c.cfg.HasNode(g.Node) {
			c.hrWarnf(g.Line, "home node %s is not declared in %s (heartbeat 3.0.6 refuses to start); the location constraint names it anyway", g.Node, c.opt.HacfFile)
		}
		grp := Group{ID: c.ids.unique("group_" + g.Key())}
		grp.Comment = commentSafe(" " + g.Node + " " + rawLine(g) + " ")
		for _, r := range g.Resources {
			if prev, dup := seen[r.Raw]; dup {
				c.hrWarnf(r.Line, "%s already appears on line %d; Pacemaker will manage two copies of it", r.Raw, prev)
			} else {
				seen[r.Raw] = r.Line
			}
			grp.Primitives = append(grp.Primitives, c.primitive(r))
		}
		c.cib.Configuration.Resources.Groups = append(c.cib.Configuration.Resources.Groups, grp)
		c.cib.Configuration.Constraints.Locations = append(c.cib.Configuration.Constraints.Locations, Location{
			ID: c.ids.unique("location-" + grp.ID + "-home"), Rsc: grp.ID, Node: g.Node, Score: strconv.Itoa(HomeScore),
		})
	}
}

// heartbeatClassNotice warns once about heartbeat-class primitives: the
// class runs resource.d scripts as v1 did and hbgo's crm mode supports it,
// but Pacemaker 2.x dropped it (its crm_resource --list-standards offers
// ocf, lsb, service and stonith only), so such a CIB is not portable.
func (c *converter) heartbeatClassNotice() {
	var ids []string
	for _, g := range c.cib.Configuration.Resources.Groups {
		for _, p := range g.Primitives {
			if p.Class == "heartbeat" {
				ids = append(ids, p.ID)
			}
		}
	}
	if len(ids) > 0 {
		c.hrWarnf(0, "heartbeat-class resources (%s) run under hbgo's crm mode but not under Pacemaker 2.x, which dropped that class; rewrite them as OCF agents before moving to Pacemaker",
			strings.Join(ids, ", "))
	}
}

func rawLine(g haresources.Group) string {
	parts := make([]string, len(g.Resources))
	for i, r := range g.Resources {
		parts[i] = r.Raw
	}
	return strings.Join(parts, " ")
}

// primitive converts one resource token.
func (c *converter) primitive(r haresources.Resource) Primitive {
	op, err := resourced.MapLegacy(r.Name, r.Args)
	switch {
	case err == nil:
		return c.ocfPrimitive(r, op)
	case errors.Is(err, resourced.ErrBadOp):
		// A wrapper name with the wrong arguments: v1 ran the wrapper,
		// which printed its usage and failed. The heartbeat class runs the
		// same wrapper, so the cluster behaves as before (the start fails).
		c.hrWarnf(r.Line, "%s: %v; kept as heartbeat:%s, whose start will fail as it did in v1", r.Raw, err, r.Name)
		return c.scriptPrimitive(r, "heartbeat")
	}
	if r.Name == "drbddisk" {
		// drbddisk promotes a DRBD resource outside the cluster's view;
		// Pacemaker's own way is a promotable clone.
		c.hrWarnf(r.Line, "%s: kept as heartbeat:drbddisk; consider an ocf:linbit:drbd promotable clone with the group colocated with its promoted instance", r.Raw)
	}
	if c.opt.Host.Executable(path.Join(c.opt.ConfigDir, "resource.d", r.Name)) {
		// v1 looks in resource.d first, so a script there is what ran.
		return c.scriptPrimitive(r, "heartbeat")
	}
	if c.opt.Host.Executable(path.Join(c.opt.InitDir, r.Name)) {
		c.hrWarnf(r.Line, "%s: converted to lsb:%s (found in %s); Pacemaker reads LSB exit codes where v1 read the status text, check that `%s status` exits 3 when stopped",
			r.Raw, r.Name, c.opt.InitDir, r.Name)
		if len(r.Args) > 0 {
			c.hrWarnf(r.Line, "%s: lsb resources take no arguments; %q dropped", r.Raw, strings.Join(r.Args, "::"))
		}
		return c.scriptPrimitive(r, "lsb")
	}
	c.hrWarnf(r.Line, "%s: no script %s in %s/resource.d or %s on this host; converted to heartbeat:%s, install it in resource.d on every node",
		r.Raw, r.Name, c.opt.ConfigDir, c.opt.InitDir, r.Name)
	return c.scriptPrimitive(r, "heartbeat")
}

func (c *converter) ocfPrimitive(r haresources.Resource, op resourced.Op) Primitive {
	params := op.Params
	var note string
	if r.Name == "IPaddr" || r.Name == "IPaddr2" {
		a, err := r.IPaddr()
		switch {
		case err != nil:
			c.hrWarnf(r.Line, "%s: %v; the agent will refuse it", r.Raw, err)
		case a.CIDR >= 0 && strings.Contains(a.Mask, "."):
			// The agents accept a dotted netmask only through a
			// deprecated conversion that logs a warning on every run.
			params["cidr_netmask"] = strconv.Itoa(a.CIDR)
			note = " netmask " + a.Mask + " written as /" + strconv.Itoa(a.CIDR) + " "
		}
	}
	agent := op.Agent
	if !c.opt.Host.Executable(path.Join(c.opt.OCFRoot, "resource.d", agent.Provider, agent.Type)) {
		c.hrWarnf(r.Line, "%s: agent ocf:%s:%s is not installed on this host", r.Raw, agent.Provider, agent.Type)
	}
	p := Primitive{ID: c.ids.unique(op.Resource), Class: "ocf", Provider: agent.Provider, Type: agent.Type, Comment: commentSafe(note)}
	p.Instance = c.attrs(p.ID, params)
	p.Ops = c.ops(p.ID, timingFor("ocf", agent.Type, params))
	return p
}

// scriptPrimitive makes a heartbeat- or lsb-class primitive. Heartbeat
// class arguments are instance attributes named 1, 2, ...: Pacemaker passes
// them to the script positionally, in that order, as v1 did.
func (c *converter) scriptPrimitive(r haresources.Resource, class string) Primitive {
	base := r.Name
	if len(r.Args) > 0 {
		base += "_" + strings.Join(r.Args, "_")
	}
	p := Primitive{ID: c.ids.unique(base), Class: class, Type: r.Name}
	if class == "heartbeat" && len(r.Args) > 0 {
		params := map[string]string{}
		for i, a := range r.Args {
			params[strconv.Itoa(i+1)] = a
		}
		p.Instance = c.attrs(p.ID, params)
	}
	p.Ops = c.ops(p.ID, timingFor(class, r.Name, nil))
	return p
}

func (c *converter) attrs(owner string, params map[string]string) *MetaSet {
	if len(params) == 0 {
		return nil
	}
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	// Numeric names (heartbeat class) in numeric order, others sorted.
	sort.Slice(names, func(i, j int) bool {
		a, errA := strconv.Atoi(names[i])
		b, errB := strconv.Atoi(names[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return names[i] < names[j]
	})
	set := &MetaSet{ID: c.ids.unique(owner + "-instance_attributes")}
	for _, n := range names {
		set.Pairs = append(set.Pairs, NVPair{ID: c.ids.unique(set.ID + "-" + n), Name: n, Value: params[n]})
	}
	return set
}

func (c *converter) ops(owner string, t timing) []Op {
	return []Op{
		{ID: c.ids.unique(owner + "-start-0"), Name: "start", Interval: "0s", Timeout: secs(t.start)},
		{ID: c.ids.unique(owner + "-stop-0"), Name: "stop", Interval: "0s", Timeout: secs(t.stop)},
		{ID: c.ids.unique(owner + "-monitor-" + secs(t.interval)), Name: "monitor", Interval: secs(t.interval), Timeout: secs(t.monitor)},
	}
}

func secs(n int) string { return strconv.Itoa(n) + "s" }

// options writes the cluster options and the resource defaults.
func (c *converter) options() {
	set := &c.cib.Configuration.CRMConfig.PropertySet
	set.ID = "cib-bootstrap-options"
	var why []string
	add := func(name, value string) {
		set.Pairs = append(set.Pairs, NVPair{ID: c.ids.unique(set.ID + "-" + name), Name: name, Value: value})
	}
	stonith := len(c.cib.Configuration.Resources.Primitives) > 0
	add("stonith-enabled", strconv.FormatBool(stonith))
	if !stonith {
		c.hacfWarnf(0, "no stonith or stonith_host line: stonith-enabled=false, shared data is not protected against split brain (as in v1)")
		why = append(why, "stonith-enabled=false: ha.cf configures no STONITH device.")
	}
	if len(c.cfg.Nodes) == 2 {
		// With two nodes a survivor never has a majority; quorum policy
		// "stop" would stop everything instead of taking over.
		add("no-quorum-policy", "ignore")
		why = append(why, "no-quorum-policy=ignore: a two-node cluster loses quorum whenever one node dies, and v1 took over without quorum.")
	}
	set.Comment = commentSafe(" " + strings.Join(why, " ") + " ")
	if len(why) == 0 {
		set.Comment = ""
	}

	stick := StickinessFailback
	switch c.cfg.AutoFailback {
	case hacf.FailbackOff:
		stick = StickinessStay
	case hacf.FailbackLegacy:
		c.hacfWarnf(c.cfg.Params["auto_failback"].Line, "auto_failback legacy (the default) converted as on: groups return to their home node")
	}
	c.cib.Configuration.RscDefaults = &MetaSet{ID: c.ids.unique("rsc-options"), Pairs: []NVPair{{
		ID: c.ids.unique("rsc-options-resource-stickiness"), Name: "resource-stickiness", Value: strconv.Itoa(stick),
	}}}
}

// commentSafe makes s legal inside an XML comment ("--" is not).
func commentSafe(s string) string {
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "- -")
	}
	if strings.HasSuffix(s, "-") {
		s += " "
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}
