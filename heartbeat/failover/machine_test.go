package failover

import (
	"strings"
	"testing"
	"time"
)

var twoGroups = []Group{{Key: "g1", Home: "n1"}, {Key: "g2", Home: "n2"}}

func steady(t *testing.T, mode Mode) *sim {
	s := newSim(t, mode, twoGroups, "n1", "n2")
	s.start("n1")
	s.start("n2")
	s.run(15 * time.Second)
	s.expectHolds("n1", "g1")
	s.expectHolds("n2", "g2")
	return s
}

func TestColdStartEachNodeTakesItsOwnGroups(t *testing.T) {
	for _, mode := range []Mode{AutoFailbackOn, AutoFailbackOff, Legacy} {
		s := steady(t, mode)
		if mode.nice() {
			s.expectStatus("n1", "local")
			s.expectStatus("n2", "local")
			if !s.logged("n1", "Initial resource acquisition complete") {
				t.Errorf("mode %d: no initial acquisition line", mode)
			}
		}
	}
}

// TestColdStartMessagesFollowTheCapturedOrder compares the resource
// messages of the home node with the sequence captured from 3.0.6 (wire
// sheet §8): starting, resource none/0, then after the 10 s wait resource
// local/1, ip-request-resp, resource local/1 info=req_our_resources().
func TestColdStartMessagesFollowTheCapturedOrder(t *testing.T) {
	s := newSim(t, AutoFailbackOn, []Group{{Key: "hbtest", Home: "n1"}}, "n1", "n2")
	s.start("n1")
	s.start("n2")
	s.run(15 * time.Second)
	var n1 []string
	for _, l := range s.trace {
		if strings.HasPrefix(l, "n1: t=") {
			n1 = append(n1, strings.TrimPrefix(l, "n1: "))
		}
	}
	want := []string{
		"t=starting",
		"t=resource rsc_hold=none rtype=full isstable=0",
	}
	for i, w := range want {
		if i >= len(n1) || n1[i] != w {
			t.Fatalf("n1 message %d = %q, want %q\nall: %q", i, at(n1, i), w, n1)
		}
	}
	joined := strings.Join(n1, "\n")
	for _, w := range []string{
		"t=ip-request-resp dest=n1 ipaddr=hbtest weown=yes ok=OK",
		"t=resource rsc_hold=local rtype=full isstable=1 info=req_our_resources()",
	} {
		if !strings.Contains(joined, w) {
			t.Fatalf("n1 never sent %q\nall:\n%s", w, joined)
		}
	}
	if strings.Index(joined, "t=ip-request-resp") > strings.Index(joined, "info=req_our_resources()") {
		t.Fatalf("ip-request-resp must precede the req_our_resources report:\n%s", joined)
	}
	s.expectHolds("n1", "hbtest")
	s.expectHolds("n2")
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

func TestCrashOfAPeerMovesItsGroupsAfterDeadtime(t *testing.T) {
	for _, mode := range []Mode{AutoFailbackOn, AutoFailbackOff, Legacy} {
		s := steady(t, mode)
		s.crash("n1")
		s.run(s.deadtime - 20*time.Millisecond)
		s.expectHolds("n2", "g2") // not before deadtime
		s.run(200 * time.Millisecond)
		s.expectHolds("n2", "g1", "g2")
		if !s.logged("n2", "No STONITH device configured.") {
			t.Errorf("mode %d: missing STONITH warning", mode)
		}
		if mode.nice() {
			s.run(time.Second)
			s.expectStatus("n2", "all")
		}
	}
}

func TestAutoFailbackOnReturnsGroupsHome(t *testing.T) {
	s := steady(t, AutoFailbackOn)
	s.crash("n1")
	s.run(2 * time.Second)
	s.expectHolds("n2", "g1", "g2")
	s.start("n1")
	s.run(3 * time.Second)
	s.expectHolds("n1", "g1")
	s.expectHolds("n2", "g2")
	s.expectStatus("n1", "local")
	s.expectStatus("n2", "local")
}

func TestAutoFailbackOffKeepsGroupsWhereTheyAre(t *testing.T) {
	s := steady(t, AutoFailbackOff)
	s.crash("n1")
	s.run(2 * time.Second)
	s.start("n1")
	s.run(15 * time.Second)
	s.expectHolds("n1")
	s.expectHolds("n2", "g1", "g2")
	s.expectStatus("n1", "none")
	s.expectStatus("n2", "all")
}

func TestLegacyNodeTakesItsGroupsBackAtStart(t *testing.T) {
	s := steady(t, Legacy)
	s.crash("n1")
	s.run(2 * time.Second)
	s.expectHolds("n2", "g1", "g2")
	s.start("n1")
	s.run(3 * time.Second)
	s.expectHolds("n1", "g1")
	s.expectHolds("n2", "g2")
}

func TestGracefulStopHandsGroupsOverWithoutWaitingForDeadtime(t *testing.T) {
	for _, mode := range []Mode{AutoFailbackOn, AutoFailbackOff, Legacy} {
		s := steady(t, mode)
		s.stop("n1")
		s.run(500 * time.Millisecond) // well under deadtime
		s.expectHolds("n1")
		s.expectHolds("n2", "g1", "g2")
		if !s.nodes["n1"].exited {
			s.run(2 * time.Second)
		}
		if !s.nodes["n1"].exited {
			t.Fatalf("mode %d: n1 did not exit after shutdone", mode)
		}
		if mode.nice() {
			s.run(2 * time.Second)
			s.expectStatus("n2", "all")
			if !s.logged("n2", "Dead node n1 gave up resources.") {
				t.Errorf("mode %d: the later death of a cleanly stopped node must not need STONITH", mode)
			}
		}
	}
}

func TestStandbyAndTakeover(t *testing.T) {
	s := steady(t, AutoFailbackOff)
	s.apply(s.nodes["n1"], s.nodes["n1"].m.Standby(s.now, All))
	s.run(2 * time.Second)
	s.expectHolds("n1")
	s.expectHolds("n2", "g1", "g2")
	s.expectStatus("n1", "none")
	s.expectStatus("n2", "all")

	s.apply(s.nodes["n1"], s.nodes["n1"].m.Takeover(s.now, Local))
	s.run(2 * time.Second)
	s.expectHolds("n1", "g1")
	s.expectHolds("n2", "g2")
}

func TestStandbyIsRefusedInLegacyMode(t *testing.T) {
	s := steady(t, Legacy)
	s.apply(s.nodes["n1"], s.nodes["n1"].m.Standby(s.now, All))
	s.run(2 * time.Second)
	s.expectHolds("n1", "g1")
	if !s.logged("n2", "Standby mode only implemented when nice_failback on") {
		t.Fatal("legacy peer did not refuse standby")
	}
}

func TestFailedStartPushesTheGroupToThePeer(t *testing.T) {
	s := newSim(t, AutoFailbackOff, twoGroups, "n1", "n2")
	s.nodes["n1"].failKey["g1"] = true
	s.start("n1")
	s.start("n2")
	s.run(12 * time.Second)
	s.expectHolds("n1")
	if !s.logged("n1", "Giving up resources due to failure of g1") {
		t.Fatal("no CRIT line for the failed start")
	}
	s.run(FailedStartStandbyDelay + 2*time.Second)
	s.expectHolds("n2", "g1", "g2")
}

func TestStonithBeforeTakeover(t *testing.T) {
	s := newSim(t, AutoFailbackOn, twoGroups, "n1", "n2")
	base := s.cfg
	s.cfg = func(node string) Config { c := base(node); c.Stonith = true; return c }
	s.start("n1")
	s.start("n2")
	s.run(15 * time.Second)
	s.crash("n1")
	s.run(s.deadtime + 500*time.Millisecond)
	s.expectHolds("n2", "g2") // still fencing
	s.run(time.Second)
	s.expectHolds("n2", "g1", "g2")
	found := false
	for _, l := range s.trace {
		if l == "n2: t=stonith node=n1 result=OK" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no stonith OK report:\n%s", strings.Join(s.trace, "\n"))
	}
}

func TestLoneNodeTakesEverythingAfterInitdead(t *testing.T) {
	for _, mode := range []Mode{AutoFailbackOn, AutoFailbackOff, Legacy} {
		s := newSim(t, mode, twoGroups, "n1", "n2")
		s.start("n1")
		s.run(s.initdead - 20*time.Millisecond)
		s.expectHolds("n1")
		s.run(time.Second)
		s.expectHolds("n1", "g1", "g2")
	}
}

func TestHoldingNamesRoundTrip(t *testing.T) {
	for _, h := range []Holding{None, Local, Foreign, All} {
		got, ok := ParseHolding(h.String())
		if !ok || got != h {
			t.Fatalf("%v -> %q -> %v", h, h.String(), got)
		}
	}
	if _, ok := ParseHolding("bogus"); ok {
		t.Fatal("bogus accepted")
	}
	if updHolding(false, Local, Foreign) != All || updHolding(true, Local, Foreign) != Foreign || updHolding(false, All, None) != None {
		t.Fatal("partial/full update rules")
	}
}
