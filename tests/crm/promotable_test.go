package crm

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"hbgo/internal/testenv"
	"hbgo/tests/netlab"
)

// The promotable-clone scenario of the classic guides, with Stateful
// standing in for DRBD: the data clone has one Promoted instance; the
// service group (an ext4 file system on a loop device, an address and an
// init script) runs with the Promoted instance and starts after the
// promotion.

// svcVIP is the service group's address.
const svcVIP = netlab.Net + ".201"

// promotableCIB returns the configuration for the loop device dev, mounted
// on mnt, and the init script lsb. Without dev the group's first member is
// a Dummy in place of the file system.
func promotableCIB(dev, mnt, lsb string) string {
	fs := `<primitive id="svc-fs" class="ocf" provider="heartbeat" type="Filesystem">
          <instance_attributes id="svc-fs-params">
            <nvpair id="svc-fs-device" name="device" value="` + dev + `"/>
            <nvpair id="svc-fs-directory" name="directory" value="` + mnt + `"/>
            <nvpair id="svc-fs-fstype" name="fstype" value="ext4"/>
          </instance_attributes>`
	if dev == "" {
		fs = `<primitive id="svc-fs" class="ocf" provider="heartbeat" type="Dummy">`
	}
	return `<cib admin_epoch="0" epoch="1" num_updates="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <clone id="data-clone">
        <meta_attributes id="data-clone-meta">
          <nvpair id="data-clone-promotable" name="promotable" value="true"/>
          <nvpair id="data-clone-promoted-max" name="promoted-max" value="1"/>
          <nvpair id="data-clone-promoted-node-max" name="promoted-node-max" value="1"/>
          <nvpair id="data-clone-clone-max" name="clone-max" value="3"/>
          <nvpair id="data-clone-clone-node-max" name="clone-node-max" value="1"/>
        </meta_attributes>
        <primitive id="data" class="ocf" provider="pacemaker" type="Stateful">
          <operations>
            <op id="data-mon-promoted" name="monitor" interval="3s" role="Promoted" timeout="10s"/>
            <op id="data-mon-unpromoted" name="monitor" interval="4s" role="Unpromoted" timeout="10s"/>
          </operations>
        </primitive>
      </clone>
      <group id="svc">
        ` + fs + `
          <operations>
            <op id="svc-fs-mon" name="monitor" interval="3s" timeout="20s"/>
          </operations>
        </primitive>
        <primitive id="svc-ip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="svc-ip-params">
            <nvpair id="svc-ip-addr" name="ip" value="` + svcVIP + `"/>
            <nvpair id="svc-ip-mask" name="cidr_netmask" value="24"/>
            <nvpair id="svc-ip-nic" name="nic" value="eth0"/>
          </instance_attributes>
          <operations>
            <op id="svc-ip-mon" name="monitor" interval="3s" timeout="10s"/>
          </operations>
        </primitive>
        <primitive id="svc-app" class="lsb" type="` + lsb + `">
          <operations>
            <op id="svc-app-mon" name="monitor" interval="3s" timeout="10s"/>
          </operations>
        </primitive>
      </group>
    </resources>
    <constraints>
      <rsc_colocation id="svc-with-promoted" rsc="svc" with-rsc="data-clone" with-rsc-role="Promoted" score="INFINITY"/>
      <rsc_order id="svc-after-promote" first="data-clone" first-action="promote" then="svc" then-action="start" kind="Mandatory"/>
    </constraints>
  </configuration>
  <status/>
</cib>
`
}

// lsbScript is an /etc/init.d-style script whose service is a sleeping
// process; its pid file, one per network namespace (node), lives in dir.
func lsbScript(dir string) string {
	return `#!/bin/sh
### BEGIN INIT INFO
# Provides:          hbgo-crmha-app
# Required-Start:
# Required-Stop:
# Default-Start:
# Default-Stop:
# Short-Description: test service of the promotable scenario
### END INIT INFO
ns=$(ip netns identify 2>/dev/null)
[ -n "$ns" ] || ns=host
PIDFILE="` + dir + `/$ns.pid"
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
case "$1" in
start)
	running && exit 0
	setsid sleep 100000 </dev/null >/dev/null 2>&1 &
	echo $! > "$PIDFILE"
	exit 0;;
stop)
	if running; then kill "$(cat "$PIDFILE")"; fi
	rm -f "$PIDFILE"
	exit 0;;
status)
	running && exit 0
	[ -f "$PIDFILE" ] && exit 1
	exit 3;;
restart|force-reload)
	"$0" stop; exec "$0" start;;
*)
	echo "Usage: $0 {start|stop|status|restart|force-reload}" >&2
	exit 2;;
esac
`
}

// promotableLab is the lab of the scenario with its loop device, mount
// point and init script.
type promotableLab struct {
	*lab
	dev, mnt, lsbDir string
}

func newPromotableLab(t *testing.T) *promotableLab {
	short(t)
	testenv.RequireRoot(t)
	for _, a := range []string{"/usr/lib/ocf/resource.d/pacemaker/Stateful", "/usr/lib/ocf/resource.d/heartbeat/Filesystem"} {
		if _, err := os.Stat(a); err != nil {
			t.Skipf("resource agent %s not installed", a)
		}
	}
	testenv.Bin(t, "crm_attribute")
	tmp := t.TempDir()
	mnt := filepath.Join(tmp, "mnt")
	lsbDir := filepath.Join(tmp, "lsb")
	for _, d := range []string{mnt, lsbDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dev, why := loopDevice(t, tmp)
	if dev == "" {
		t.Logf("file system replaced by a Dummy: %s", why)
	}
	// The executor runs lsb-class scripts from /etc/init.d only.
	name := fmt.Sprintf("hbgo-crmha-%d-%d", os.Getpid(), time.Now().UnixNano()%1000000)
	script := filepath.Join("/etc/init.d", name)
	if err := os.WriteFile(script, []byte(lsbScript(lsbDir)), 0o755); err != nil {
		t.Skipf("cannot install the init script: %v", err)
	}
	t.Cleanup(func() { _ = os.Remove(script) })

	l := &promotableLab{lab: newLabCIB(t, promotableCIB(dev, mnt, name)), dev: dev, mnt: mnt, lsbDir: lsbDir}
	// Runs before the lab's teardown: the services the script started are
	// no children of the daemons.
	t.Cleanup(func() {
		for _, n := range l.Nodes {
			l.killApp(n)
		}
	})
	return l
}

// agentPath is the PATH the daemon gives agents.
var agentPath = []string{"/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// loopDevice makes an ext4 file system on a loop device over a file in
// dir, or returns why it cannot: no loop devices (a container without
// /dev/loop-control), or a tool the Filesystem agent insists on missing
// from the agents' PATH (it checks for modprobe and fuser on every call).
// HBGO_CRM_DUMMY_FS set in the environment asks for the Dummy.
func loopDevice(t *testing.T, dir string) (dev, why string) {
	if os.Getenv("HBGO_CRM_DUMMY_FS") != "" {
		return "", "HBGO_CRM_DUMMY_FS is set"
	}
	for _, p := range []string{"losetup", "mkfs.ext4", "modprobe", "fuser", "fsck", "mount", "umount"} {
		found := false
		for _, d := range agentPath {
			if _, err := os.Stat(filepath.Join(d, p)); err == nil {
				found = true
				break
			}
		}
		if !found {
			return "", p + " not installed"
		}
	}
	img := filepath.Join(dir, "data.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 32<<20); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("losetup", "-f", "--show", img).CombinedOutput()
	if err != nil {
		return "", fmt.Sprintf("losetup: %v %s", err, strings.TrimSpace(string(out)))
	}
	dev = strings.TrimSpace(string(out))
	// Detaching a device still mounted in a dying namespace only marks it
	// for autoclear; the kernel frees it with the last mount.
	t.Cleanup(func() { _ = exec.Command("losetup", "-d", dev).Run() })
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", dev).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4: %v %s", err, out)
	}
	return dev, ""
}

func (l *promotableLab) varrun(node string) string { return l.Path(node, "varrun") }

// start runs node's daemon with its own agent state directories; the
// daemon passes its run dir and node name on to the agents (and so to the
// crm_attribute that Stateful runs).
func (l *promotableLab) start(t *testing.T, node string) {
	t.Helper()
	if err := os.MkdirAll(l.varrun(node), 0o755); err != nil {
		t.Fatal(err)
	}
	n := l.nodes[node]
	n.StartEnv(t, "HA_RSCTMP="+l.rsctmp(node), "HA_VARRUN="+l.varrun(node)+"/",
		"HBGO_RUN_DIR="+n.RunDir, "HBGO_NODE_NAME="+node)
}

// role is the Stateful instance's role on node as its state file says:
// "Promoted", "Unpromoted" or "" when stopped.
func (l *promotableLab) role(node string) string {
	b, err := os.ReadFile(filepath.Join(l.varrun(node), "Stateful-data.state"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// mounted reports whether the file system is mounted in node's daemon's
// mount namespace (every agent runs in it; each daemon has its own).
func (l *promotableLab) mounted(node string) bool {
	if l.dev == "" {
		_, err := os.Stat(filepath.Join(l.rsctmp(node), "Dummy-svc-fs.state"))
		return err == nil
	}
	p := l.nodes[node].Proc
	if p == nil {
		return false
	}
	select {
	case <-p.Done():
		return false
	default:
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", p.Cmd.Process.Pid))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[4] == l.mnt {
			return true
		}
	}
	return false
}

func (l *promotableLab) appPID(node string) int {
	b, err := os.ReadFile(filepath.Join(l.lsbDir, l.NS(node)+".pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (l *promotableLab) appRunning(node string) bool {
	pid := l.appPID(node)
	return pid > 0 && syscall.Kill(pid, 0) == nil
}

func (l *promotableLab) killApp(node string) {
	if pid := l.appPID(node); pid > 0 {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	_ = os.Remove(filepath.Join(l.lsbDir, l.NS(node)+".pid"))
}

func (l *promotableLab) hasVIP(node string) bool {
	out, _ := l.Exec(node, "ip", "-o", "addr", "show", "dev", "eth0")
	return strings.Contains(out, " "+svcVIP+"/")
}

// state describes what runs where, for the logs and the failure messages.
func (l *promotableLab) state(alive []string) string {
	var b strings.Builder
	for _, n := range alive {
		fmt.Fprintf(&b, "%s: role=%q fs=%v ip=%v app=%v; ", n, l.role(n), l.mounted(n), l.hasVIP(n), l.appRunning(n))
	}
	return b.String()
}

// settled returns the node holding the Promoted instance and the whole
// group when the cluster is as it should be: exactly one Promoted, the
// others Unpromoted, every member of the group on the Promoted node and
// nowhere else; "" otherwise.
func (l *promotableLab) settled(alive []string) string {
	promoted := ""
	for _, n := range alive {
		switch l.role(n) {
		case "Promoted":
			if promoted != "" {
				return ""
			}
			promoted = n
		case "Unpromoted":
		default:
			return ""
		}
	}
	if promoted == "" {
		return ""
	}
	for _, n := range alive {
		want := n == promoted
		if l.mounted(n) != want || l.hasVIP(n) != want || l.appRunning(n) != want {
			return ""
		}
	}
	return promoted
}

// startedInOrder checks, in the log of whichever alive node (the DC)
// reports them, that node's promotion finished before the group's members
// started, each after the one before it (the order constraint and the
// group's own order).
func (l *promotableLab) startedInOrder(t *testing.T, alive []string, node string) {
	t.Helper()
	steps := []string{"data_promote_0", "svc-fs_start_0", "svc-ip_start_0", "svc-app_start_0"}
	// The service may be seen up before its result reaches the DC's log.
	final := steps[len(steps)-1] + " on " + node + ": ok"
	netlab.Eventually(t, 10*time.Second, "the DC logs "+final, func() bool {
		for _, n := range alive {
			if strings.Contains(l.nodes[n].HaLog(), final) {
				return true
			}
		}
		return false
	})
	for _, n := range alive {
		log := l.nodes[n].HaLog()
		last := -1
		for i, step := range steps {
			at := strings.LastIndex(log, step+" on "+node+": ok")
			if at < 0 {
				if i > 0 {
					t.Errorf("%s's log reports %s on %s but not %s", n, steps[0], node, step)
				}
				break
			}
			if at < last {
				t.Errorf("%s's log: %s on %s finished before %s", n, step, node, steps[i-1])
			}
			last = at
		}
		if last >= 0 {
			return
		}
	}
	t.Errorf("no log reports the promotion on %s", node)
}

// checkScores asks crm_attribute on every alive node for the promotion
// scores Stateful set: 10 where Promoted, 5 where Unpromoted (the agent's
// SCORE_PROMOTED and SCORE_UNPROMOTED).
func (l *promotableLab) checkScores(t *testing.T, alive []string, promoted string) {
	t.Helper()
	for _, asker := range alive {
		for _, of := range alive {
			want := "5"
			if of == promoted {
				want = "10"
			}
			var out string
			var err error
			ok := func() bool {
				out, err = l.nodes[asker].Tool(t, "crm_attribute", "-p", "data", "-N", of, "-G", "-q")
				return err == nil && out == want
			}
			// The CIB copies converge within a replication round.
			deadline := time.Now().Add(5 * time.Second)
			for !ok() && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if err != nil || out != want {
				t.Errorf("crm_attribute -p data -N %s -G -q on %s: %q %v, want %s", of, asker, out, err, want)
			}
		}
	}
}

// crash is kill -9 of node's daemon, with what a reboot would clear: the
// address, the agents' state, the service's process (the file system goes
// with the daemon's mount namespace).
func (l *promotableLab) crash(t *testing.T, node string) {
	t.Helper()
	l.nodes[node].Proc.Kill()
	l.killApp(node)
	_, _ = l.Exec(node, "ip", "addr", "del", svcVIP+"/24", "dev", "eth0")
	_ = os.RemoveAll(l.rsctmp(node))
	_ = os.RemoveAll(l.varrun(node))
}

// TestPromotableCloneWithGroup: the clone comes up with one Promoted and
// two Unpromoted instances and the group (file system, address, init
// script) on the Promoted node; kill -9 of that node promotes another
// instance and the group follows it. Times are logged; bounds are generous.
func TestPromotableCloneWithGroup(t *testing.T) {
	l := newPromotableLab(t)
	alive := []string{"n1", "n2", "n3"}
	t0 := time.Now()
	for _, n := range alive {
		l.start(t, n)
	}
	defer func() {
		if t.Failed() || os.Getenv("HBGO_CRM_DUMP") != "" {
			t.Logf("state: %s", l.state(alive))
			l.dump(t)
		}
	}()
	var promoted string
	netlab.Eventually(t, 90*time.Second, "one Promoted, the group with it", func() bool {
		promoted = l.settled(alive)
		return promoted != ""
	})
	t.Logf("(a) %s Promoted with the group %s after the daemons started; %s",
		promoted, time.Since(t0).Round(time.Millisecond), l.state(alive))
	l.startedInOrder(t, alive, promoted)
	l.checkScores(t, alive, promoted)
	// Still so after the startup period and a few monitors.
	time.Sleep(8 * time.Second)
	if got := l.settled(alive); got != promoted {
		t.Fatalf("(a) not stable: %s", l.state(alive))
	}

	t0 = time.Now()
	l.crash(t, promoted)
	alive = without(alive, promoted)
	var next string
	netlab.Eventually(t, 60*time.Second, "another instance Promoted, the group with it", func() bool {
		next = l.settled(alive)
		return next != ""
	})
	t.Logf("(b) kill -9 of %s: %s Promoted with the group after %s (deadtime 1 s); %s",
		promoted, next, time.Since(t0).Round(time.Millisecond), l.state(alive))
	l.startedInOrder(t, alive, next)
	l.checkScores(t, alive, next)
	time.Sleep(5 * time.Second)
	if got := l.settled(alive); got != next {
		t.Fatalf("(b) not stable: %s", l.state(alive))
	}
}
