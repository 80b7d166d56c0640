package cluster

import (
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestStandbyAndTakeover: our hb_standby and hb_takeover (with --run-dir)
// move groups between the nodes through the running daemons, and
// cl_status rscstatus follows on both sides.
func TestStandbyAndTakeover(t *testing.T) {
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

	run := func(n *netlab.OurNode, tool string, args ...string) {
		t.Helper()
		if out, err := n.Tool(t, tool, args...); err != nil {
			t.Fatalf("%s %v on %s: %v\n%s", tool, args, n.Name, err, out)
		}
	}

	// n1 goes standby: everything to n2.
	run(n1, "hb_standby")
	netlab.Eventually(t, 10*time.Second, "n2 runs both groups after hb_standby on n1", func() bool {
		return l.HolderOf(t, "ga") == "n2" && l.HolderOf(t, "gb") == "n2"
	})
	waitStatus(t, n2, "all", 5*time.Second, "rscstatus")
	waitStatus(t, n1, "none", 5*time.Second, "rscstatus")

	// n1 takes everything.
	run(n1, "hb_takeover", "all")
	netlab.Eventually(t, 10*time.Second, "n1 runs both groups after hb_takeover all", func() bool {
		return l.HolderOf(t, "ga") == "n1" && l.HolderOf(t, "gb") == "n1"
	})
	waitStatus(t, n1, "all", 5*time.Second, "rscstatus")
	waitStatus(t, n2, "none", 5*time.Second, "rscstatus")

	// n1 gives the foreign group back: each at home again.
	run(n1, "hb_standby", "foreign")
	netlab.Eventually(t, 10*time.Second, "gb back on n2 after hb_standby foreign", func() bool {
		return l.HolderOf(t, "ga") == "n1" && l.HolderOf(t, "gb") == "n2"
	})
	waitStatus(t, n1, "local", 5*time.Second, "rscstatus")
	waitStatus(t, n2, "local", 5*time.Second, "rscstatus")
}
