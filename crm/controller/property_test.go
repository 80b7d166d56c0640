package controller

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestPropertyRandomFaults drives clusters of 2 to 5 nodes through random
// kills, restarts, partitions and heals, with CIB writes from random nodes
// in between. After each disturbance it checks:
//   - every partition with quorum has exactly one DC, the expected one,
//     with every member agreeing on the membership and holding the same
//     CIB, within deadtime + keepalive + JoinTimeout + RetryInterval;
//   - every partition (quorum or not) does within that bound plus the
//     start-up wait (a node restarted alone waits for its peers);
//   - once stable, nothing changes until the next disturbance (checked at
//     every step: no second DC, no new instance);
//   - every write reported done was written by a DC at that version (the
//     sim checks each CommitDone), and every write started in a stable
//     quorate partition completes.
func TestPropertyRandomFaults(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	for _, real := range []bool{false, true} {
		var worst time.Duration
		for seed := range seeds {
			t.Run(fmt.Sprintf("realHB=%v/%d", real, seed), func(t *testing.T) {
				w := runRandom(t, uint64(seed), real)
				worst = max(worst, w)
			})
		}
		t.Logf("realHB=%v: worst time to a stable quorate DC after a disturbance: %v", real, worst)
	}
}

// runRandom runs one random scenario; realHB puts heartbeat/membership
// under the controllers instead of the sim's coarse heartbeat model.
func runRandom(t *testing.T, seed uint64, realHB bool) time.Duration {
	r := rand.New(rand.NewPCG(seed, 7))
	n := 2 + r.IntN(4)
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("node%d", i+1))
	}
	s := newSim(t, names...)
	s.realHB = realHB
	startAll(s)
	cfg := TestConfig("x", names)
	// Heartbeat/membership declares a node dead after deadtime plus up to
	// one keepalive of detection; the controller then needs a few message
	// delays, or JoinTimeout + RetryInterval when a node fails to answer.
	bound := s.deadtime + 2*s.keepalive + cfg.JoinTimeout + cfg.RetryInterval
	bound2 := bound + cfg.StartupWait
	// Partitions with quorum, except those whose first node is still in
	// its start-up wait (a start, not the loss of a DC).
	quorate := func(c []string) bool {
		return Quorum(names, c, 0, 0) && s.now.Sub(s.nodes[Best(nil, c)].startedAt) >= cfg.StartupWait
	}
	s.waitStable(bound2, nil)
	var worst time.Duration
	req := 0
	type inflight struct {
		id, node string
		gen      int
	}
	var unsettled []inflight
	for ep := range 25 {
		// One or two disturbances close together, with writes in flight.
		for range 1 + r.IntN(2) {
			if up := s.upNodes(); len(up) > 0 {
				req++
				n := up[r.IntN(len(up))]
				id := fmt.Sprintf("u%d", req)
				s.request(n, id, fmt.Sprintf("u%d-%d", ep, req))
				unsettled = append(unsettled, inflight{id, n, s.nodes[n].gen})
			}
			disturb(s, r)
			s.advance(time.Duration(r.IntN(40))*10*time.Millisecond, nil)
		}
		took := s.waitStable(bound, quorate)
		worst = max(worst, took)
		s.waitStable(bound2, nil)
		// Stable: nothing may change while nothing happens, and writes
		// from any node of a quorate partition complete.
		snap := s.snapshot()
		var reqs []string
		for _, c := range s.components() {
			if !quorate(c) {
				continue
			}
			req++
			id := fmt.Sprintf("r%d", req)
			s.request(c[r.IntN(len(c))], id, fmt.Sprintf("p%d-%d", ep, req))
			reqs = append(reqs, id)
		}
		s.advance(300*time.Millisecond, func() {
			if now := s.snapshot(); now != snap {
				s.fail("membership changed while stable:\n%s\n%s", snap, now)
			}
		})
		for _, id := range reqs {
			found := false
			for _, nd := range s.nodes {
				if c, ok := nd.done[id]; ok {
					found = true
					if c.Err != nil {
						s.fail("%s: %v", id, c.Err)
					}
				}
			}
			if !found {
				s.fail("%s not completed in a stable partition", id)
			}
		}
		if msg := s.stable(nil); msg != "" {
			s.fail("not stable after writes: %s", msg)
		}
	}
	// Every write started during the faults ended (done or timed out)
	// unless its requester died; the "done" ones were checked against the
	// DCs' writes as they were reported.
	s.advance(cfg.RequestTimeout+time.Second, nil)
	for _, u := range unsettled {
		n := s.nodes[u.node]
		if _, ok := n.done[u.id]; !ok && n.up && n.gen == u.gen {
			s.fail("%s from %s never ended", u.id, u.node)
		}
	}
	return worst
}

func (s *sim) upNodes() []string {
	var out []string
	for _, n := range s.names {
		if s.nodes[n].up {
			out = append(out, n)
		}
	}
	return out
}

// snapshot is the membership view of every live node.
func (s *sim) snapshot() string {
	out := ""
	for _, n := range s.names {
		if nd := s.nodes[n]; nd.up {
			out += fmt.Sprintf("%s:%+v dc=%v; ", n, nd.m.Membership(), nd.m.IsDC())
		}
	}
	return out
}

func disturb(s *sim, r *rand.Rand) {
	var up, down []string
	for _, n := range s.names {
		if s.nodes[n].up {
			up = append(up, n)
		} else {
			down = append(down, n)
		}
	}
	switch k := r.IntN(5); {
	case k == 0 && len(up) > 1:
		s.kill(up[r.IntN(len(up))])
	case k == 1 && len(down) > 0:
		s.start(down[r.IntN(len(down))])
	case k == 2 && len(up) > 0:
		// Fast restart: peers see a new generation, not a death.
		n := up[r.IntN(len(up))]
		s.kill(n)
		s.start(n)
	case k == 3:
		groups := make([][]string, 3)
		for _, n := range s.names {
			g := r.IntN(3)
			groups[g] = append(groups[g], n)
		}
		s.partition(groups...)
	default:
		s.heal()
		for _, n := range down {
			s.start(n)
		}
	}
}
