package interop

import (
	"testing"
	"time"

	"hbgo/internal/testenv"
	"hbgo/tests/netlab"
)

// TestMixedStandby moves the group by hand across the two daemons:
// hb_takeover and hb_standby on the hbgo node, then the 3.0.6 tools on the
// 3.0.6 node (the ask_resources hand-over both ways).
func TestMixedStandby(t *testing.T) {
	skipShort(t)
	l := netlab.New(t, 2)
	s := netlab.Setup{Resources: "n1 hbtest", Failback: "on", Keepalive: "500ms", Deadtime: "3", Warntime: "2", Initdead: "6"}
	r := l.ConfigureReal(t, "n1", s)
	o := l.Configure("n2", s)
	n1, n2 := &real{r}, &ours{o}
	for _, m := range []member{n1, n2} {
		t.Cleanup(func() {
			m.down()
			checkLog(t, m)
			if t.Failed() {
				t.Logf("%s (%s) log:\n%s", m.name(), m.kind(), m.log())
			}
		})
	}
	t0 := time.Now()
	n1.start(t)
	n2.start(t)
	// moved waits for the group on want and for both nodes to report the
	// move finished: a standby request while the other side is still in
	// transition is ignored ("Other side is in flux"), by 3.0.6 as by us.
	moved := func(since time.Time, want member, what, wantRsc, otherRsc string) {
		t.Helper()
		netlab.Eventually(t, 30*time.Second, what, func() bool {
			return l.Holder(t) == want.name() && l.LastStart(want.name()).After(since)
		})
		t.Logf("%s: %v", what, l.LastStart(want.name()).Sub(since))
		other := member(n1)
		if want == member(n1) {
			other = n2
		}
		waitRsc(t, 10*time.Second, want, wantRsc)
		waitRsc(t, 10*time.Second, other, otherRsc)
	}
	moved(t0, n1, "cold start on 3.0.6", "local", "local")

	ourTool := func(name string, args ...string) {
		t.Helper()
		out, err := l.Exec("n2", append([]string{testenv.Bin(t, name), "--run-dir", o.RunDir}, args...)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
	}
	realTool := func(name string) {
		t.Helper()
		if out, err := r.Exec("/usr/share/heartbeat/" + name); err != nil {
			t.Fatalf("3.0.6 %s: %v\n%s", name, err, out)
		}
	}

	t0 = time.Now()
	ourTool("hb_takeover")
	moved(t0, n2, "hb_takeover on hbgo", "all", "none")
	t0 = time.Now()
	ourTool("hb_standby")
	moved(t0, n1, "hb_standby on hbgo", "all", "none")
	t0 = time.Now()
	realTool("hb_standby")
	moved(t0, n2, "hb_standby on 3.0.6", "all", "none")
	t0 = time.Now()
	realTool("hb_takeover")
	moved(t0, n1, "hb_takeover on 3.0.6", "all", "none")
}
