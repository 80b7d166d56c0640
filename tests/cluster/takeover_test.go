package cluster

import (
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestColdStart: both nodes start together, each the home of one group;
// each acquires its own group and never the other's, and cl_status
// rscstatus reports "local" on both.
func TestColdStart(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{Resources: "n1 ga\nn2 gb"}
	ga, gb := netlab.Script{Name: "ga"}, netlab.Script{Name: "gb"}
	n1, n2 := l.ConfigureWith("n1", s, ga, gb), l.ConfigureWith("n2", s, ga, gb)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 20*time.Second, "each node runs its own group", func() bool {
		return l.HolderOf(t, "ga") == "n1" && l.HolderOf(t, "gb") == "n2"
	})
	waitStatus(t, n1, "local", 10*time.Second, "rscstatus")
	waitStatus(t, n2, "local", 10*time.Second, "rscstatus")
	if got := clStatus(t, n1, "nodestatus", "n2"); got != "active" {
		t.Errorf("n1 sees n2 %q, want active", got)
	}
	if s := l.StartsOf("ga", "n2"); len(s) != 0 {
		t.Errorf("n2 started n1's group ga at %v", s)
	}
	if s := l.StartsOf("gb", "n1"); len(s) != 0 {
		t.Errorf("n1 started n2's group gb at %v", s)
	}
	waitLog(t, n1, "Initial resource acquisition complete", 10*time.Second)
	waitLog(t, n2, "Initial resource acquisition complete", 10*time.Second)
}

// TestTakeoverAndFailback: n1 owns hbtest; kill -9 of n1 moves it to n2
// within deadtime + keepalive + the start itself; n1's return brings it
// back (auto_failback on).
func TestTakeoverAndFailback(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	// 3.0.6 answers "local" on a node whose (empty) local set is held.
	waitStatus(t, n2, "local", 10*time.Second, "rscstatus")
	// A starting node advertises a longer deadtime for its first seconds
	// (as 3.0.6 does); the kill must come after that window.
	time.Sleep(5 * time.Second)

	kill := time.Now()
	n1.Crash()
	took := startedAfter(t, l, "hbtest", "n2", kill, 10*time.Second).Sub(kill)
	if h := l.Holder(t); h != "n2" {
		t.Fatalf("holder after takeover: %q", h)
	}
	t.Logf("takeover: %v after kill -9", took)
	// The figure is logged, not asserted: tests/bench/failover.sh measures
	// it next to 3.0.6's (a loaded CI host must not fail a timed test).
	if out := clStatus(t, n2, "nodestatus", "n1"); out != "dead" {
		t.Errorf("n2 sees n1 %q", out)
	}
	waitStatus(t, n2, "all", 5*time.Second, "rscstatus")

	restart := time.Now()
	n1.Start(t)
	back := startedAfter(t, l, "hbtest", "n1", restart, 15*time.Second)
	t.Logf("failback: %v after restart", back.Sub(restart))
	netlab.Eventually(t, 5*time.Second, "n1 holds hbtest alone", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n1, "local", 5*time.Second, "rscstatus")
	waitStatus(t, n2, "local", 5*time.Second, "rscstatus")
}

// TestFailbackOff: with auto_failback off the group stays on the node
// that took it over when its home node comes back.
func TestFailbackOff(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{Failback: "off"}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")

	kill := time.Now()
	n1.Crash()
	startedAfter(t, l, "hbtest", "n2", kill, 10*time.Second)
	n1.Start(t)
	waitStatus(t, n1, "active", 15*time.Second, "nodestatus", "n2")
	waitStatus(t, n2, "active", 15*time.Second, "nodestatus", "n1")
	// Three deadtimes with both up: nothing may move back.
	stable(t, 3*time.Second, "hbtest stays on n2", func() bool { return l.Holder(t) == "n2" })
	if got := clStatus(t, n2, "rscstatus"); got != "all" {
		t.Errorf("n2 rscstatus %q, want all", got)
	}
	if got := clStatus(t, n1, "rscstatus"); got != "none" {
		t.Errorf("n1 rscstatus %q, want none", got)
	}
}

// TestGracefulStop: SIGTERM on the holder releases the group first and
// sends shutdone, so the peer takes over at once, without waiting for
// deadtime, and sees the node dead (left).
func TestGracefulStop(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	// A long deadtime, so that a hand-over that waited for it stands out
	// from one that did not, whatever the host's load.
	s := netlab.Setup{Deadtime: "5", Warntime: "2", Initdead: "10"}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")

	stop := time.Now()
	if err := n1.Proc.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	at := startedAfter(t, l, "hbtest", "n2", stop, 15*time.Second)
	if h := l.Holder(t); h != "n2" { // Holder also fails on any overlap
		t.Fatalf("holder after graceful stop: %q", h)
	}
	t.Logf("graceful hand-over: %v", at.Sub(stop))
	if d := at.Sub(stop); d >= 5*time.Second {
		t.Errorf("graceful hand-over took %v: it waited for deadtime (5s)", d)
	}
	waitLog(t, n2, "Received shutdown notice from 'n1'", 5*time.Second)
	waitStatus(t, n2, "dead", 10*time.Second, "nodestatus", "n1")
	// (3.0.6 still logs "node n1: is dead" a deadtime or so later, when
	// the silence runs out; the lab's real n2 does, and so does ours.)
	if c := n1.LogCount("Heartbeat shutdown complete"); c != 1 {
		t.Errorf("n1 logged shutdown complete %d times", c)
	}
}
