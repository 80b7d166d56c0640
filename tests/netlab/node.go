package netlab

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// Setup is the ha.d content of a test cluster.
type Setup struct {
	Media      string // ha.cf media line(s); default "bcast eth0"
	Auth       string // authkeys body; default "auth 1\n1 sha1 lab-secret\n"
	Keepalive  string // default 200ms
	Deadtime   string // default 1
	Warntime   string // default 500ms
	Initdead   string // default 2
	Failback   string // auto_failback; default on
	Extra      string // more ha.cf lines
	Resources  string // haresources; default "n1 hbtest"
	NoPing     bool   // leave out the ping node
	ScriptBody string // extra resource.d scripts: name -> body via Scripts
	Scripts    map[string]string
}

func (s Setup) or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// HaCf renders ha.cf for the lab's nodes.
func (s Setup) HaCf(l *Lab, logDir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "logfile %s/ha-log\ndebugfile %s/ha-debug\nlogfacility none\nuse_logd no\n", logDir, logDir)
	fmt.Fprintf(&b, "keepalive %s\ndeadtime %s\nwarntime %s\ninitdead %s\n", s.or(s.Keepalive, "200ms"),
		s.or(s.Deadtime, "1"), s.or(s.Warntime, "500ms"), s.or(s.Initdead, "2"))
	fmt.Fprintf(&b, "%s\n", s.or(s.Media, "bcast eth0"))
	fmt.Fprintf(&b, "auto_failback %s\n", s.or(s.Failback, "on"))
	if !s.NoPing {
		fmt.Fprintf(&b, "ping %s\n", PingTarget)
	}
	fmt.Fprintf(&b, "node %s\n", strings.Join(l.Nodes, " "))
	b.WriteString(s.Extra)
	return b.String()
}

// HBTest is a resource.d script that records start and stop with
// nanosecond timestamps in LOG (one line per event: "<ns> <node> <event>")
// and keeps its state in STATE; status prints running / stopped.
const HBTest = `#!/bin/sh
LOG=%[1]s
STATE=%[2]s
NODE=%[3]s
now() { date +%%s%%N; }
case "$1" in
start)  echo "$(now) $NODE start-begin" >> $LOG; : > $STATE; echo "$(now) $NODE start-done" >> $LOG ;;
stop)   echo "$(now) $NODE stop-begin" >> $LOG; rm -f $STATE; echo "$(now) $NODE stop-done" >> $LOG ;;
status) if [ -f $STATE ]; then echo running; else echo stopped; fi ;;
*) echo "usage: $0 start|stop|status"; exit 1 ;;
esac
exit 0
`

// OurNode is one node running hbgo's heartbeat.
type OurNode struct {
	Lab                       *Lab
	Name                      string
	ConfDir, StateDir, RunDir string
	LogDir                    string
	Proc                      *Proc
	Bin                       string
}

// Configure writes node's ha.d (ha.cf, authkeys 0600, haresources and the
// hbtest script) under the lab directory and returns the node.
func (l *Lab) Configure(node string, s Setup) *OurNode {
	l.t.Helper()
	n := &OurNode{Lab: l, Name: node, ConfDir: l.Path(node, "etc"), StateDir: l.Path(node, "state"),
		RunDir: l.Path(node, "run"), LogDir: l.Path(node, "log")}
	for _, d := range []string{n.ConfDir + "/resource.d", n.StateDir, n.RunDir, n.LogDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			l.t.Fatal(err)
		}
	}
	write := func(name, body string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(n.ConfDir, name), []byte(body), mode); err != nil {
			l.t.Fatal(err)
		}
		_ = os.Chmod(filepath.Join(n.ConfDir, name), mode)
	}
	write("ha.cf", s.HaCf(l, n.LogDir), 0o644)
	write("authkeys", s.or(s.Auth, "auth 1\n1 sha1 lab-secret\n"), 0o600)
	write("haresources", s.or(s.Resources, l.Nodes[0]+" hbtest")+"\n", 0o644)
	write("resource.d/hbtest", fmt.Sprintf(HBTest, l.Path("events.log"), filepath.Join(n.RunDir, "hbtest.state"), node), 0o755)
	for name, body := range s.Scripts {
		write("resource.d/"+name, body, 0o755)
	}
	return n
}

// Start runs hbgo's heartbeat in the foreground in the node's namespace.
func (n *OurNode) Start(t testing.TB) {
	t.Helper()
	if n.Bin == "" {
		n.Bin = testenv.Bin(t, "heartbeat")
	}
	_ = os.Remove(filepath.Join(n.RunDir, "hbtest.state")) // a restart is a reboot
	n.Proc = n.Lab.Start(n.Name, filepath.Join(n.LogDir, "stdout"), n.Bin, "--foreground",
		"--config-dir", n.ConfDir, "--state-dir", n.StateDir, "--run-dir", n.RunDir, "--node-name", n.Name)
}

// Crash simulates the death of the node: its daemon is killed with
// SIGKILL and its resources are gone with it (the hbtest state is removed
// and a "crashed" event logged, so the exclusivity check knows).
func (n *OurNode) Crash() {
	n.Proc.Kill()
	n.Lab.Crashed(n.Name, filepath.Join(n.RunDir, "hbtest.state"))
}

// Crashed records that node died with its resources (state file removed).
func (l *Lab) Crashed(node, stateFile string) {
	_ = os.Remove(stateFile)
	f, err := os.OpenFile(l.Path("events.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil {
		fmt.Fprintf(f, "%d %s crashed\n", time.Now().UnixNano(), node)
		f.Close()
	}
}

// ClStatus runs our cl_status against this node's daemon.
func (n *OurNode) ClStatus(t testing.TB, args ...string) (string, error) {
	out, err := n.Lab.Exec(n.Name, append([]string{testenv.Bin(t, "cl_status"), "--run-dir", n.RunDir}, args...)...)
	return strings.TrimSpace(out), err
}

// Event is one line of the shared hbtest event log.
type Event struct {
	At    time.Time
	Node  string
	Event string
}

// Events reads the hbtest event log of the lab.
func (l *Lab) Events() []Event {
	f, err := os.Open(l.Path("events.log"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []Event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 {
			continue
		}
		ns, err := strconv.ParseInt(fs[0], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, Event{At: time.Unix(0, ns), Node: fs[1], Event: fs[2]})
	}
	return out
}

// Holder returns the node whose last hbtest event is a completed start
// with no stop after it, or "" when none runs it; it fails the test when
// the log shows two nodes running it at the same time.
func (l *Lab) Holder(t testing.TB) string {
	t.Helper()
	running := map[string]bool{}
	for _, e := range l.Events() {
		switch e.Event {
		case "start-begin":
			for other := range running {
				if other != e.Node {
					t.Fatalf("hbtest started on %s at %v while %s runs it", e.Node, e.At.Format("15:04:05.000"), other)
				}
			}
			running[e.Node] = true
		case "stop-done", "crashed":
			delete(running, e.Node)
		}
	}
	for n := range running {
		return n
	}
	return ""
}

// LastStart is the time of the last start-done on node, zero if none.
func (l *Lab) LastStart(node string) time.Time {
	var at time.Time
	for _, e := range l.Events() {
		if e.Node == node && e.Event == "start-done" {
			at = e.At
		}
	}
	return at
}
