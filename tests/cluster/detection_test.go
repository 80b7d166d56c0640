package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/service"
	"hbgo/tests/netlab"
)

// TestIssue3DeathDetection is the netns test of issue 3's detection
// target: "Death of a peer is detected within deadtime + keepalive ... at
// keepalive 100 ms, deadtime 500 ms, over 20 kills, with no false death
// under 5% packet loss".
//
// As a test it asserts behaviour only: every kill is detected (within
// 5 s) and nothing else is declared dead. The detection times are figures: they are logged, and
// tests/bench/detection.sh runs this test and prints them against the
// target (a loaded CI host must not turn a figure into a failure).
//
// Both nodes drop 5% of the heartbeat packets they receive for the whole
// test. Each round kills n1 with SIGKILL and measures the time until n2's
// ha-log says "node n1: is dead" (polled every 2 ms), then restarts n1
// and waits until n2 sees it active and n1 is past its start-up period,
// during which 3.0.6 (and we) advertise deadtime + 2 s. No other death may
// be logged on either side.
func TestIssue3DeathDetection(t *testing.T) {
	short(t)
	t.Parallel()
	const (
		keepalive = 100 * time.Millisecond
		deadtime  = 500 * time.Millisecond
		kills     = 20
	)
	l := netlab.New(t, 2)
	s := netlab.Setup{Keepalive: "100ms", Deadtime: "500ms", Warntime: "300ms", Initdead: "1",
		Resources: "n2 hbtest"}
	n1, n2 := l.Configure("n1", s), l.Configure("n2", s)
	dumpOnFailure(t, n1, n2)
	l.Loss("n1", 0.05)
	l.Loss("n2", 0.05)
	n2.Start(t)
	// The observer must be at least as timely as the daemons (SCHED_RR
	// with realtime on): on a loaded machine a normal-time test process
	// can be scheduled 100-200 ms late, which would be counted as
	// detection time.
	if err := service.Realtime(0); err != nil {
		t.Logf("observer stays at normal time: %v", err)
	} else {
		t.Cleanup(func() { _ = service.Normaltime() })
	}
	var took []time.Duration
	for round := 0; round < kills; round++ {
		n1.Start(t)
		waitStatus(t, n2, "active", 10*time.Second, "nodestatus", "n1")
		// n1 started before n2 saw it; from StartupPeriod after its start
		// its next heartbeats carry the configured deadtime again (three
		// keepalives allow for lost ones).
		seen := time.Now()
		waitStatus(t, n1, "active", 10*time.Second, "nodestatus", "n2")
		time.Sleep(time.Until(seen.Add(membership.StartupPeriod + 3*keepalive)))
		logPath := filepath.Join(n2.LogDir, "ha-log")
		fi, err := os.Stat(logPath)
		if err != nil {
			t.Fatal(err)
		}
		kill := time.Now()
		n1.Proc.Kill()
		var d time.Duration
		for {
			d = time.Since(kill)
			if appended(logPath, fi.Size(), "node n1: is dead") {
				break
			}
			if d > 5*time.Second {
				t.Fatalf("round %d: n1's death not detected within %v", round, d)
			}
			time.Sleep(2 * time.Millisecond)
		}
		took = append(took, d)
	}
	slices.Sort(took)
	var b strings.Builder
	for _, d := range took {
		fmt.Fprintf(&b, " %d", d.Milliseconds())
	}
	t.Logf("kill -> \"is dead\" over %d kills (ms, sorted):%s", kills, b.String())
	t.Logf("min %v  median %v  p90 %v  max %v", took[0], took[len(took)/2], took[len(took)*9/10], took[len(took)-1])
	verdict := "met"
	if took[len(took)-1] > deadtime+keepalive {
		verdict = "missed"
	}
	t.Logf("target: every detection within deadtime + keepalive = %v: %s", deadtime+keepalive, verdict)
	if c := n2.LogCount("node n1: is dead"); c != kills {
		t.Errorf("n2 declared n1 dead %d times for %d kills (false deaths)", c, kills)
	}
	if c := n1.LogCount("node n2: is dead"); c != 0 {
		t.Errorf("n1 declared n2 dead %d times (false deaths)", c)
	}
	if c := n1.LogCount("lost packet(s)") + n2.LogCount("lost packet(s)"); c == 0 {
		t.Errorf("no lost packets logged under 5%% loss: is the loss rule in place?")
	}
}

// appended reports whether what was written to path after offset
// contains substr (cheap enough to poll every few milliseconds).
func appended(path string, offset int64, substr string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := f.ReadAt(buf, offset)
	return strings.Contains(string(buf[:n]), substr)
}
