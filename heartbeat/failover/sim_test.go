package failover

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// sim is a two-or-more node cluster of Machines with a perfect network, a
// fake resource layer and a coarse membership model, all on one fake clock.
type sim struct {
	t        *testing.T
	now      time.Time
	cfg      func(node string) Config
	nodes    map[string]*simNode
	order    []string
	pending  []event
	deadtime time.Duration
	initdead time.Duration
	jobTime  time.Duration
	latency  time.Duration
	trace    []string
}

type simNode struct {
	name    string
	m       *Machine
	alive   bool
	running map[string]bool
	job     *Job
	jobEnd  time.Time
	failKey map[string]bool // starts of these groups fail
	logs    []string
	exited  bool
	gen     int
	commUp  bool
}

type event struct {
	at   time.Time
	seq  int
	node string
	gen  int // event for this incarnation only
	fn   func(n *simNode) []Action
}

var simSeq int

func newSim(t *testing.T, mode Mode, groups []Group, nodes ...string) *sim {
	s := &sim{t: t, now: time.Unix(1_700_000_000, 0), nodes: map[string]*simNode{}, order: nodes,
		deadtime: time.Second, initdead: 2 * time.Second, jobTime: 50 * time.Millisecond, latency: time.Millisecond}
	s.cfg = func(node string) Config {
		return Config{Node: node, Nodes: nodes, Mode: mode, Groups: groups}
	}
	for _, n := range nodes {
		s.nodes[n] = &simNode{name: n, running: map[string]bool{}, failKey: map[string]bool{}}
	}
	return s
}

func (s *sim) at(d time.Duration, node string, fn func(n *simNode) []Action) {
	simSeq++
	s.pending = append(s.pending, event{at: s.now.Add(d), seq: simSeq, node: node, gen: s.nodes[node].gen, fn: fn})
}

func (s *sim) peersOf(node string) []string {
	var out []string
	for _, n := range s.order {
		if n != node {
			out = append(out, n)
		}
	}
	return out
}

// start boots a node's daemon; it meets the live peers at once and declares
// the silent ones dead after initdead.
func (s *sim) start(node string) {
	n := s.nodes[node]
	n.gen++
	n.alive, n.exited, n.job, n.commUp = true, false, nil, false
	n.m = New(s.cfg(node))
	var silent []string
	for _, p := range s.peersOf(node) {
		pn := s.nodes[p]
		if pn.alive {
			s.apply(n, n.m.PeerHeard(s.now, p, true))
			s.apply(n, n.m.NodeStatus(s.now, p, "active"))
			s.apply(pn, pn.m.PeerHeard(s.now, node, true))
			s.apply(pn, pn.m.NodeStatus(s.now, node, "active"))
			s.maybeCommUp(pn)
		} else {
			silent = append(silent, p)
		}
	}
	if len(silent) == 0 {
		s.maybeCommUp(n)
		return
	}
	s.at(s.initdead, node, func(n *simNode) []Action {
		var out []Action
		for _, p := range silent {
			if !s.nodes[p].alive {
				out = append(out, n.m.NodeDead(s.now, p)...)
			}
		}
		if !n.commUp {
			n.commUp = true
			out = append(out, n.m.CommUp(s.now)...)
		}
		return out
	})
}

// maybeCommUp brings a node's communication up once every peer is alive
// (heard) — membership's rule before initdead expires.
func (s *sim) maybeCommUp(n *simNode) {
	if n.commUp {
		return
	}
	for _, p := range s.peersOf(n.name) {
		if !s.nodes[p].alive {
			return
		}
	}
	n.commUp = true
	s.apply(n, n.m.CommUp(s.now))
}

// crash kills a node: its daemon and its resources vanish; peers notice
// after deadtime.
func (s *sim) crash(node string) {
	n := s.nodes[node]
	n.alive, n.job = false, nil
	n.running = map[string]bool{}
	s.notifyDeath(node)
}

func (s *sim) notifyDeath(node string) {
	for _, p := range s.peersOf(node) {
		p := p
		s.at(s.deadtime, p, func(pn *simNode) []Action {
			if s.nodes[node].alive {
				return nil
			}
			return pn.m.NodeDead(s.now, node)
		})
	}
}

func (s *sim) stop(node string) {
	n := s.nodes[node]
	s.apply(n, n.m.Shutdown(s.now))
}

func (s *sim) apply(n *simNode, acts []Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case Send:
			s.trace = append(s.trace, n.name+": "+a.Msg.String())
			msg := Message{Type: a.Msg.Type, From: n.name, Fields: map[string]string{}}
			for _, f := range a.Msg.Fields {
				msg.Fields[f.Name] = f.Value
			}
			for _, p := range s.peersOf(n.name) {
				s.at(s.latency, p, func(pn *simNode) []Action { return pn.m.Receive(s.now, msg) })
			}
		case RunJob:
			if n.job != nil {
				s.t.Fatalf("%s: job %d started while job %d runs", n.name, a.Job.ID, n.job.ID)
			}
			j := a.Job
			n.job = &j
			if j.Kind == TakeGroups {
				for _, k := range j.Keys {
					if !n.failKey[k] {
						n.running[k] = true // a starting resource counts as active
					}
				}
			}
			s.trace = append(s.trace, fmt.Sprintf("%s: job %s %s %v", n.name, j.Name, j.Kind, j.Keys))
			s.at(s.jobTime, n.name, func(n *simNode) []Action { return n.m.JobDone(s.now, s.finishJob(n)) })
		case Fence:
			target := a.Node
			s.trace = append(s.trace, n.name+": fence "+target)
			s.at(time.Second, n.name, func(n *simNode) []Action {
				if s.nodes[target].alive {
					s.crash(target)
				}
				return n.m.FenceDone(s.now, target, StonithOK)
			})
		case Log:
			n.logs = append(n.logs, a.String())
		case Exit:
			s.trace = append(s.trace, n.name+": exit")
			n.exited, n.alive = true, false
			s.notifyDeath(n.name)
		}
	}
	s.checkExclusive()
}

func (s *sim) finishJob(n *simNode) JobResult {
	j := n.job
	n.job = nil
	r := JobResult{ID: j.ID}
	for _, k := range j.Keys {
		switch j.Kind {
		case CheckGroups:
			if !n.running[k] {
				r.NotRunning = append(r.NotRunning, k)
			}
		case TakeGroups:
			if n.failKey[k] {
				r.Failed = append(r.Failed, k)
			}
		case GiveGroups:
			delete(n.running, k)
		case ReleaseIfOwned:
			if n.running[k] {
				delete(n.running, k)
				r.Owned = true
			}
		}
	}
	return r
}

// checkExclusive is the safety property: no group ever runs on two nodes.
func (s *sim) checkExclusive() {
	where := map[string]string{}
	for _, name := range s.order {
		for k := range s.nodes[name].running {
			if other, ok := where[k]; ok {
				s.t.Fatalf("at +%v group %s runs on both %s and %s\ntrace:\n%s", s.elapsed(), k, other, name, strings.Join(s.trace, "\n"))
			}
			where[k] = name
		}
	}
}

var simEpoch = time.Unix(1_700_000_000, 0)

func (s *sim) elapsed() time.Duration { return s.now.Sub(simEpoch) }

// run advances the clock in 10 ms steps for d, delivering events in order
// and ticking every live machine.
func (s *sim) run(d time.Duration) {
	end := s.now.Add(d)
	for !s.now.After(end) {
		for {
			sort.SliceStable(s.pending, func(i, j int) bool {
				if !s.pending[i].at.Equal(s.pending[j].at) {
					return s.pending[i].at.Before(s.pending[j].at)
				}
				return s.pending[i].seq < s.pending[j].seq
			})
			if len(s.pending) == 0 || s.pending[0].at.After(s.now) {
				break
			}
			e := s.pending[0]
			s.pending = s.pending[1:]
			n := s.nodes[e.node]
			if !n.alive || n.gen != e.gen {
				continue
			}
			s.apply(n, e.fn(n))
		}
		for _, name := range s.order {
			if n := s.nodes[name]; n.alive {
				s.apply(n, n.m.Tick(s.now))
			}
		}
		s.now = s.now.Add(10 * time.Millisecond)
	}
}

func (s *sim) holds(node string) []string {
	var keys []string
	for k := range s.nodes[node].running {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (s *sim) expectHolds(node string, keys ...string) {
	s.t.Helper()
	got := strings.Join(s.holds(node), ",")
	if want := strings.Join(keys, ","); got != want {
		s.t.Fatalf("at +%v %s runs [%s], want [%s]\ntrace:\n%s\nlogs %s:\n%s", s.elapsed(), node, got, want,
			strings.Join(s.trace, "\n"), node, strings.Join(s.nodes[node].logs, "\n"))
	}
}

func (s *sim) expectStatus(node, want string) {
	s.t.Helper()
	if got := s.nodes[node].m.Status(); got != want {
		s.t.Fatalf("at +%v %s rscstatus = %s, want %s\nlogs:\n%s", s.elapsed(), node, got, want, strings.Join(s.nodes[node].logs, "\n"))
	}
}

func (s *sim) logged(node, text string) bool {
	for _, l := range s.nodes[node].logs {
		if strings.Contains(l, text) {
			return true
		}
	}
	return false
}
