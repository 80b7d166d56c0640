package crm

import (
	"os"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// TestPartitionMinorityStops: n2, holding the group, is cut off from n1
// and n3 (heartbeat traffic dropped both ways). The minority (n2 alone)
// loses quorum and stops the group (no-quorum-policy=stop, the default);
// the majority starts it on n1 or n3. After the heal exactly one copy
// runs.
func TestPartitionMinorityStops(t *testing.T) {
	l := newLab(t)
	alive := []string{"n1", "n2", "n3"}
	for _, n := range alive {
		l.start(t, n)
	}
	defer func() {
		if t.Failed() || os.Getenv("HBGO_CRM_DUMP") != "" {
			l.dump(t)
		}
	}()
	netlab.Eventually(t, 30*time.Second, "group on n2", func() bool { return l.groupOn(alive) == "n2" })
	time.Sleep(5 * time.Second) // past the startup period

	l.Partition("n2", true)
	majority := []string{"n1", "n3"}
	stopped := netlab.Eventually(t, 20*time.Second, "minority n2 stops the group", func() bool {
		ip, site := l.holders([]string{"n2"})
		return len(ip)+len(site) == 0
	})
	moved := netlab.Eventually(t, 20*time.Second, "majority runs the group", func() bool { return l.groupOn(majority) != "" })
	holder := l.groupOn(majority)
	t.Logf("partition of n2: n2 stopped the group after %s; it runs on %s after %s",
		stopped.Round(time.Millisecond), holder, (stopped + moved).Round(time.Millisecond))
	time.Sleep(4 * time.Second)
	if ip, site := l.holders([]string{"n2"}); len(ip)+len(site) != 0 {
		t.Fatalf("minority n2 restarted ip %v site %v without quorum", ip, site)
	}
	if g := l.groupOn(majority); g != holder {
		t.Fatalf("majority's group went from %s to %q during the partition", holder, g)
	}

	t0 := time.Now()
	l.Partition("n2", false)
	// One copy of each primitive, held for a while: the rejoined n2 must
	// not start a second one, and the group must not stay split.
	var stableSince time.Time
	netlab.Eventually(t, 30*time.Second, "one copy of the group after the heal, stable 5s", func() bool {
		ip, site := l.holders(alive)
		if len(ip) != 1 || len(site) != 1 || ip[0] != site[0] {
			stableSince = time.Time{}
			return false
		}
		if stableSince.IsZero() {
			stableSince = time.Now()
		}
		return time.Since(stableSince) > 5*time.Second
	})
	t.Logf("heal: one copy of the group on %s, %s after the heal (5s of it checked stable)", l.groupOn(alive), time.Since(t0).Round(time.Millisecond))
}
