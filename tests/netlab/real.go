package netlab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"hbgo/internal/testenv"
)

// RealNode is one node running the reference Heartbeat 3.0.6 next to ours,
// driven through the shared lab's real-heartbeat.sh: the daemon lives in
// the node's network namespace plus a private mount and UTS namespace
// (hostname = node name) where Dir/etc, Dir/lib, Dir/run and Dir/log are
// bound onto /etc/ha.d, /var/lib/heartbeat, /run and /var/log.
type RealNode struct {
	Lab    *Lab
	Name   string
	Work   string // the script's WORKDIR (one per lab)
	Dir    string // Work/Name
	script string
}

// ConfigureReal prepares node for the reference daemon with the same ha.cf,
// authkeys and haresources as Configure writes for our nodes, and the same
// hbtest script logging into the lab's shared event log. It skips the test
// when the reference daemon or the shared lab scripts are absent.
func (l *Lab) ConfigureReal(t testing.TB, node string, s Setup) *RealNode {
	t.Helper()
	testenv.RequireRealHeartbeat(t)
	testenv.RequireProgram(t, "nsenter")
	testenv.RequireProgram(t, "unshare")
	script := filepath.Join(testenv.SharedDir(t), "lab", "real-heartbeat.sh")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("lab script %s absent; skipping", script)
	}
	r := &RealNode{Lab: l, Name: node, Work: l.Path("real"), script: script}
	r.Dir = filepath.Join(r.Work, node)
	// init builds the skeleton the package expects (copy of /etc/ha.d,
	// /var/lib/heartbeat and /run layout with their owners); the
	// configuration itself is then replaced by the test's.
	if out, err := r.run("init", r.Work, node); err != nil {
		t.Fatalf("real-heartbeat.sh init %s: %v\n%s", node, err, out)
	}
	etc := filepath.Join(r.Dir, "etc")
	write := func(name, body string, mode os.FileMode) {
		p := filepath.Join(etc, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // authkeys must be 0600 or 3.0.6 refuses it
			t.Fatal(err)
		}
	}
	// Inside the node /var/log is Dir/log and /run is Dir/run.
	write("ha.cf", s.HaCf(l, "/var/log"), 0o644)
	write("authkeys", s.or(s.Auth, "auth 1\n1 sha1 lab-secret\n"), 0o600)
	write("haresources", s.or(s.Resources, l.Nodes[0]+" hbtest")+"\n", 0o644)
	write("resource.d/hbtest", fmt.Sprintf(HBTest, l.Path("events.log"), "/run/hbtest.state", node), 0o755)
	for name, body := range s.Scripts {
		write("resource.d/"+name, body, 0o755)
	}
	t.Cleanup(func() { _, _ = r.run("cleanup", node, r.Work) })
	return r
}

func (r *RealNode) run(args ...string) (string, error) {
	cmd := exec.Command(r.script, args...)
	cmd.Env = append(os.Environ(), "LAB_PREFIX="+r.Lab.Prefix, "LAB_NET="+Net)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Start starts the reference daemon (it detaches; a start is a reboot: the
// hbtest state is removed first).
func (r *RealNode) Start(t testing.TB) {
	t.Helper()
	if out, err := r.run("start", r.Name, r.Work); err != nil {
		t.Fatalf("start real heartbeat on %s: %v\n%s\nha-log:\n%s", r.Name, err, out, r.Log())
	}
}

// Stop is a graceful stop (heartbeat -k): resources are released and the
// peers told; it returns when the master process has exited.
func (r *RealNode) Stop(t testing.TB) {
	t.Helper()
	if out, err := r.run("stop", r.Name, r.Work); err != nil {
		t.Fatalf("stop real heartbeat on %s: %v\n%s", r.Name, err, out)
	}
}

// Crash kill -9s the master process (its children exit on their own) and,
// like OurNode.Crash, records that the node's resources died with it. The
// signal is sent from here, not through the lab script, so a caller timing
// the crash is not off by a shell start on a loaded host.
func (r *RealNode) Crash(t testing.TB) {
	t.Helper()
	pid, ok := r.masterPID()
	if !ok {
		t.Fatalf("kill real heartbeat on %s: no running master", r.Name)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill real heartbeat on %s (pid %d): %v", r.Name, pid, err)
	}
	r.Lab.Crashed(r.Name, filepath.Join(r.Dir, "run", "hbtest.state"))
	// Leftover children must not keep talking for the dead node.
	_, _ = r.run("cleanup", r.Name, r.Work)
}

// Kill is Crash for cleanups: it reports nothing and fails nothing.
func (r *RealNode) Kill() {
	if _, err := r.run("kill", r.Name, r.Work); err == nil {
		r.Lab.Crashed(r.Name, filepath.Join(r.Dir, "run", "hbtest.state"))
	}
	_, _ = r.run("cleanup", r.Name, r.Work)
}

// Running reports whether the master process is alive.
func (r *RealNode) Running() bool {
	_, ok := r.masterPID()
	return ok
}

// masterPID is the pid in the node's heartbeat.pid when that process lives.
func (r *RealNode) masterPID() (int, bool) {
	b, err := os.ReadFile(filepath.Join(r.Dir, "run", "heartbeat.pid"))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
		return 0, false
	}
	return pid, true
}

// Exec runs a command inside the running node (its network, mount and UTS
// namespaces) and returns the combined output.
func (r *RealNode) Exec(args ...string) (string, error) {
	return r.run(append([]string{"exec", r.Name, r.Work}, args...)...)
}

// ClStatus runs the reference cl_status against this node's daemon.
func (r *RealNode) ClStatus(args ...string) (string, error) {
	out, err := r.Exec(append([]string{"cl_status"}, args...)...)
	return strings.TrimSpace(out), err
}

// Log is the daemon's ha-log so far.
func (r *RealNode) Log() string { return r.readLog("ha-log") }

// Debug is the daemon's ha-debug so far.
func (r *RealNode) Debug() string { return r.readLog("ha-debug") }

func (r *RealNode) readLog(name string) string {
	b, _ := os.ReadFile(filepath.Join(r.Dir, "log", name))
	return string(b)
}
