package hacf

import (
	"time"

	"hbgo/internal/problem"
)

// Validate makes the checks 3.0.6 performs after ha.cf (and authkeys) have
// been read, in its order: media present, nodes present, local node
// declared, deadtime vs keepalive, initdead, deadping, the legacy
// auto_failback notice, the logging rule and autojoin vs haresources mode.
// nodeName is the local node (uname -n). With autojoin any the local node
// is added to c.Nodes when missing, as 3.0.6 does.
func Validate(c *Config, nodeName string) problem.List {
	var l problem.List
	f := c.File
	line := func(name string) int { return c.Params[name].Line }

	if len(c.Media) == 0 && len(c.PingNodes) == 0 {
		l.Errorf(f, 0, "media", "add a bcast, ucast, mcast or serial line", "No heartbeat media defined")
	} else if len(c.Media) == 0 {
		l.Warnf(f, 0, "media", "add a bcast, ucast, mcast or serial line to reach the other nodes",
			"only ping nodes are configured: no link to the other cluster nodes")
	}
	if len(c.Nodes) == 0 && c.Autojoin != "any" {
		l.Errorf(f, 0, "node", "add a node line for each cluster member (as `uname -n` prints it)", "no nodes defined")
	}

	local := lower(nodeName)
	if local != "" && !c.HasNode(local) {
		if c.Autojoin == "any" {
			c.Nodes = append(c.Nodes, Node{Name: local})
		} else if len(c.Nodes) > 0 {
			l.Errorf(f, c.Nodes[0].Line, "node", "the node names must match `uname -n` exactly (short vs FQDN matters)",
				"Current node [%s] not in configuration", local)
		}
	}

	if c.Deadtime <= 2*c.Keepalive {
		ln := line("deadtime")
		if ln == 0 {
			ln = line("keepalive")
		}
		l.Errorf(f, ln, "deadtime", "deadtime must be more than twice keepalive",
			"Dead time [%d] is too small compared to keepalive [%d]", ms(c.Deadtime), ms(c.Keepalive))
	}
	if ln := line("initdead"); ln > 0 {
		switch {
		case c.Initdead < c.Deadtime:
			l.Errorf(f, ln, "initdead", "initdead must be at least deadtime (and should be >= 10 s)",
				"Initial dead time [%d] is smaller than deadtime [%d]", ms(c.Initdead), ms(c.Deadtime))
		case c.Initdead < 10*time.Second:
			l.Warnf(f, ln, "initdead", "it should be >= deadtime and >= 10 seconds to allow for slow network start-up",
				"Initial dead time [%d ms] may be too small", ms(c.Initdead))
		}
	}
	if ln := line("deadping"); ln > 0 && c.Deadping <= 2*c.Keepalive {
		l.Errorf(f, ln, "deadping", "deadping must be more than twice keepalive",
			"Ping dead time [%d] is too small compared to keepalive [%d]", ms(c.Deadping), ms(c.Keepalive))
	}
	if ln := line("warntime"); ln > 0 && c.Warntime >= c.Deadtime {
		l.Warnf(f, ln, "warntime", "make warntime smaller than deadtime",
			"warntime %d ms is not below deadtime %d ms: late heartbeats are never reported", ms(c.Warntime), ms(c.Deadtime))
	}

	if c.ManagesResources() && c.AutoFailback == FailbackLegacy {
		l.Warnf(f, line("auto_failback"), "auto_failback", "set auto_failback on or off explicitly",
			"deprecated 'legacy' auto_failback in effect")
	}

	logged := c.LogFile != "" || c.DebugFile != "" || (c.LogFacility != "" && c.LogFacility != "none")
	logdLine := line("use_logd")
	switch {
	case !logged && logdLine > 0 && !c.UseLogd:
		l.Errorf(f, logdLine, "use_logd", "add logfile/debugfile or logfacility, or set use_logd yes",
			"No log entry found in ha.cf and use_logd is set to off")
	case !logged:
		c.UseLogd = true
	case c.UseLogd:
		l.Warnf(f, logdLine, "use_logd", "drop logfile/debugfile/logfacility when logging through ha_logd",
			"logd is enabled but logfile/debugfile/logfacility is still configured")
	default:
		l.Warnf(f, logdLine, "use_logd", "set use_logd yes and configure ha_logd (/etc/logd.cf)",
			"logging daemon is disabled; enabling it is recommended")
	}

	if c.ManagesResources() && c.Autojoin != "none" {
		l.Errorf(f, line("autojoin"), "autojoin", "unset autojoin (haresources mode needs a fixed node list) or enable pacemaker",
			"R1 style resource management conflicts with autojoin set")
	}
	return l
}

func ms(d time.Duration) int64 { return d.Milliseconds() }
