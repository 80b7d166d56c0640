package controller

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"hbgo/crm/cibstore"
)

// Config is what a Machine needs to know.
type Config struct {
	// Node is the local node name.
	Node string
	// Nodes are the configured cluster nodes (ha.cf node lines), the
	// denominator of quorum. Nodes met at run time (autojoin) are added.
	Nodes []string
	// Priority ranks nodes for the DC election: lower wins, default 0.
	// Every node must be given the same map.
	Priority map[string]int
	// PingNodes are the configured ping nodes, quorum tie-breakers.
	PingNodes []string
	// StartupWait is how long a starting node waits for the configured
	// nodes to appear before it coordinates alone (use ha.cf initdead).
	StartupWait time.Duration
	// JoinTimeout bounds how long a coordinator waits for answers to an
	// offer before leaving the silent nodes out.
	JoinTimeout time.Duration
	// RetryInterval paces join requests of a node left out, and how long a
	// silent node stays left out of offers.
	RetryInterval time.Duration
	// RequestTimeout bounds how long a CIB change waits for the DC's answer.
	RequestTimeout time.Duration
	// Validator is called on the DC before any requested change is accepted.
	Validator cibstore.Validator
}

// DefaultConfig returns timers suited to a deadtime of 30 s.
func DefaultConfig(node string, nodes []string) Config {
	return Config{Node: node, Nodes: nodes, StartupWait: 120 * time.Second, JoinTimeout: 5 * time.Second,
		RetryInterval: 5 * time.Second, RequestTimeout: 60 * time.Second}
}

// TestConfig returns short timers for simulations (deadtime about 1 s).
func TestConfig(node string, nodes []string) Config {
	return Config{Node: node, Nodes: nodes, StartupWait: 2 * time.Second, JoinTimeout: 300 * time.Millisecond,
		RetryInterval: 500 * time.Millisecond, RequestTimeout: 5 * time.Second}
}

// ErrConfig is wrapped by Validate's errors.
var ErrConfig = errors.New("controller config")

// Validate checks the fields a Machine relies on.
func (c Config) Validate() error {
	switch {
	case c.Node == "":
		return fmt.Errorf("%w: local node name empty", ErrConfig)
	case !slices.Contains(c.Nodes, c.Node):
		return fmt.Errorf("%w: local node %q not among the nodes", ErrConfig, c.Node)
	case c.JoinTimeout <= 0 || c.RetryInterval <= 0 || c.RequestTimeout <= 0 || c.StartupWait < 0:
		return fmt.Errorf("%w: timers must be positive", ErrConfig)
	}
	return nil
}

// Better reports whether node a ranks before node b for the DC election:
// lower priority value first, then lower name.
func Better(prio map[string]int, a, b string) bool {
	if pa, pb := prio[a], prio[b]; pa != pb {
		return pa < pb
	}
	return a < b
}

// Best returns the node of set that ranks first, "" for an empty set.
func Best(prio map[string]int, set []string) string {
	best := ""
	for _, n := range set {
		if best == "" || Better(prio, n, best) {
			best = n
		}
	}
	return best
}

// Quorum decides whether a partition holding members (the agreed
// membership) has quorum, given the configured nodes and how many of the
// configured ping nodes this partition reaches.
//
//   - more than half of the nodes: quorum;
//   - exactly half (a tie): in a two-node cluster, quorum (the two-node
//     rule: one survivor keeps running, fencing settles a split); with
//     more nodes, quorum only for the side holding the first node of the
//     sorted configuration, so at most one side wins; in both cases, when
//     ping nodes are configured, the partition must also reach more than
//     half of them;
//   - less than half: no quorum.
//
// Members not in nodes (autojoin) count in both.
func Quorum(nodes, members []string, pingNodes int, pingsUp int) bool {
	all := slices.Clone(nodes)
	for _, m := range members {
		if !slices.Contains(all, m) {
			all = append(all, m)
		}
	}
	slices.Sort(all)
	n, have := len(all), 0
	for _, m := range members {
		if slices.Contains(all, m) {
			have++
		}
	}
	switch {
	case n == 0 || have == 0:
		return false
	case 2*have > n:
		return true
	case 2*have < n:
		return false
	}
	if pingNodes > 0 && 2*pingsUp <= pingNodes {
		return false
	}
	return n == 2 || slices.Contains(members, all[0])
}
