package crm

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
	"hbgo/tests/netlab"
)

// upVIP is the v1 group's address; it differs from the other tests' vip so
// a leftover of one scenario cannot satisfy another's check.
const upVIP = netlab.Net + ".201"

// upHaresources is the v1 cluster: one group homed on n1, an address
// (resource-agents' IPaddr2 through the haresources wrapper name) and the
// lab's hbtest resource.d script, started in that order.
const upHaresources = "n1 IPaddr2::" + upVIP + "/24 hbtest"

// upLab is a two-node cluster that starts as v1 (haresources) and is
// upgraded in place to crm mode.
type upLab struct {
	*netlab.Lab
	nodes map[string]*netlab.OurNode
}

func newUpLab(t *testing.T, failback string) *upLab {
	short(t)
	if _, err := os.Stat("/usr/lib/ocf/resource.d/heartbeat/IPaddr2"); err != nil {
		t.Skip("resource agent IPaddr2 not installed")
	}
	testenv.Bin(t, "heartbeat")
	testenv.Bin(t, "hb2cib")
	l := &upLab{Lab: netlab.New(t, 2), nodes: map[string]*netlab.OurNode{}}
	for _, name := range l.Nodes {
		l.nodes[name] = l.Configure(name, netlab.Setup{Resources: upHaresources, Failback: failback, NoPing: true})
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("HBGO_CRM_DUMP") != "" {
			for _, name := range l.Nodes {
				log := l.nodes[name].HaLog()
				if len(log) > 8000 {
					log = log[len(log)-8000:]
				}
				t.Logf("--- %s ha-log (tail)\n%s", name, log)
			}
		}
	})
	return l
}

func (l *upLab) start(t *testing.T, node string) {
	t.Helper()
	l.nodes[node].StartEnv(t, "HA_RSCTMP="+l.Path(node, "rsctmp"))
}

// crash is kill -9 of node's daemon plus what a reboot takes with it:
// the address and the hbtest state (logged as "crashed" for the
// exclusivity check of the event log).
func (l *upLab) crash(node string) {
	l.nodes[node].Crash()
	_, _ = l.Exec(node, "ip", "addr", "del", upVIP+"/24", "dev", "eth0")
	_ = os.RemoveAll(l.Path(node, "rsctmp"))
}

// stopAll stops every daemon gracefully (they release their resources).
func (l *upLab) stopAll(t *testing.T) {
	t.Helper()
	for _, n := range l.nodes {
		if n.Proc == nil {
			continue
		}
		select {
		case <-n.Proc.Done():
			continue
		default:
		}
		if err := n.Proc.Stop(60 * time.Second); err != nil {
			t.Fatal(err)
		}
	}
}

// holder is the node running the whole group (address up and hbtest
// started, on the same node and nowhere else), "" otherwise. It fails the
// test when the event log shows hbtest running on two nodes at once.
func (l *upLab) holder(t *testing.T) string {
	t.Helper()
	script := l.Holder(t)
	var ip []string
	for _, n := range l.Nodes {
		out, _ := l.Exec(n, "ip", "-o", "addr", "show", "dev", "eth0")
		if strings.Contains(out, " "+upVIP+"/") {
			ip = append(ip, n)
		}
	}
	if len(ip) == 1 && ip[0] == script {
		return script
	}
	return ""
}

// holds waits until node runs the whole group and returns how long it took.
func (l *upLab) holds(t *testing.T, node string, limit time.Duration, what string) time.Duration {
	t.Helper()
	return netlab.Eventually(t, limit, what+": group on "+node, func() bool { return l.holder(t) == node })
}

// stays checks that node keeps the whole group for the whole window.
func (l *upLab) stays(t *testing.T, node string, window time.Duration, what string) {
	t.Helper()
	end := time.Now().Add(window)
	for time.Now().Before(end) {
		if h := l.holder(t); h != node {
			t.Fatalf("%s: group on %q, want it to stay on %s", what, h, node)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// scenario runs the v1 takeover/failback scenario on the running mode and
// returns the holder after each step: cold start, kill -9 of the home node
// n1, n1 back.
func (l *upLab) scenario(t *testing.T, mode, failback string) []string {
	t.Helper()
	var got []string
	l.start(t, "n1")
	l.start(t, "n2")
	d := l.holds(t, "n1", 60*time.Second, mode+" cold start")
	t.Logf("%s: cold start: group on n1 %s after both daemons started", mode, d.Round(time.Millisecond))
	// Let the cluster settle (initdead, probes, the first monitors) so the
	// crash below hits a steady state.
	l.stays(t, "n1", 5*time.Second, mode+" after the cold start")
	got = append(got, l.holder(t))

	l.crash("n1")
	d = l.holds(t, "n2", 20*time.Second, mode+" takeover after kill -9 of n1")
	t.Logf("%s: takeover: group on n2 %s after kill -9 of n1 (deadtime 1 s)", mode, d.Round(time.Millisecond))
	got = append(got, l.holder(t))

	t0 := time.Now()
	l.start(t, "n1")
	if failback == "on" {
		d = l.holds(t, "n1", 60*time.Second, mode+" failback")
		t.Logf("%s: failback: group back on n1 %s after n1 restarted", mode, d.Round(time.Millisecond))
		l.stays(t, "n1", 3*time.Second, mode+" after failback")
	} else {
		// No failback: n1 rejoins (its log shows the peer) and the group
		// must stay on n2 well past the time a failback takes.
		l.stays(t, "n2", 15*time.Second, mode+" n1 back, auto_failback "+failback)
		t.Logf("%s: no failback: group still on n2 %s after n1 restarted", mode, time.Since(t0).Round(time.Millisecond))
	}
	got = append(got, l.holder(t))
	return got
}

// upgrade converts the v1 configuration with hb2cib the documented way
// (on each node, in its own namespace, into <state-dir>/crm/cib.xml) and
// turns `crm on` in ha.cf. The daemons must be stopped.
func (l *upLab) upgrade(t *testing.T) {
	t.Helper()
	for _, name := range l.Nodes {
		n := l.nodes[name]
		dir := filepath.Join(n.StateDir, "crm")
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		cib := filepath.Join(dir, "cib.xml")
		out, err := l.Exec(name, testenv.Bin(t, "hb2cib"), "--config-dir", n.ConfDir, "--node-name", name, "-o", cib)
		if err != nil {
			t.Fatalf("hb2cib on %s: %v\n%s", name, err, out)
		}
		t.Logf("hb2cib on %s:\n%s", name, out)
		f, err := os.OpenFile(filepath.Join(n.ConfDir, "ha.cf"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = fmt.Fprintln(f, "crm on")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(l.nodes["n1"].StateDir, "crm", "cib.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `class="heartbeat" type="hbtest"`) {
		t.Fatalf("converted CIB runs hbtest under another class:\n%s", b)
	}
	if os.Getenv("HBGO_CRM_DUMP") != "" {
		t.Logf("converted CIB:\n%s", b)
	}
}

// TestUpgradedClusterBehavesLikeV1 is the upgrade's acceptance test: a
// two-node v1 cluster runs the takeover and failback scenario, is
// converted with hb2cib and switched to `crm on`, and runs the same
// scenario with the same holder after every step, for auto_failback on
// and off.
func TestUpgradedClusterBehavesLikeV1(t *testing.T) {
	for _, failback := range []string{"on", "off"} {
		t.Run("auto_failback_"+failback, func(t *testing.T) {
			l := newUpLab(t, failback)
			v1 := l.scenario(t, "v1", failback)
			l.stopAll(t)
			if h := l.holder(t); h != "" {
				t.Fatalf("group still on %s after the v1 daemons stopped", h)
			}

			l.upgrade(t)
			crm := l.scenario(t, "crm", failback)
			l.stopAll(t)
			if strings.Join(v1, " ") != strings.Join(crm, " ") {
				t.Fatalf("holders after each step: v1 %v, crm %v", v1, crm)
			}
			t.Logf("holders after cold start, takeover, n1 back: v1 %v, crm %v", v1, crm)
		})
	}
}

// TestV1ToolsInCRMMode: on the upgraded cluster (auto_failback off, so
// stickiness holds the group where it runs), hb_standby on n1 hands the
// group to n2 and hb_takeover on n1 brings it back, through the CIB. The
// constraints they write are finite, so, as in v1, the standby n1 takes
// the group when n2 dies, and after hb_takeover a kill -9 of n1 still
// fails the group over to n2.
func TestV1ToolsInCRMMode(t *testing.T) {
	l := newUpLab(t, "off")
	testenv.Bin(t, "hb_standby")
	testenv.Bin(t, "hb_takeover")
	l.upgrade(t)
	l.start(t, "n1")
	l.start(t, "n2")
	defer l.stopAll(t)
	l.holds(t, "n1", 60*time.Second, "cold start")
	l.stays(t, "n1", 3*time.Second, "after the cold start")

	n1 := l.nodes["n1"]
	t0 := time.Now()
	out, err := n1.Tool(t, "hb_standby", "--node-name", "n1")
	if err != nil {
		t.Fatalf("hb_standby: %v\n%s", err, out)
	}
	t.Logf("hb_standby on n1:\n%s", out)
	d := l.holds(t, "n2", 20*time.Second, "hb_standby on n1")
	t.Logf("hb_standby: group on n2 %s after the command returned (%s in all)", d.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	l.stays(t, "n2", 3*time.Second, "after hb_standby")

	// The standby node still takes the group when its holder dies; the
	// constraint stays until hb_takeover or crm_resource --clear, so the
	// group returns to n2 when n2 is back.
	l.crash("n2")
	d = l.holds(t, "n1", 20*time.Second, "kill -9 of n2 while n1 is standby")
	t.Logf("kill -9 of n2: group on standby n1 %s later", d.Round(time.Millisecond))
	l.start(t, "n2")
	d = l.holds(t, "n2", 60*time.Second, "n2 back while n1 is standby")
	t.Logf("n2 back: group on n2 again %s later (n1 still standby)", d.Round(time.Millisecond))
	l.stays(t, "n2", 3*time.Second, "n2 back")

	t0 = time.Now()
	out, err = n1.Tool(t, "hb_takeover", "--node-name", "n1")
	if err != nil {
		t.Fatalf("hb_takeover: %v\n%s", err, out)
	}
	t.Logf("hb_takeover on n1:\n%s", out)
	d = l.holds(t, "n1", 20*time.Second, "hb_takeover on n1")
	t.Logf("hb_takeover: group on n1 %s after the command returned (%s in all)", d.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	l.stays(t, "n1", 3*time.Second, "after hb_takeover")

	l.crash("n1")
	d = l.holds(t, "n2", 20*time.Second, "kill -9 of n1 after hb_takeover")
	t.Logf("kill -9 of n1 despite its preference: group on n2 %s later", d.Round(time.Millisecond))
}
