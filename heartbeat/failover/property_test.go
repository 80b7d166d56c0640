package failover

import (
	"math/rand"
	"testing"
	"time"
)

// TestRandomHistoriesKeepGroupsExclusiveAndServed drives two nodes through
// random crashes, restarts, graceful stops, standby and takeover requests.
// The simulator fails the test the moment a group runs on both nodes; after
// each history settles, every group must run on exactly one live node.
func TestRandomHistoriesKeepGroupsExclusiveAndServed(t *testing.T) {
	runs := 300
	if testing.Short() {
		runs = 40
	}
	for seed := int64(1); seed <= int64(runs); seed++ {
		rng := rand.New(rand.NewSource(seed))
		mode := []Mode{AutoFailbackOn, AutoFailbackOff, Legacy}[rng.Intn(3)]
		s := newSim(t, mode, twoGroups, "n1", "n2")
		s.start("n1")
		s.run(time.Duration(rng.Intn(3000)) * time.Millisecond)
		s.start("n2")
		s.run(15 * time.Second)
		var history []string
		for step := 0; step < 8; step++ {
			node := []string{"n1", "n2"}[rng.Intn(2)]
			n := s.nodes[node]
			other := s.nodes[map[string]string{"n1": "n2", "n2": "n1"}[node]]
			switch op := rng.Intn(5); {
			case op == 0 && n.alive && other.alive:
				s.crash(node)
				history = append(history, "crash "+node)
			case op == 1 && !n.alive:
				s.start(node)
				history = append(history, "start "+node)
			case op == 2 && n.alive && other.alive:
				s.stop(node)
				history = append(history, "stop "+node)
			case op == 3 && n.alive:
				set := []Holding{Local, Foreign, All}[rng.Intn(3)]
				s.apply(n, n.m.Standby(s.now, set))
				history = append(history, "standby "+node+" "+set.String())
			case op == 4 && n.alive:
				set := []Holding{Local, Foreign, All}[rng.Intn(3)]
				s.apply(n, n.m.Takeover(s.now, set))
				history = append(history, "takeover "+node+" "+set.String())
			}
			s.run(time.Duration(rng.Intn(20000)) * time.Millisecond)
		}
		for _, name := range []string{"n1", "n2"} {
			if !s.nodes[name].alive {
				s.start(name)
				history = append(history, "start "+name)
			}
		}
		s.run(40 * time.Second)
		for _, g := range twoGroups {
			count := 0
			for _, name := range []string{"n1", "n2"} {
				if s.nodes[name].running[g.Key] {
					count++
				}
			}
			if count != 1 {
				t.Fatalf("seed %d mode %d: group %s runs on %d nodes after %v\nn1 %v n2 %v", seed, mode, g.Key, count, history, s.holds("n1"), s.holds("n2"))
			}
		}
	}
}
