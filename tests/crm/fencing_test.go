package crm

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hbgo/internal/testenv"
	"hbgo/tests/netlab"
)

// externalDir is where cluster-glue's external plugins live; the daemon's
// fencer loads stonith:external/<name> from there.
const externalDir = "/usr/lib/stonith/plugins/external"

// labFencePlugin is an external STONITH plugin for the lab: "resetting" a
// host kills its daemon by the PID in <labdir>/<host>/fence.pid and wipes
// its resource state directory (what a reboot does to HA_RSCTMP), and
// logs "<unix time> <action> <host>" to <labdir>/fenced.log.
const labFencePlugin = `#!/bin/sh
case $1 in
getconfignames) echo "hostlist labdir"; exit 0 ;;
gethosts)       for h in $hostlist; do echo "$h"; done; exit 0 ;;
status)         [ -d "$labdir" ]; exit $? ;;
reset|off)
	pid=$(cat "$labdir/$2/fence.pid" 2>/dev/null) || exit 1
	kill -9 "$pid" 2>/dev/null
	rm -rf "$labdir/$2/rsctmp"
	echo "$(date +%s.%N) $1 $2" >> "$labdir/fenced.log"
	exit 0 ;;
on)             exit 0 ;;
getinfo-devid)  echo "lab fencing device"; exit 0 ;;
getinfo-devname) echo "lab fencing device"; exit 0 ;;
getinfo-devdescr) echo "kills a lab node's heartbeat daemon"; exit 0 ;;
getinfo-devurl) echo "http://example.invalid/"; exit 0 ;;
getinfo-xml)    cat <<'XML'
<parameters>
<parameter name="hostlist" unique="1" required="1">
<content type="string" />
<shortdesc lang="en">Hostlist</shortdesc>
</parameter>
<parameter name="labdir" unique="1" required="1">
<content type="string" />
<shortdesc lang="en">Lab directory</shortdesc>
</parameter>
</parameters>
XML
	exit 0 ;;
*) exit 1 ;;
esac
`

// installFencePlugin installs labFencePlugin under a name unique to this
// run and removes it at the end; it returns the stonith type.
func installFencePlugin(t *testing.T) string {
	t.Helper()
	testenv.RequireRoot(t)
	if _, err := os.Stat(externalDir); err != nil {
		t.Skipf("cluster-glue external plugin directory: %v", err)
	}
	name := fmt.Sprintf("hbgo-lab-%d-%06d", os.Getpid(), rand.IntN(1000000))
	path := filepath.Join(externalDir, name)
	if err := os.WriteFile(path, []byte(labFencePlugin), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(path) })
	return "external/" + name
}

// fencingCIB: stonith enabled, the lab's fencing device cloned on every
// node (each node's fencer registers it when its instance starts), and a
// Dummy preferring n3.
func fencingCIB(stonithType, labDir string) string {
	return `<cib admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="true"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <clone id="fencing">
        <primitive id="fence" class="stonith" type="` + stonithType + `">
          <instance_attributes id="fence-params">
            <nvpair id="fence-hosts" name="hostlist" value="n1 n2 n3"/>
            <nvpair id="fence-dir" name="labdir" value="` + labDir + `"/>
          </instance_attributes>
          <operations>
            <op id="fence-mon" name="monitor" interval="10s" timeout="20s"/>
          </operations>
        </primitive>
      </clone>
      <primitive id="dummy" class="ocf" provider="heartbeat" type="Dummy">
        <operations>
          <op id="dummy-mon" name="monitor" interval="2s" timeout="10s"/>
        </operations>
      </primitive>
    </resources>
    <constraints>
      <rsc_location id="dummy-prefers-n3" rsc="dummy" node="n3" score="100"/>
    </constraints>
  </configuration>
  <status/>
</cib>
`
}

// fenced returns the lines of the plugin's log.
func (l *lab) fenced() []string {
	b, _ := os.ReadFile(l.Path("fenced.log"))
	return strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' })
}

// TestFencingOfSilentNode: n3, running the Dummy, stops answering,
// either frozen (SIGSTOP of its daemon) or cut off (its heartbeat traffic
// dropped by iptables in its namespace). The DC fences it through the
// stonith resource's external plugin, which kills n3's daemon, and only
// then starts the Dummy on n1 or n2.
func TestFencingOfSilentNode(t *testing.T) {
	short(t)
	typ := installFencePlugin(t)
	t.Run("frozen", func(t *testing.T) {
		fenceSilentNode(t, typ, func(l *lab) error { return l.nodes["n3"].Proc.Cmd.Process.Signal(syscall.SIGSTOP) })
	})
	t.Run("cut-off", func(t *testing.T) {
		fenceSilentNode(t, typ, func(l *lab) error { l.Partition("n3", true); return nil })
	})
}

func fenceSilentNode(t *testing.T, typ string, silence func(*lab) error) {
	l := newLab(t)
	cib := fencingCIB(typ, l.Dir)
	for _, n := range l.nodes {
		if err := os.WriteFile(filepath.Join(n.StateDir, "crm", "cib.xml"), []byte(cib), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	alive := []string{"n1", "n2", "n3"}
	for _, n := range alive {
		l.start(t, n)
		pid := strconv.Itoa(l.nodes[n].Proc.Cmd.Process.Pid)
		if err := os.WriteFile(l.Path(n, "fence.pid"), []byte(pid+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if t.Failed() || os.Getenv("HBGO_CRM_DUMP") != "" {
			l.dump(t)
		}
	}()
	netlab.Eventually(t, 30*time.Second, "dummy on n3", func() bool {
		on := l.dummyOn(alive, "dummy")
		return len(on) == 1 && on[0] == "n3"
	})
	time.Sleep(5 * time.Second) // past the startup period; the devices registered
	if got := l.fenced(); len(got) != 0 {
		t.Fatalf("fenced before any failure: %v", got)
	}
	if on := l.dummyOn(alive, "dummy"); len(on) != 1 || on[0] != "n3" {
		t.Fatalf("dummy on %v, want [n3]", on)
	}

	t0 := time.Now()
	if err := silence(l); err != nil {
		t.Fatal(err)
	}
	took := netlab.Eventually(t, 30*time.Second, "n3 fenced", func() bool { return len(l.fenced()) > 0 })
	t.Logf("n3 silent: fenced after %s: %v", took.Round(time.Millisecond), l.fenced())
	select {
	case <-l.nodes["n3"].Proc.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("n3's daemon still alive after it was fenced")
	}
	if got := l.fenced(); !strings.Contains(strings.Join(got, " "), "reset n3") {
		t.Fatalf("fencing log %v, want a reset of n3", got)
	}
	rest := []string{"n1", "n2"}
	netlab.Eventually(t, 20*time.Second, "dummy recovered on n1 or n2", func() bool { return len(l.dummyOn(rest, "dummy")) == 1 })
	holder := l.dummyOn(rest, "dummy")[0]
	t.Logf("dummy running on %s %s after n3 went silent", holder, time.Since(t0).Round(time.Millisecond))
	// The recovery started after the fencing: the new state file is
	// younger than the fencing log line.
	st, err := os.Stat(l.dummyState(holder, "dummy"))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(l.Path("fenced.log"))
	if err != nil {
		t.Fatal(err)
	}
	if st.ModTime().Before(fi.ModTime()) {
		t.Errorf("dummy started on %s at %s, before n3 was fenced at %s", holder, st.ModTime(), fi.ModTime())
	}
	time.Sleep(3 * time.Second)
	if on := l.dummyOn(alive, "dummy"); len(on) != 1 || on[0] != holder {
		t.Fatalf("dummy on %v, want [%s]", on, holder)
	}
	if n := len(l.fenced()); n != 1 {
		t.Errorf("n3 fenced %d times: %v", n, l.fenced())
	}
}
