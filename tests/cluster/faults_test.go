package cluster

import (
	"strings"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestFailedStart: n1's start of its group fails. 3.0.6 gives the group
// up again (stop, "Giving up resources") and, FailedStartStandbyDelay
// (30 s) later, goes standby for it so the peer takes it.
func TestFailedStart(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{Resources: "n1 fs"}
	n1 := l.ConfigureWith("n1", s, netlab.Script{Name: "fs", FailStart: true})
	n2 := l.ConfigureWith("n2", s, netlab.Script{Name: "fs"})
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	var failed time.Time
	netlab.Eventually(t, 20*time.Second, "n1's start of fs fails", func() bool {
		for _, e := range l.EventsOf("fs") {
			if e.Node == "n1" && e.Event == "start-failed" {
				failed = e.At
				return true
			}
		}
		return false
	})
	waitLog(t, n1, "Giving up resources due to failure of fs", 5*time.Second)
	if r := l.RunningOf("fs"); len(r) != 0 {
		t.Fatalf("fs runs on %v right after the failed start", r)
	}
	at := startedAfter(t, l, "fs", "n2", failed, 45*time.Second)
	d := at.Sub(failed)
	t.Logf("fs started on n2 %v after n1's failed start", d)
	if d < 25*time.Second || d > 40*time.Second {
		t.Errorf("the peer took the failed group after %v, want about 30s", d)
	}
	if h := l.HolderOf(t, "fs"); h != "n2" {
		t.Errorf("fs holder %q, want n2", h)
	}
}

// TestFailedStop: the holder cannot stop its group (stop exits 1 and
// status still says running). After the stop retries 3.0.6 reboots the
// node so the peer can take over; HBGO_NO_REBOOT=1 turns the reboot into
// a log line, which is what is checked.
func TestFailedStop(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{Resources: "n1 fst"}
	n1 := l.ConfigureWith("n1", s, netlab.Script{Name: "fst", FailStop: true})
	n2 := l.ConfigureWith("n2", s, netlab.Script{Name: "fst"})
	dumpOnFailure(t, n1, n2)
	n1.StartEnv(t, "HBGO_NO_REBOOT=1")
	n2.Start(t)
	netlab.Eventually(t, 20*time.Second, "n1 runs fst", func() bool { return l.HolderOf(t, "fst") == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")

	if out, err := n1.Tool(t, "hb_standby"); err != nil {
		t.Fatalf("hb_standby: %v\n%s", err, out)
	}
	// 10 retries one second apart, then the verdict.
	waitLog(t, n1, "CRIT: Resource STOP failure. Reboot required!", 25*time.Second)
	waitLog(t, n1, "reboot suppressed by HBGO_NO_REBOOT", 2*time.Second)
	if c := n1.LogCount("Retrying failed stop operation [fst]"); c != 10 {
		t.Errorf("%d stop retries logged, want 10", c)
	}
	select {
	case <-n1.Proc.Done():
		t.Errorf("n1's daemon exited")
	default:
	}
}

// TestPingNodeLoss: n1 loses its ping node while the heartbeat link
// stays. Without ipfail (v1 haresources) this only changes the ping
// node's status: nothing moves.
func TestPingNodeLoss(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n1, "ping", 10*time.Second, "nodestatus", netlab.PingTarget)

	l.BlockPing("n1", true)
	waitStatus(t, n1, "dead", 5*time.Second, "nodestatus", netlab.PingTarget)
	stable(t, 3*time.Second, "hbtest stays on n1 and both see each other", func() bool {
		return l.Holder(t) == "n1" && clStatus(t, n2, "nodestatus", "n1") == "active" &&
			clStatus(t, n1, "nodestatus", "n2") == "active"
	})
	if got := clStatus(t, n2, "nodestatus", netlab.PingTarget); got != "ping" {
		t.Errorf("n2 sees the ping node %q, want ping", got)
	}
	l.BlockPing("n1", false)
	waitStatus(t, n1, "ping", 5*time.Second, "nodestatus", netlab.PingTarget)
	if h := l.Holder(t); h != "n1" {
		t.Errorf("holder %q after the ping node came back", h)
	}
}

// TestPartitionSplitBrain: the heartbeat link between the nodes breaks
// while both still reach the ping node. Each declares the other dead and
// n2 takes the group n1 still runs: a split brain, which v1 heartbeat
// does not prevent without STONITH (with a stonith device 3.0.6 would
// reset n1 before taking over; our daemon does not fence yet). After the
// link heals both see each other again; the group stays on both (nothing
// in v1 without STONITH resolves it: the operator has to), which the test
// logs rather than asserts, as the real 3.0.6's exact reaction to the
// healing was not measured in the lab.
func TestPartitionSplitBrain(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")
	time.Sleep(5 * time.Second) // past n1's start-up deadtime allowance

	cut := time.Now()
	l.Partition("n2", true)
	waitLog(t, n2, "node n1: is dead", 5*time.Second)
	waitLog(t, n1, "node n2: is dead", 5*time.Second)
	startedAfter(t, l, "hbtest", "n2", cut, 10*time.Second)
	if r := l.RunningOf("hbtest"); !r["n1"] || !r["n2"] {
		t.Fatalf("hbtest runs on %v during the partition, want both (split brain)", r)
	}
	for _, n := range []*netlab.OurNode{n1, n2} {
		if got := clStatus(t, n, "nodestatus", netlab.PingTarget); got != "ping" {
			t.Errorf("%s lost the ping node during the partition: %q", n.Name, got)
		}
	}

	l.Partition("n2", false)
	waitStatus(t, n1, "active", 10*time.Second, "nodestatus", "n2")
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")
	t.Logf("after healing hbtest runs on %v", l.RunningOf("hbtest"))
}

// TestOneOfTwoMediaDown: bcast on eth0 plus ucast on a second link eth1.
// Losing either link is logged as that link's death and nothing else:
// the peer stays active through the other medium and nothing moves.
func TestOneOfTwoMediaDown(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	a, b := l.AddDirectLink("n1", "n2")
	s := netlab.Setup{Media: "bcast eth0\nucast eth1 " + a + "\nucast eth1 " + b}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n1, "up", 10*time.Second, "hblinkstatus", "n2", "eth1")
	waitStatus(t, n1, "up", 10*time.Second, "hblinkstatus", "n2", "eth0")

	bothUp := func() bool {
		return l.Holder(t) == "n1" && clStatus(t, n2, "nodestatus", "n1") == "active" &&
			clStatus(t, n1, "nodestatus", "n2") == "active"
	}
	for _, c := range []struct {
		dev      string
		cut, fix func()
	}{
		{"eth1", func() { l.SetLink("n1", "eth1", false) }, func() { l.SetLink("n1", "eth1", true) }},
		{"eth0", func() { l.LinkDown("n1", true) }, func() { l.LinkDown("n1", false) }},
	} {
		c.cut()
		waitLog(t, n1, "Link n2:"+c.dev+" dead.", 5*time.Second)
		waitLog(t, n2, "Link n1:"+c.dev+" dead.", 5*time.Second)
		stable(t, 2*time.Second, "both nodes up with "+c.dev+" down", bothUp)
		c.fix()
		waitStatus(t, n1, "up", 10*time.Second, "hblinkstatus", "n2", c.dev)
		waitStatus(t, n2, "up", 10*time.Second, "hblinkstatus", "n1", c.dev)
	}
	// (n1 loses its ping node with eth0: that one may die.)
	if n1.LogCount("node n2: is dead") != 0 || n2.LogCount("node n1: is dead") != 0 {
		t.Errorf("a node was declared dead with one medium left:\n%s\n%s", n1.HaLog(), n2.HaLog())
	}
}

// TestPacketLossRetransmission: 10% of heartbeat packets are dropped on
// arrival at both nodes for 10 s. Reliable delivery notices the gaps
// ("lost packet(s)") and asks for retransmission; at keepalive 200 ms
// and deadtime 1 s no node is declared dead, and the group stays.
func TestPacketLossRetransmission(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")

	l.Loss("n1", 0.10)
	l.Loss("n2", 0.10)
	stable(t, 10*time.Second, "hbtest stays on n1", func() bool { return l.Holder(t) == "n1" })
	l.Loss("n1", 0)
	l.Loss("n2", 0)
	lost := n1.LogCount("lost packet(s)") + n2.LogCount("lost packet(s)")
	t.Logf("lost packet(s) lines: n1 %d, n2 %d; retransmit requests seen", n1.LogCount("lost packet(s)"), n2.LogCount("lost packet(s)"))
	if lost == 0 {
		t.Errorf("no lost packet(s) logged under 10%% loss")
	}
	for _, n := range []*netlab.OurNode{n1, n2} {
		if c := n.LogCount(": is dead"); c != 0 {
			t.Errorf("%s: false death under 10%% loss", n.Name)
		}
	}
	// Once the loss ends the gaps are filled: "No pkts missing".
	waitLog(t, n2, "No pkts missing from n1!", 10*time.Second)
}

// TestPartitionWithStonithFencesFirst: the same split as above with a
// STONITH device configured (cluster-glue's null type, which always
// succeeds): each side resets the other before it takes the group over,
// as 3.0.6 does ("node X now reset." comes before the acquisition).
func TestPartitionWithStonithFencesFirst(t *testing.T) {
	short(t)
	t.Parallel()
	l := netlab.New(t, 2)
	s := netlab.Setup{Extra: "stonith_host * null n1 n2\n"}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
	waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")
	time.Sleep(5 * time.Second)

	cut := time.Now()
	l.Partition("n2", true)
	waitLog(t, n2, "node n1 now reset.", 10*time.Second)
	startedAfter(t, l, "hbtest", "n2", cut, 10*time.Second)
	log := n2.HaLog()
	reset := strings.Index(log, "node n1 now reset.")
	take := strings.LastIndex(log, "Acquiring resource group: hbtest")
	if reset < 0 || take < 0 || take < reset {
		t.Fatalf("n2 acquired hbtest before fencing n1 (reset at %d, acquire at %d)", reset, take)
	}
	if strings.Contains(log, "No STONITH device configured") {
		t.Error("n2 took over as if no STONITH device were configured")
	}
	l.Partition("n2", false)
}
