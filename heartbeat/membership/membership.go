package membership

import (
	"fmt"
	"sort"
	"time"
)

// Membership is the liveness state machine. It is not safe for concurrent
// use: one driver goroutine owns it.
type Membership struct {
	cfg    Config
	start  time.Time
	nodes  map[string]*node
	order  []string            // every node name, sorted: deterministic output
	pingOf map[string][]string // ping target -> pseudo nodes it answers for
}

type node struct {
	name   string
	typ    NodeType
	local  bool
	status Status
	heard  bool          // heard at least once since start
	last   time.Time     // last packet on any link
	dt     time.Duration // dt advertised in the last heartbeat, 0 if none
	gen    uint64
	// left: the node announced a clean stop. 3.0.6 keeps sending status
	// for a second or so after its shutdone (seen in the lab captures);
	// those must not bring it back. Only a new generation does.
	left  bool
	links map[string]*link
}

type link struct {
	status LinkStatus
	last   time.Time
}

// New returns the membership view of a daemon started at start, with every
// node in status init.
func New(cfg Config, start time.Time) (*Membership, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := &Membership{
		cfg:    cfg,
		start:  start,
		nodes:  map[string]*node{},
		pingOf: map[string][]string{},
	}
	add := func(name string, typ NodeType) {
		if _, ok := m.nodes[name]; ok {
			return
		}
		m.nodes[name] = &node{name: name, typ: typ, local: name == cfg.Local, status: StatusInit, links: map[string]*link{}}
		m.order = append(m.order, name)
	}
	for _, n := range cfg.Nodes {
		add(n, TypeNormal)
	}
	for _, p := range cfg.PingNodes {
		add(p, TypePing)
		m.pingOf[p] = append(m.pingOf[p], p)
	}
	for _, g := range cfg.PingGroups {
		add(g.Name, TypePing)
		for _, t := range g.Members {
			m.pingOf[t] = append(m.pingOf[t], g.Name)
		}
	}
	sort.Strings(m.order)
	return m, nil
}

// Config returns the configuration in use, defaults filled in.
func (m *Membership) Config() Config { return m.cfg }

// AdvertisedDeadtime is the dt our own status messages carry at now:
// deadtime + StartupExtra during the first StartupPeriod after start,
// deadtime afterwards (what 3.0.6 does, so peers give a starting node
// more slack).
func (m *Membership) AdvertisedDeadtime(now time.Time) time.Duration {
	if now.Sub(m.start) < StartupPeriod {
		return m.cfg.Deadtime + StartupExtra
	}
	return m.cfg.Deadtime
}

// alive reports whether the node counts as up (heard and not dead).
func (n *node) alive() bool { return n.heard && n.status != StatusDead }

// nodeDeadtime is how long n may stay silent before it is declared dead.
func (m *Membership) nodeDeadtime(n *node) time.Duration {
	if n.typ == TypePing {
		return m.cfg.Deadping
	}
	if n.dt > 0 {
		return n.dt
	}
	return m.cfg.Deadtime
}

// linkDeadtime is how long a link of n may stay silent before it is dead:
// our own deadtime (deadping for ping nodes).
func (m *Membership) linkDeadtime(n *node) time.Duration {
	if n.typ == TypePing {
		return m.cfg.Deadping
	}
	return m.cfg.Deadtime
}

// Heartbeat processes a status message from a cluster node (our own
// included: a medium that loops our packets back, like bcast, shows our own
// link status). It returns ErrUnknownNode or ErrStaleGeneration, with no
// state change, for a message it must ignore.
func (m *Membership) Heartbeat(h Heartbeat) ([]Event, error) {
	n, ok := m.nodes[h.Node]
	if !ok || n.typ != TypeNormal {
		return nil, fmt.Errorf("heartbeat from %q on %s: %w", h.Node, h.Medium, ErrUnknownNode)
	}
	if h.Generation != 0 && h.Generation < n.gen && !n.local {
		return nil, fmt.Errorf("heartbeat from %s: generation %d < %d: %w", h.Node, h.Generation, n.gen, ErrStaleGeneration)
	}
	var ev []Event
	emit := func(e Event) {
		e.Node, e.Type, e.Local, e.At = n.name, n.typ, n.local, h.At
		if e.Medium == "" {
			e.Medium = h.Medium
		}
		ev = append(ev, e)
	}
	if !n.local {
		if h.Generation > n.gen && n.gen != 0 {
			n.left = false // a new life after a clean stop
		}
		if gap := h.At.Sub(n.last); n.alive() && !n.left && gap > m.cfg.Warntime {
			emit(Event{Kind: LateHeartbeat, Status: n.status, Gap: gap})
		}
		if h.Generation > n.gen && n.gen != 0 {
			emit(Event{Kind: NodeRestarted, Status: n.status, Generation: h.Generation, OldGeneration: n.gen})
		}
		if h.Generation > n.gen {
			n.gen = h.Generation
		}
		n.dt = h.DeadTime
	}
	m.touchLink(n, h.Medium, h.At, emit)
	switch {
	case n.local:
		// Our own status is ours to set (SetLocalStatus), not the echo's.
	case h.Status == StatusDead:
		// A shutdone (st=dead) that the driver passed as a heartbeat.
		m.leave(n, emit)
	case n.left:
		// The tail of a stopping daemon: it keeps it alive until its dead
		// time runs out, but its reported status no longer counts, and
		// once dead only a new generation brings it back.
	default:
		m.setStatus(n, h.Status, emit)
	}
	return ev, nil
}

// touchLink records a packet from n on medium and updates n's last-heard.
func (m *Membership) touchLink(n *node, medium string, at time.Time, emit func(Event)) {
	l, ok := n.links[medium]
	if !ok {
		l = &link{status: LinkStatusDead}
		n.links[medium] = l
	}
	if l.status != LinkStatusUp {
		l.status = LinkStatusUp
		emit(Event{Kind: LinkUp, Medium: medium, Status: Status(LinkStatusUp)})
	}
	// Packets are handed in receive order; never move time backwards.
	if at.After(l.last) {
		l.last = at
	}
	if at.After(n.last) {
		n.last = at
	}
}

// setStatus applies a status reported by (or, for ping nodes, implied by)
// a packet just received from n.
func (m *Membership) setStatus(n *node, s Status, emit func(Event)) {
	if s == "" {
		s = n.status
		if !n.alive() {
			s = StatusUp
		}
	}
	if !n.alive() {
		n.heard = true
		n.status = s
		emit(Event{Kind: NodeUp, Status: s})
		if s == StatusActive {
			emit(Event{Kind: NodeActive, Status: s})
		}
		return
	}
	if s == n.status {
		return
	}
	n.status = s
	if s == StatusActive {
		emit(Event{Kind: NodeActive, Status: s})
	} else {
		emit(Event{Kind: NodeStatusChanged, Status: s})
	}
}

// PingReply processes an echo reply from a ping target: the ping node of
// that address and every ping group it belongs to are heard.
func (m *Membership) PingReply(r PingReply) ([]Event, error) {
	names, ok := m.pingOf[r.Target]
	if !ok {
		return nil, fmt.Errorf("echo reply from %s: %w", r.Target, ErrNotPingTarget)
	}
	var ev []Event
	for _, name := range names {
		n := m.nodes[name]
		emit := func(e Event) {
			e.Node, e.Type, e.Local, e.At = n.name, n.typ, n.local, r.At
			if e.Medium == "" {
				e.Medium = r.Medium
			}
			ev = append(ev, e)
		}
		if gap := r.At.Sub(n.last); n.alive() && gap > m.cfg.Warntime {
			emit(Event{Kind: LateHeartbeat, Status: n.status, Gap: gap})
		}
		m.touchLink(n, r.Medium, r.At, emit)
		m.setStatus(n, StatusPing, emit)
	}
	return ev, nil
}

// Leave processes a clean stop announced by node (shutdone). As in 3.0.6
// ("Received shutdown notice from 'n1'.") it returns NodeLeft at once, so
// the resource layer can take over without waiting, while the node itself
// is declared dead (reason shutdown) only when its dead time has run out
// after its last packet: a stopping 3.0.6 goes on sending status for a
// second or so after its shutdone (seen in the lab captures and logs),
// and those packets neither revive nor re-announce it. A node never heard
// dies at once (NodeLeft, then NodeDead). Leaving an unknown node is
// ErrUnknownNode.
func (m *Membership) Leave(name string, now time.Time) ([]Event, error) {
	n, ok := m.nodes[name]
	if !ok || n.typ != TypeNormal {
		return nil, fmt.Errorf("leave of %q: %w", name, ErrUnknownNode)
	}
	var ev []Event
	m.leave(n, func(e Event) {
		e.Node, e.Type, e.Local, e.At = n.name, n.typ, n.local, now
		ev = append(ev, e)
	})
	return ev, nil
}

func (m *Membership) leave(n *node, emit func(Event)) {
	if n.local || n.left {
		return
	}
	n.left = true
	emit(Event{Kind: NodeLeft, Status: n.status})
	if !n.alive() && n.status != StatusDead {
		// Nothing to wait for: no dead time is running for it.
		n.status = StatusDead
		emit(Event{Kind: NodeDead, Status: StatusDead, Reason: ReasonShutdown})
	}
}

// SetLocalStatus sets our own node's status (init, up, active), which the
// daemon drives, and returns the change as an event.
func (m *Membership) SetLocalStatus(s Status, now time.Time) []Event {
	n := m.nodes[m.cfg.Local]
	var ev []Event
	emit := func(e Event) {
		e.Node, e.Type, e.Local, e.At = n.name, n.typ, n.local, now
		ev = append(ev, e)
	}
	m.setStatus(n, s, emit)
	return ev
}

// Tick applies the passage of time up to now: nodes silent for their dead
// time die, nodes never heard die once initdead has passed since start,
// links silent for our deadtime die, and a dead node's remaining live
// links die with it. Events come in node-name order, each node's death
// before its links ("node n1: is dead" then "Link n1:eth0 dead." in 3.0.6).
func (m *Membership) Tick(now time.Time) []Event {
	var ev []Event
	for _, name := range m.order {
		n := m.nodes[name]
		emit := func(e Event) {
			e.Node, e.Type, e.Local, e.At = n.name, n.typ, n.local, now
			ev = append(ev, e)
		}
		dying := false
		switch {
		case n.local:
		case n.alive() && now.Sub(n.last) >= m.nodeDeadtime(n):
			dying = true
			reason := ReasonDeadtime
			switch {
			case n.typ == TypePing:
				reason = ReasonDeadping
			case n.left:
				reason = ReasonShutdown
			}
			n.status = StatusDead
			emit(Event{Kind: NodeDead, Status: StatusDead, Reason: reason, Gap: now.Sub(n.last)})
		case !n.heard && n.status != StatusDead && now.Sub(m.start) >= m.cfg.Initdead:
			n.status = StatusDead
			emit(Event{Kind: NodeDead, Status: StatusDead, Reason: ReasonInitdead, Gap: now.Sub(m.start)})
		}
		// A node's live links die with it; otherwise each link goes on our
		// own deadtime.
		for _, medium := range sortedKeys(n.links) {
			l := n.links[medium]
			gap := now.Sub(l.last)
			if l.status == LinkStatusUp && (gap >= m.linkDeadtime(n) || dying) {
				l.status = LinkStatusDead
				emit(Event{Kind: LinkDead, Medium: medium, Status: Status(LinkStatusDead), Gap: gap})
			}
		}
	}
	return ev
}

// NextDeadline returns the earliest time at which Tick would change
// something if no packet arrives before, and false when nothing is
// pending. A driver may arm one timer for it instead of ticking.
func (m *Membership) NextDeadline() (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(t time.Time) {
		if !found || t.Before(best) {
			best, found = t, true
		}
	}
	for _, name := range m.order {
		n := m.nodes[name]
		for _, l := range n.links {
			if l.status == LinkStatusUp {
				consider(l.last.Add(m.linkDeadtime(n)))
			}
		}
		if n.local {
			continue
		}
		switch {
		case n.alive():
			consider(n.last.Add(m.nodeDeadtime(n)))
		case !n.heard && n.status != StatusDead:
			consider(m.start.Add(m.cfg.Initdead))
		}
	}
	return best, found
}

func sortedKeys(m map[string]*link) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
