package controller

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hbgo/crm/cibstore"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/wire"
)

// sim is an N-node cluster of Machines on a fake network and a fake clock:
// per-pair FIFO delivery with a fixed latency, partitions, kills and
// restarts, and a coarse heartbeat layer (a peer is up at the first
// keepalive it is reachable, dead after deadtime of silence, and a restart
// seen as down+up). Messages go through Encode and Decode on the way.
type sim struct {
	t         *testing.T
	now       time.Time
	names     []string
	nodes     map[string]*simNode
	part      map[string]int
	latency   time.Duration
	keepalive time.Duration
	deadtime  time.Duration
	probeTime time.Duration
	step      time.Duration
	queue     []delivery
	seq       int
	steps     int
	cfg       func(string) Config
	dcWrites  map[cibstore.Version][]*cibstore.Doc
	requested map[string]string // reqid -> primitive id it adds
	trace     []string
	// realHB runs each node's heartbeat view on heartbeat/membership
	// (fed one status packet per reachable peer per keepalive) instead of
	// the coarse model.
	realHB bool
	block  map[[2]string]bool // one-way cuts: packets from [0] do not reach [1]
}

type simNode struct {
	name      string
	m         *Machine
	up        bool
	gen       int
	disk      *cibstore.Doc
	view      map[string]int
	lastHeard map[string]time.Time
	scheds    []Schedule
	done      map[string]CommitDone
	writes    int
	startedAt time.Time
	mute      bool // runs heartbeat but no controller
	hb        *membership.Membership
	probeReqs map[string]int // ProbeNode actions per probed node
}

type delivery struct {
	at   time.Time
	seq  int
	to   string
	gen  int
	from string
	msg  *wire.Message
	fn   func(n *simNode) []Action
}

func newSim(t *testing.T, names ...string) *sim {
	s := &sim{t: t, now: time.Unix(1_700_000_000, 0), names: names, nodes: map[string]*simNode{}, part: map[string]int{},
		latency: 2 * time.Millisecond, keepalive: 100 * time.Millisecond, deadtime: time.Second,
		probeTime: 20 * time.Millisecond, step: 5 * time.Millisecond,
		dcWrites: map[cibstore.Version][]*cibstore.Doc{}, requested: map[string]string{}}
	s.cfg = func(n string) Config { return TestConfig(n, names) }
	for _, n := range names {
		s.nodes[n] = &simNode{name: n, disk: cibstore.Empty(), done: map[string]CommitDone{}}
	}
	return s
}

func (s *sim) logf(format string, args ...any) {
	line := fmt.Sprintf("%8.3f ", s.now.Sub(time.Unix(1_700_000_000, 0)).Seconds()) + fmt.Sprintf(format, args...)
	s.trace = append(s.trace, line)
	if len(s.trace) > 400 {
		s.trace = s.trace[len(s.trace)-300:]
	}
}

func (s *sim) fail(format string, args ...any) {
	s.t.Helper()
	var st []string
	for _, n := range s.names {
		if nd := s.nodes[n]; nd.up {
			m := nd.m
			st = append(st, fmt.Sprintf("%s: mem %+v round %+v synced %v pull %q queue %d pending %d alive %v left %v probed %v probing %v",
				n, m.mem, m.round, m.synced, m.pullFrom, len(m.queue), len(m.pending), m.aliveList(), m.leftOut, m.probed, m.probing))
		}
	}
	s.t.Fatalf("%s\n--- last trace lines ---\n%s\n--- state ---\n%s", fmt.Sprintf(format, args...), strings.Join(s.trace, "\n"), strings.Join(st, "\n"))
}

func (s *sim) start(name string) {
	n := s.nodes[name]
	if n.up {
		return
	}
	n.gen++
	n.up = true
	n.view, n.lastHeard = map[string]int{}, map[string]time.Time{}
	n.scheds, n.startedAt = nil, s.now
	m, err := New(s.cfg(name), n.disk, s.now)
	if err != nil {
		s.t.Fatal(err)
	}
	n.m = m
	if s.realHB {
		n.hb, err = membership.New(membership.Config{Local: name, Nodes: s.names, Keepalive: s.keepalive,
			Deadtime: s.deadtime, Initdead: 2 * s.deadtime}, s.now)
		if err != nil {
			s.t.Fatal(err)
		}
	}
	s.logf("%s starts (gen %d, cib %s)", name, n.gen, n.disk.Version())
}

func (s *sim) kill(name string) {
	n := s.nodes[name]
	if n.up {
		n.up = false
		s.logf("%s dies", name)
	}
}

// reachable reports whether packets from a reach b.
func (s *sim) reachable(a, b string) bool {
	return s.nodes[a].up && s.nodes[b].up && s.part[a] == s.part[b] && !s.block[[2]string{a, b}]
}

// partition puts each group in its own partition; unnamed nodes stay in 0.
func (s *sim) partition(groups ...[]string) {
	for n := range s.part {
		s.part[n] = 0
	}
	for i, g := range groups {
		for _, n := range g {
			s.part[n] = i + 1
		}
	}
	s.logf("partition %v", groups)
}

func (s *sim) heal() { s.partition() }

func (s *sim) enqueue(d delivery) {
	s.seq++
	d.seq = s.seq
	s.queue = append(s.queue, d)
}

func (s *sim) apply(n *simNode, acts []Action) {
	for i, a := range acts {
		switch a := a.(type) {
		case Send:
			if n.mute {
				continue
			}
			w, err := Encode(a.Msg)
			if err != nil {
				s.fail("%s: encode %+v: %v", n.name, a.Msg, err)
			}
			w.Add(wire.FieldSrc, n.name)
			switch a.Msg.Type {
			case MsgJoinOffer, MsgJoinAck, MsgJoinNack, MsgJoinConfirm:
			default:
				s.logf("%s sends %s to %q inst %d req %s rc %s", n.name, a.Msg.Type, a.Msg.To, a.Msg.Instance, a.Msg.ReqID, a.Msg.RC)
			}
			for _, to := range s.names {
				if to == n.name || (a.Msg.To != "" && a.Msg.To != to) || !s.reachable(n.name, to) {
					continue
				}
				s.enqueue(delivery{at: s.now.Add(s.latency), to: to, gen: s.nodes[to].gen, from: n.name, msg: w})
			}
		case WriteCIB:
			n.disk = a.Doc
			n.writes++
			// A DC's commit is a write followed by the diff announcing it.
			if i+1 < len(acts) {
				if snd, ok := acts[i+1].(Send); ok && snd.Msg.Type == MsgCIBDiff {
					s.dcWrites[a.Doc.Version()] = append(s.dcWrites[a.Doc.Version()], a.Doc)
				}
			}
		case Schedule:
			n.scheds = append(n.scheds, a)
			s.logf("%s schedules cib %s members %v quorum %v", n.name, a.Doc.Version(), a.Membership.Members, a.Membership.Quorum)
		case ProbeNode:
			if n.probeReqs == nil {
				n.probeReqs = map[string]int{}
			}
			n.probeReqs[a.Node]++
			s.enqueue(delivery{at: s.now.Add(s.probeTime), to: n.name, gen: n.gen, fn: func(dc *simNode) []Action {
				return dc.m.ProbeDone(s.now, a.Node)
			}})
		case CommitDone:
			n.done[a.ReqID] = a
			s.logf("%s commit %s: %v %v", n.name, a.ReqID, a.Version, a.Err)
			if a.Err == nil {
				s.checkCommitted(a)
			}
		case MembershipChanged:
			s.logf("%s membership %d %v dc=%q quorum=%v", n.name, a.Membership.Instance, a.Membership.Members, a.Membership.DC, a.Membership.Quorum)
		default:
			s.fail("unknown action %T", a)
		}
	}
}

// checkCommitted: a change reported done must be in a CIB some DC wrote at
// that version.
func (s *sim) checkCommitted(c CommitDone) {
	id, ok := s.requested[c.ReqID]
	if !ok {
		return
	}
	for _, d := range s.dcWrites[c.Version] {
		if hasPrimitive(d, id) {
			return
		}
	}
	s.fail("%s reported done at %s but no DC wrote %s at that version", c.ReqID, c.Version, id)
}

func hasPrimitive(d *cibstore.Doc, id string) bool {
	r := d.Root().Child("configuration", "")
	if r == nil || r.Child("resources", "") == nil {
		return false
	}
	return r.Child("resources", "").Child("primitive", id) != nil
}

func (s *sim) request(node, reqid, prim string) {
	n := s.nodes[node]
	s.requested[reqid] = prim
	p, _ := cibstore.ParsePath("/cib/configuration/resources/primitive[@id='" + prim + "']")
	op := cibstore.Op{Kind: cibstore.OpReplace, Path: p, Node: &cibstore.Node{Name: "primitive",
		Attrs: []cibstore.Attr{{Name: "id", Value: prim}, {Name: "class", Value: "ocf"}, {Name: "type", Value: "Dummy"}}}}
	s.logf("%s requests %s (%s)", node, reqid, prim)
	s.apply(n, n.m.Request(s.now, reqid, []cibstore.Op{op}))
}

// advance runs the cluster for d, calling check (if any) after each step.
func (s *sim) advance(d time.Duration, check func()) {
	end := s.now.Add(d)
	for s.now.Before(end) {
		s.now = s.now.Add(s.step)
		s.steps++
		// Deliveries due, in order.
		slices.SortStableFunc(s.queue, func(a, b delivery) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			return a.seq - b.seq
		})
		for len(s.queue) > 0 && !s.queue[0].at.After(s.now) {
			d := s.queue[0]
			s.queue = s.queue[1:]
			n := s.nodes[d.to]
			if !n.up || n.gen != d.gen || n.mute {
				continue
			}
			if d.fn != nil {
				s.apply(n, d.fn(n))
				continue
			}
			if !s.reachable(d.from, d.to) {
				continue
			}
			msg, err := Decode(d.msg)
			if err != nil {
				s.fail("decode: %v", err)
			}
			s.apply(n, n.m.Receive(s.now, msg))
		}
		if s.steps%int(s.keepalive/s.step) == 0 {
			s.heartbeat()
		}
		if s.realHB {
			for _, name := range s.names {
				if n := s.nodes[name]; n.up {
					s.hbEvents(n, n.hb.Tick(s.now))
				}
			}
		}
		for _, name := range s.names {
			if n := s.nodes[name]; n.up && !n.mute {
				s.apply(n, n.m.Tick(s.now))
			}
		}
		if check != nil {
			check()
		}
	}
}

// hbEvents passes heartbeat membership events to a node's controller and
// keeps the sim's record of its view.
func (s *sim) hbEvents(n *simNode, evs []membership.Event) {
	for _, ev := range evs {
		if ev.Local {
			continue
		}
		switch ev.Kind {
		case membership.NodeUp, membership.NodeActive:
			n.view[ev.Node] = 1
		case membership.NodeDead, membership.NodeLeft:
			delete(n.view, ev.Node)
		}
		s.apply(n, n.m.HeartbeatEvent(s.now, ev))
	}
}

func (s *sim) heartbeat() {
	if s.realHB {
		for _, a := range s.names {
			na := s.nodes[a]
			if !na.up {
				continue
			}
			for _, b := range s.names {
				if a == b || !s.reachable(b, a) {
					continue
				}
				evs, err := na.hb.Heartbeat(membership.Heartbeat{Node: b, Medium: "eth0", Status: membership.StatusActive,
					DeadTime: s.deadtime, Generation: uint64(s.nodes[b].gen), At: s.now})
				if err != nil {
					s.fail("%s: heartbeat from %s: %v", a, b, err)
				}
				s.hbEvents(na, evs)
			}
		}
		return
	}
	for _, a := range s.names {
		na := s.nodes[a]
		if !na.up {
			continue
		}
		for _, b := range s.names {
			if a == b {
				continue
			}
			nb := s.nodes[b]
			g, seen := na.view[b]
			switch {
			case s.reachable(b, a):
				na.lastHeard[b] = s.now
				if seen && g != nb.gen {
					delete(na.view, b)
					s.apply(na, na.m.NodeDown(s.now, b))
					seen = false
				}
				if !seen {
					na.view[b] = nb.gen
					s.apply(na, na.m.NodeUp(s.now, b))
				}
			case seen && s.now.Sub(na.lastHeard[b]) >= s.deadtime:
				delete(na.view, b)
				s.apply(na, na.m.NodeDown(s.now, b))
			}
		}
	}
}

// components returns the partitions of live nodes, each sorted.
func (s *sim) components() [][]string {
	byPart := map[int][]string{}
	for _, n := range s.names {
		if s.nodes[n].up {
			byPart[s.part[n]] = append(byPart[s.part[n]], n)
		}
	}
	var out [][]string
	for _, c := range byPart {
		slices.Sort(c)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// stable returns "" when every partition has exactly one DC, the
// expected one, all its nodes agree on the membership, quorum is right,
// the CIB copies are identical and the DC has scheduled on it; otherwise
// the first discrepancy. Partitions for which only(c) is false are skipped.
func (s *sim) stable(only func(c []string) bool) string {
	for _, c := range s.components() {
		if only != nil && !only(c) {
			continue
		}
		// The heartbeat layer must have settled first: every node sees
		// exactly its partition.
		for _, n := range c {
			for _, p := range s.names {
				_, seen := s.nodes[n].view[p]
				if p != n && seen != slices.Contains(c, p) {
					return fmt.Sprintf("partition %v: heartbeat view of %s not settled (%s)", c, n, p)
				}
			}
		}
		var dcs []string
		for _, n := range c {
			if s.nodes[n].m.IsDC() {
				dcs = append(dcs, n)
			}
		}
		want := Best(nil, c)
		if len(dcs) != 1 || dcs[0] != want {
			return fmt.Sprintf("partition %v: DCs %v, want %s", c, dcs, want)
		}
		dc := s.nodes[want]
		if dc.m.round != nil || len(dc.m.queue) > 0 {
			return fmt.Sprintf("partition %v: DC has a round or queued requests", c)
		}
		mem := dc.m.Membership()
		if !slices.Equal(mem.Members, c) {
			return fmt.Sprintf("partition %v: DC members %v", c, mem.Members)
		}
		if q := Quorum(s.names, c, 0, 0); mem.Quorum != q {
			return fmt.Sprintf("partition %v: quorum %v want %v", c, mem.Quorum, q)
		}
		for _, n := range c {
			nm := s.nodes[n].m.Membership()
			if !nm.Equal(mem) {
				return fmt.Sprintf("partition %v: %s has %+v, DC has %+v", c, n, nm, mem)
			}
			if s.nodes[n].m.CIB().Digest() != dc.m.CIB().Digest() {
				return fmt.Sprintf("partition %v: %s CIB %s differs from DC's %s", c, n, s.nodes[n].m.CIB().Version(), dc.m.CIB().Version())
			}
			if !s.nodes[n].disk.Equal(s.nodes[n].m.CIB()) {
				return fmt.Sprintf("%s: disk copy differs from memory", n)
			}
		}
		if len(dc.scheds) == 0 {
			return fmt.Sprintf("partition %v: DC never scheduled", c)
		}
		last := dc.scheds[len(dc.scheds)-1]
		if last.Membership.Instance != mem.Instance || last.Doc.Version() != dc.m.CIB().Version() {
			return fmt.Sprintf("partition %v: last schedule on %d/%s, now %d/%s", c, last.Membership.Instance, last.Doc.Version(), mem.Instance, dc.m.CIB().Version())
		}
	}
	return ""
}

// waitStable advances until stable(only) holds, failing after limit; it
// returns how long it took.
func (s *sim) waitStable(limit time.Duration, only func([]string) bool) time.Duration {
	s.t.Helper()
	start := s.now
	for s.now.Sub(start) < limit {
		if s.stable(only) == "" {
			return s.now.Sub(start)
		}
		s.advance(s.step, nil)
	}
	s.fail("not stable within %v: %s", limit, s.stable(only))
	return 0
}

func (s *sim) dc(c []string) string {
	for _, n := range c {
		if s.nodes[n].up && s.nodes[n].m.IsDC() {
			return n
		}
	}
	return ""
}
