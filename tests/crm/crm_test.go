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

// short skips multi-node tests under -short.
func short(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("multi-node test")
	}
}

// vip is the group's address, inside the lab's network.
const vip = netlab.Net + ".200"

// webCIB is the configuration: a group of an address and a Dummy "site"
// (the group orders ip before site), preferring n2, sticky enough to stay
// where it runs when n2 comes back.
var webCIB = `<cib admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <group id="web">
        <meta_attributes id="web-meta">
          <nvpair id="web-stickiness" name="resource-stickiness" value="200"/>
        </meta_attributes>
        <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="ip-params">
            <nvpair id="ip-addr" name="ip" value="` + vip + `"/>
            <nvpair id="ip-mask" name="cidr_netmask" value="24"/>
            <nvpair id="ip-nic" name="nic" value="eth0"/>
          </instance_attributes>
          <operations>
            <op id="ip-mon" name="monitor" interval="2s" timeout="10s"/>
          </operations>
        </primitive>
        <primitive id="site" class="ocf" provider="heartbeat" type="Dummy">
          <operations>
            <op id="site-mon" name="monitor" interval="2s" timeout="10s"/>
          </operations>
        </primitive>
      </group>
    </resources>
    <constraints>
      <rsc_location id="web-prefers-n2" rsc="web" node="n2" score="100"/>
    </constraints>
  </configuration>
  <status/>
</cib>
`

type lab struct {
	*netlab.Lab
	nodes map[string]*netlab.OurNode
}

func agentsInstalled(t *testing.T) {
	t.Helper()
	for _, a := range []string{"/usr/lib/ocf/resource.d/heartbeat/IPaddr2", "/usr/lib/ocf/resource.d/heartbeat/Dummy"} {
		if _, err := os.Stat(a); err != nil {
			t.Skipf("resource agent %s not installed", a)
		}
	}
}

func newLab(t *testing.T) *lab { return newLabCIB(t, webCIB) }

// newLabCIB is newLab with another initial CIB on every node.
func newLabCIB(t *testing.T, cib string) *lab {
	short(t)
	agentsInstalled(t)
	testenv.Bin(t, "heartbeat")
	l := &lab{Lab: netlab.New(t, 3), nodes: map[string]*netlab.OurNode{}}
	for _, name := range l.Nodes {
		n := l.Configure(name, netlab.Setup{Extra: "crm on\n", NoPing: true})
		dir := filepath.Join(n.StateDir, "crm")
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "cib.xml"), []byte(cib), 0o600); err != nil {
			t.Fatal(err)
		}
		l.nodes[name] = n
	}
	return l
}

func (l *lab) rsctmp(node string) string { return l.Path(node, "rsctmp") }

func (l *lab) start(t *testing.T, node string) {
	t.Helper()
	l.nodes[node].StartEnv(t, "HA_RSCTMP="+l.rsctmp(node))
}

// crash kills node's daemon with SIGKILL; the address and the Dummy's
// state would survive in a real crash only if the machine stayed up, so
// the test removes them as a reboot would.
func (l *lab) crash(t *testing.T, node string) {
	t.Helper()
	l.nodes[node].Proc.Kill()
	_, _ = l.Exec(node, "ip", "addr", "del", vip+"/24", "dev", "eth0")
	_ = os.RemoveAll(l.rsctmp(node))
}

// holders lists the nodes where the address is up and where the Dummy
// runs.
func (l *lab) holders(alive []string) (ip, site []string) {
	for _, n := range alive {
		out, _ := l.Exec(n, "ip", "-o", "addr", "show", "dev", "eth0")
		if strings.Contains(out, " "+vip+"/") {
			ip = append(ip, n)
		}
		if _, err := os.Stat(filepath.Join(l.rsctmp(n), "Dummy-site.state")); err == nil {
			site = append(site, n)
		}
	}
	return ip, site
}

// groupOn returns the node running the whole group, "" when it is not
// running whole on exactly one node.
func (l *lab) groupOn(alive []string) string {
	ip, site := l.holders(alive)
	if len(ip) == 1 && len(site) == 1 && ip[0] == site[0] {
		return ip[0]
	}
	return ""
}

// dcLines counts each node's "now the DC" log lines.
func (l *lab) dcLines(node string) int { return l.nodes[node].LogCount("this node is now the DC") }

func without(all []string, gone string) []string {
	var out []string
	for _, n := range all {
		if n != gone {
			out = append(out, n)
		}
	}
	return out
}

func (l *lab) dump(t *testing.T) {
	for name, n := range l.nodes {
		log := n.HaLog()
		if len(log) > 6000 {
			log = log[len(log)-6000:]
		}
		t.Logf("--- %s ha-log (tail)\n%s", name, log)
	}
}

// TestGroupPlacementAndFailover covers (a) the group starting on its
// preferred node, (b) the group moving when its node is killed, (c) a new
// DC when the DC is killed. Timings are logged; the bounds are generous.
func TestGroupPlacementAndFailover(t *testing.T) {
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
	// (a) n1 ranks first and is DC; the group starts on n2.
	netlab.Eventually(t, 30*time.Second, "n1 DC", func() bool { return l.dcLines("n1") > 0 })
	took := netlab.Eventually(t, 30*time.Second, "group on n2", func() bool { return l.groupOn(alive) == "n2" })
	t.Logf("(a) group running on n2 %s after the DC was elected", took)
	time.Sleep(7 * time.Second) // past the startup period (deadtime + 2 s advertised)
	if ip, site := l.holders(alive); len(ip) != 1 || len(site) != 1 {
		t.Fatalf("group not exclusive: ip on %v, site on %v", ip, site)
	}

	// (b) kill -9 the holder.
	t0 := time.Now()
	l.crash(t, "n2")
	alive = without(alive, "n2")
	netlab.Eventually(t, 15*time.Second, "group moved off n2", func() bool { return l.groupOn(alive) != "" })
	t.Logf("(b) group running on %s %s after kill -9 of n2 (target deadtime 1s + 1s)", l.groupOn(alive), time.Since(t0).Round(time.Millisecond))

	// (c) kill -9 the DC (n1): n3 takes over as DC.
	before := l.dcLines("n3")
	t0 = time.Now()
	l.crash(t, "n1")
	alive = without(alive, "n1")
	netlab.Eventually(t, 15*time.Second, "n3 DC", func() bool { return l.dcLines("n3") > before })
	t.Logf("(c) n3 became DC %s after kill -9 of DC n1 (target deadtime 1s + 300ms)", time.Since(t0).Round(time.Millisecond))
	// Alone of three, n3 has no quorum: nothing may run (no-quorum-policy stop).
	time.Sleep(5 * time.Second)
	if ip, site := l.holders(alive); len(ip)+len(site) != 0 {
		t.Errorf("n3 without quorum runs ip %v site %v", ip, site)
	}
}

// TestStandbyOnlineStickiness covers (d): crm_standby moves the group off
// its node; back online, the node does not get the group back because
// the group's stickiness (200 per member) beats its preference (100).
// crm_mon, through the same CIB socket, names the DC.
func TestStandbyOnlineStickiness(t *testing.T) {
	l := newLab(t)
	testenv.Bin(t, "crm_standby")
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
	if _, err := os.Stat(testenv.Bin(t, "crm_mon")); err == nil {
		var out string
		netlab.Eventually(t, 15*time.Second, "crm_mon names the DC", func() bool {
			out, _ = l.nodes["n3"].Tool(t, "crm_mon", "-1")
			return strings.Contains(out, "n1") && strings.Contains(strings.ToLower(out), "current dc")
		})
		t.Logf("crm_mon -1 on n3:\n%s", out)
	}

	t0 := time.Now()
	if out, err := l.nodes["n3"].Tool(t, "crm_standby", "-N", "n2", "-v", "on"); err != nil {
		t.Fatalf("crm_standby on: %v\n%s", err, out)
	}
	netlab.Eventually(t, 15*time.Second, "group off standby n2", func() bool { g := l.groupOn(alive); return g == "n1" || g == "n3" })
	holder := l.groupOn(alive)
	t.Logf("(d) standby n2: group on %s after %s", holder, time.Since(t0).Round(time.Millisecond))

	if out, err := l.nodes["n1"].Tool(t, "crm_standby", "-N", "n2", "-v", "off"); err != nil {
		t.Fatalf("crm_standby off: %v\n%s", err, out)
	}
	time.Sleep(5 * time.Second)
	if g := l.groupOn(alive); g != holder {
		t.Fatalf("(d) online n2: group went from %s to %q although stickiness beats the preference", holder, g)
	}
	if ip, site := l.holders(alive); len(ip) != 1 || len(site) != 1 {
		t.Fatalf("group not exclusive: ip on %v, site on %v", ip, site)
	}

	// A graceful stop (SIGTERM) of the holder: the DC moves the group away
	// before the daemon leaves, so it never runs twice nor stays behind.
	t0 = time.Now()
	if err := l.nodes[holder].Proc.Stop(60 * time.Second); err != nil {
		t.Fatal(err)
	}
	rest := without(alive, holder)
	if ip, site := l.holders([]string{holder}); len(ip)+len(site) != 0 {
		t.Fatalf("%s left with ip %v site %v still running", holder, ip, site)
	}
	netlab.Eventually(t, 15*time.Second, "group on a remaining node", func() bool { return l.groupOn(rest) != "" })
	t.Logf("(e) SIGTERM of %s: it left after %s, the group runs on %s", holder, time.Since(t0).Round(time.Millisecond), l.groupOn(rest))
}
