package membership

import (
	"fmt"
	"time"
)

// Config is what the state machine needs from ha.cf.
type Config struct {
	// Local is our own node name (lower-cased). It must be in Nodes.
	Local string
	// Nodes are the cluster members (node lines), Local included.
	Nodes []string
	// Keepalive is the heartbeat interval; it only bounds warnings and
	// is used by callers to pace Tick.
	Keepalive time.Duration
	// Deadtime: our dead time. Links use it; nodes use it when the peer
	// advertised no dt.
	Deadtime time.Duration
	// Warntime: late-heartbeat threshold; 0 means Deadtime/2 as in ha.cf.
	Warntime time.Duration
	// Initdead: how long after start a node never heard is given before it
	// is declared dead; 0 means Heartbeat's computed default.
	Initdead time.Duration
	// Deadping: dead time for ping nodes; 0 means Deadtime.
	Deadping time.Duration
	// PingNodes are the ping targets (ping lines), each its own pseudo node.
	PingNodes []string
	// PingGroups are ping_group lines.
	PingGroups []PingGroup
}

// PingGroup is a ping_group: a pseudo node up while any member answers.
type PingGroup struct {
	Name    string
	Members []string
}

// DefaultInitdead returns Heartbeat's initdead when ha.cf gives none:
// deadtime when above 10 s, 12 s when below 6 s, else twice deadtime.
func DefaultInitdead(deadtime time.Duration) time.Duration {
	switch {
	case deadtime > 10*time.Second:
		return deadtime
	case deadtime < 6*time.Second:
		return 12 * time.Second
	default:
		return 2 * deadtime
	}
}

// withDefaults fills in the zero durations the way ha.cf does.
func (c Config) withDefaults() Config {
	if c.Warntime == 0 {
		c.Warntime = c.Deadtime / 2
	}
	if c.Initdead == 0 {
		c.Initdead = DefaultInitdead(c.Deadtime)
	}
	if c.Deadping == 0 {
		c.Deadping = c.Deadtime
	}
	return c
}

// Validate checks the rules the state machine relies on. The ha.cf parser
// reports the same problems with file and line; this is the last guard.
func (c Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBadConfig, fmt.Sprintf(format, a...))
	}
	c = c.withDefaults()
	if c.Deadtime <= 0 || c.Keepalive <= 0 {
		return bad("keepalive %v and deadtime %v must be positive", c.Keepalive, c.Deadtime)
	}
	if c.Deadtime <= 2*c.Keepalive {
		return bad("deadtime %v must exceed twice keepalive %v", c.Deadtime, c.Keepalive)
	}
	if c.Initdead < c.Deadtime {
		return bad("initdead %v is smaller than deadtime %v", c.Initdead, c.Deadtime)
	}
	seen := map[string]bool{}
	local := false
	for _, n := range c.Nodes {
		if n == "" {
			return bad("empty node name")
		}
		local = local || n == c.Local
		seen[n] = true
	}
	if !local {
		return bad("local node %q not in nodes", c.Local)
	}
	for _, p := range c.PingNodes {
		if seen[p] {
			return bad("ping node %q is also a cluster node or repeated", p)
		}
		seen[p] = true
	}
	for _, g := range c.PingGroups {
		if seen[g.Name] {
			return bad("ping group %q clashes with another node name", g.Name)
		}
		if len(g.Members) == 0 {
			return bad("ping group %q has no members", g.Name)
		}
		seen[g.Name] = true
	}
	return nil
}

// Advertised-dt schedule after a start (heartbeat-wire.md §6): 3.0.6
// advertises deadtime + StartupExtra for about StartupPeriod, then its
// deadtime, so peers are lenient while it is starting.
const (
	StartupPeriod = 5 * time.Second
	StartupExtra  = 2 * time.Second
)
