package crm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
	"hbgo/tests/netlab"
)

// dummyCIB is one Dummy with a 1 s monitor that moves after two
// failures (migration-threshold=2), preferring n2.
const dummyCIB = `<cib admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id="dummy-meta">
          <nvpair id="dummy-mt" name="migration-threshold" value="2"/>
        </meta_attributes>
        <operations>
          <op id="dummy-mon" name="monitor" interval="1s" timeout="10s"/>
        </operations>
      </primitive>
    </resources>
    <constraints>
      <rsc_location id="dummy-prefers-n2" rsc="dummy" node="n2" score="100"/>
    </constraints>
  </configuration>
  <status/>
</cib>
`

// dummyState is the state file of Dummy resource rsc on node.
func (l *lab) dummyState(node, rsc string) string {
	return filepath.Join(l.rsctmp(node), "Dummy-"+rsc+".state")
}

// dummyOn lists the nodes among alive where Dummy rsc runs.
func (l *lab) dummyOn(alive []string, rsc string) []string {
	var on []string
	for _, n := range alive {
		if _, err := os.Stat(l.dummyState(n, rsc)); err == nil {
			on = append(on, n)
		}
	}
	return on
}

// crmMon returns crm_mon -1 -f as seen from node, once it contains all
// of want (waiting up to limit).
func (l *lab) crmMon(t *testing.T, node string, limit time.Duration, want ...string) string {
	t.Helper()
	var out string
	netlab.Eventually(t, limit, "crm_mon -1 -f on "+node+" shows "+strings.Join(want, ", "), func() bool {
		out, _ = l.nodes[node].Tool(t, "crm_mon", "-1", "-f")
		for _, w := range want {
			if !strings.Contains(out, w) {
				return false
			}
		}
		return true
	})
	return out
}

// TestMonitorFailureRestartsThenMoves: the Dummy's monitor fails (its
// state file is removed, as if the service died): the first failure
// restarts it in place with fail count 1, the second (migration-threshold
// 2) moves it to another node. crm_mon shows the failed action and the
// fail count.
func TestMonitorFailureRestartsThenMoves(t *testing.T) {
	l := newLabCIB(t, dummyCIB)
	testenv.Bin(t, "crm_mon")
	alive := []string{"n1", "n2", "n3"}
	for _, n := range alive {
		l.start(t, n)
	}
	defer func() {
		if t.Failed() || os.Getenv("HBGO_CRM_DUMP") != "" {
			l.dump(t)
		}
	}()
	one := func(want string) func() bool {
		return func() bool { on := l.dummyOn(alive, "dummy"); return len(on) == 1 && on[0] == want }
	}
	netlab.Eventually(t, 30*time.Second, "dummy on n2", one("n2"))
	time.Sleep(3 * time.Second) // a few monitors pass
	if on := l.dummyOn(alive, "dummy"); len(on) != 1 || on[0] != "n2" {
		t.Fatalf("dummy on %v before any failure, want [n2]", on)
	}

	// First failure: restart on n2.
	t0 := time.Now()
	if err := os.Remove(l.dummyState("n2", "dummy")); err != nil {
		t.Fatal(err)
	}
	netlab.Eventually(t, 20*time.Second, "dummy restarted on n2", one("n2"))
	t.Logf("first monitor failure: dummy restarted on n2 after %s", time.Since(t0).Round(time.Millisecond))
	out := l.crmMon(t, "n3", 15*time.Second, "Failed Resource Actions", "dummy", "fail-count=1")
	t.Logf("crm_mon -1 -f after the first failure:\n%s", out)
	at1 := between(out, "found) at ", "\n")
	time.Sleep(3 * time.Second)
	if on := l.dummyOn(alive, "dummy"); len(on) != 1 || on[0] != "n2" {
		t.Fatalf("after one failure (threshold 2) dummy on %v, want it kept on n2", on)
	}

	// Second failure: the fail count reaches the threshold, it moves.
	t0 = time.Now()
	if err := os.Remove(l.dummyState("n2", "dummy")); err != nil {
		t.Fatal(err)
	}
	netlab.Eventually(t, 20*time.Second, "dummy moved off n2", func() bool {
		on := l.dummyOn(alive, "dummy")
		return len(on) == 1 && on[0] != "n2"
	})
	holder := l.dummyOn(alive, "dummy")[0]
	t.Logf("second monitor failure: dummy moved to %s after %s", holder, time.Since(t0).Round(time.Millisecond))
	out = l.crmMon(t, "n1", 15*time.Second, "Failed Resource Actions", "fail-count=2", "Started "+holder)
	t.Logf("crm_mon -1 -f after the second failure:\n%s", out)
	// The failed action shown is the latest failure (seconds after the
	// first one).
	if at2 := between(out, "found) at ", "\n"); at2 == "" || at2 == at1 {
		t.Errorf("failed action shown at %q after the second failure, the first was at %q", at2, at1)
	}
	time.Sleep(3 * time.Second)
	if on := l.dummyOn(alive, "dummy"); len(on) != 1 || on[0] != holder {
		t.Fatalf("dummy on %v after the move, want [%s]", on, holder)
	}
}

// between returns the text of s after the first from and before the next
// to, "" when from is missing.
func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
