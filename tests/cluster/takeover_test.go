package cluster

import (
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestTakeoverAndFailback: n1 owns hbtest; kill -9 of n1 moves it to n2
// within deadtime + keepalive + the start itself; n1's return brings it
// back (auto_failback on); a graceful stop hands it over at once.
func TestTakeoverAndFailback(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-node test")
	}
	l := netlab.New(t, 2)
	s := netlab.Setup{}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	n1.Start(t)
	n2.Start(t)
	netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })

	kill := time.Now()
	n1.Crash()
	netlab.Eventually(t, 10*time.Second, "n2 takes hbtest over", func() bool { return l.Holder(t) == "n2" })
	took := l.LastStart("n2").Sub(kill)
	t.Logf("takeover: %v after kill -9", took)
	if took > 1200*time.Millisecond+300*time.Millisecond {
		t.Errorf("takeover took %v; deadtime is 1s, keepalive 200ms", took)
	}
	if out, _ := n2.ClStatus(t, "nodestatus", "n1"); out != "dead" {
		t.Errorf("n2 sees n1 %q", out)
	}

	n1.Start(t)
	netlab.Eventually(t, 15*time.Second, "hbtest fails back to n1", func() bool { return l.Holder(t) == "n1" })

	stop := time.Now()
	if err := n1.Proc.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	netlab.Eventually(t, 5*time.Second, "n2 takes hbtest after n1's graceful stop", func() bool { return l.Holder(t) == "n2" })
	if d := l.LastStart("n2").Sub(stop); d > time.Second {
		t.Errorf("graceful hand-over took %v (must not wait for deadtime)", d)
	}
}
