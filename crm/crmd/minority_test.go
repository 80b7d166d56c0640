package crmd_test

import (
	"testing"
	"testing/synctest"
	"time"
)

// TestPartitionedHolderStops: the node running the group is cut off from
// the other two. Without quorum it stops the group (no-quorum-policy
// stop, the default); the majority starts it on one of its nodes, and
// after the heal one copy runs. The world allows the short overlap an
// unfenced split has (the majority does not wait for the minority).
func TestPartitionedHolderStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		c.w.mu.Lock()
		c.w.allowTwice = true
		c.w.mu.Unlock()
		t0 := time.Now()
		c.hub.Partition([]string{"n2"}, []string{"n1", "n3"})
		c.waitFor("n2 stopped the group, the majority runs it", 15*time.Second, func() bool {
			g := c.groupOn()
			return g == "n1" || g == "n3"
		})
		t.Logf("group moved to %s %s after the partition", c.groupOn(), time.Since(t0))
		time.Sleep(5 * time.Second)
		if g := c.groupOn(); g != "n1" && g != "n3" {
			t.Fatalf("during the partition the group runs on %q (running %v)", g, c.running())
		}

		c.hub.Heal()
		c.waitFor("one DC again", 20*time.Second, func() bool { return c.agreedDC() == "n1" })
		c.idleDC(15 * time.Second)
		time.Sleep(3 * time.Second)
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g == "" {
			t.Fatalf("group not running exactly once after healing (running %v)", c.running())
		}
	})
}
