package cluster

import (
	"os"
	"strings"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestIdleNoFalseTakeover runs two idle nodes for HBGO_SOAK (a Go
// duration, e.g. 10m) at keepalive 200ms / deadtime 1s and at keepalive
// 50ms / deadtime 200ms, and fails on any node death, late heartbeat
// turned death, or move of the group. It is a soak run: set HBGO_SOAK to
// enable it (make test does not).
func TestIdleNoFalseTakeover(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("HBGO_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("soak run: set HBGO_SOAK=10m to run it")
	}
	for _, tc := range []struct{ name, ka, dt, wt, id string }{
		{"ka200ms-dt1s", "200ms", "1", "500ms", "2"},
		{"ka50ms-dt200ms", "50ms", "200ms", "100ms", "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := netlab.New(t, 2)
			s := netlab.Setup{Keepalive: tc.ka, Deadtime: tc.dt, Warntime: tc.wt, Initdead: tc.id}
			n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
			n1.Start(t)
			n2.Start(t)
			netlab.Eventually(t, 30*time.Second, "n1 runs hbtest", func() bool { return l.Holder(t) == "n1" })
			start := time.Now()
			for time.Since(start) < d {
				time.Sleep(time.Second)
				if h := l.Holder(t); h != "n1" {
					t.Fatalf("after %v hbtest runs on %q", time.Since(start).Round(time.Second), h)
				}
			}
			late := 0
			for _, n := range []*netlab.OurNode{n1, n2} {
				b, _ := os.ReadFile(n.LogDir + "/ha-log")
				log := string(b)
				if strings.Contains(log, "is dead") {
					t.Errorf("%s declared a node dead during the idle run", n.Name)
				}
				late += strings.Count(log, "Late heartbeat")
			}
			t.Logf("%s: %v idle, no death; %d late-heartbeat warnings", tc.name, d, late)
		})
	}
}
