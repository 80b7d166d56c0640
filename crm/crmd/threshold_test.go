package crmd_test

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"hbgo/crm/crmd"
)

// starts counts the starts of rsc so far.
func (w *world) starts(rsc string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Count(strings.Join(w.history, "\n"), "start "+rsc)
}

// TestMonitorFailuresPastThresholdMove: with migration-threshold=2 the
// first monitor failure restarts the group's site in place (fail count
// 1); the second bans n2 for site and the whole group moves.
func TestMonitorFailuresPastThresholdMove(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClusterWith(t, "web-group-threshold.xml")
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		before := c.w.starts("site")
		c.w.kill("site", "n2")
		c.waitFor("site restarted", 15*time.Second, func() bool { return c.w.where("site") != "" && c.w.starts("site") > before })
		c.idleDC(15 * time.Second)
		time.Sleep(3 * time.Second)
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g != "n2" {
			t.Fatalf("group on %q after one failure (threshold 2), want n2", g)
		}

		c.w.kill("site", "n2")
		c.waitFor("group moved off n2", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		c.idleDC(15 * time.Second)
		_ = c.nodes["n3"].d.WithCRM(func(r *crmd.Runtime) {
			if x := string(r.CIB().Bytes()); !strings.Contains(x, `name="fail-count-site#monitor_1000" value="2"`) {
				t.Errorf("fail count 2 not in n3's CIB:\n%s", x)
			}
		})
	})
}
