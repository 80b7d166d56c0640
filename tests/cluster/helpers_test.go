package cluster

import (
	"strings"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// short skips multi-node tests under -short.
func short(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("multi-node test")
	}
}

// startedAfter waits until the script (or "hbtest" through the lab's main
// event log) has a start-done on node after since, and returns its time.
func startedAfter(t *testing.T, l *netlab.Lab, script, node string, since time.Time, limit time.Duration) time.Time {
	t.Helper()
	var at time.Time
	netlab.Eventually(t, limit, script+" started on "+node, func() bool {
		if script == "hbtest" {
			at = l.LastStart(node)
			return at.After(since)
		}
		for _, s := range l.StartsOf(script, node) {
			if s.After(since) {
				at = s
				return true
			}
		}
		return false
	})
	return at
}

// clStatus is one cl_status answer of node (its exit code says whether
// the answer is "good", e.g. 1 for a dead node, so it is not checked).
func clStatus(t *testing.T, n *netlab.OurNode, args ...string) string {
	t.Helper()
	out, _ := n.ClStatus(t, args...)
	return out
}

// waitStatus waits until cl_status on n answers want.
func waitStatus(t *testing.T, n *netlab.OurNode, want string, limit time.Duration, args ...string) {
	t.Helper()
	last := ""
	defer func() {
		if t.Failed() {
			t.Logf("%s: cl_status %s last answered %q", n.Name, strings.Join(args, " "), last)
		}
	}()
	netlab.Eventually(t, limit, n.Name+": cl_status "+strings.Join(args, " ")+" = "+want, func() bool {
		last = clStatus(t, n, args...)
		return last == want
	})
}

// waitLog waits until n's ha-log has a line containing substr.
func waitLog(t *testing.T, n *netlab.OurNode, substr string, limit time.Duration) {
	t.Helper()
	netlab.Eventually(t, limit, n.Name+" logs "+substr, func() bool { return n.LogCount(substr) > 0 })
}

// stable checks cond at every poll for the whole window: for "nothing
// happens" assertions, bounded by a multiple of deadtime.
func stable(t *testing.T, window time.Duration, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(window)
	for time.Now().Before(end) {
		if !cond() {
			t.Fatalf("%s: no longer true after %v", what, window-time.Until(end))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dumpOnFailure logs the nodes' ha-logs when the test fails.
func dumpOnFailure(t *testing.T, nodes ...*netlab.OurNode) {
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range nodes {
				t.Logf("ha-log of %s:\n%s", n.Name, n.HaLog())
			}
		}
	})
}
