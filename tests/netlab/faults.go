package netlab

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// Second-link addresses: a point-to-point /30 inside the lab range, away
// from the node addresses and the ping target, so that routes to the
// ping node keep going through eth0.
const (
	directA = Net + ".201"
	directB = Net + ".202"
)

// AddDirectLink joins nodes a and b with a second link, eth1 on both
// sides, addressed a=198.51.100.201/30 and b=198.51.100.202/30. It returns
// the two addresses. Use SetLink to cut it.
func (l *Lab) AddDirectLink(a, b string) (addrA, addrB string) {
	l.t.Helper()
	l.must("ip", "link", "add", "eth1", "netns", l.NS(a), "type", "veth", "peer", "name", "eth1", "netns", l.NS(b))
	for _, x := range []struct{ node, addr string }{{a, directA}, {b, directB}} {
		l.must("ip", "-n", l.NS(x.node), "addr", "add", x.addr+"/30", "brd", "+", "dev", "eth1")
		l.must("ip", "-n", l.NS(x.node), "link", "set", "eth1", "up")
	}
	return directA, directB
}

// SetLink brings a device of node's namespace up or down (eth1 of
// AddDirectLink; eth0 is better cut with LinkDown on the bridge side,
// which keeps the node's own address configured).
func (l *Lab) SetLink(node, dev string, up bool) {
	l.t.Helper()
	state := "down"
	if up {
		state = "up"
	}
	l.must("ip", "-n", l.NS(node), "link", "set", dev, state)
}

// BlockPing drops (or lets through again) node's ICMP to the ping target:
// the node loses its ping node while the heartbeat link stays intact.
func (l *Lab) BlockPing(node string, on bool) {
	l.t.Helper()
	testenv.RequireProgram(l.t, "iptables")
	op := "-D"
	if on {
		op = "-A"
	}
	if out, err := l.Exec(node, "iptables", op, "OUTPUT", "-p", "icmp", "-d", PingTarget, "-j", "DROP"); err != nil {
		l.t.Fatalf("iptables: %v\n%s", err, out)
	}
}

// Script is a resource.d script in the style of HBTest that logs to its
// own event file in the lab directory (so several groups can be followed
// separately) and can be told to fail.
type Script struct {
	Name      string // resource.d name; the event log is <lab>/<Name>.events.log
	FailStart bool   // start logs start-begin, then exits 1 without running
	FailStop  bool   // stop logs stop-begin, then exits 1 and keeps running
}

// Body renders the script for node, whose run directory holds the state.
func (s Script) Body(l *Lab, node string) string {
	startFail, stopFail := "", ""
	if s.FailStart {
		startFail = `echo "$(now) $NODE start-failed" >> $LOG; exit 1`
	}
	if s.FailStop {
		stopFail = `echo "$(now) $NODE stop-failed" >> $LOG; exit 1`
	}
	return fmt.Sprintf(`#!/bin/sh
LOG=%s
STATE=%s
NODE=%s
now() { date +%%s%%N; }
case "$1" in
start)  echo "$(now) $NODE start-begin" >> $LOG; %s
        : > $STATE; echo "$(now) $NODE start-done" >> $LOG ;;
stop)   echo "$(now) $NODE stop-begin" >> $LOG; %s
        rm -f $STATE; echo "$(now) $NODE stop-done" >> $LOG ;;
status) if [ -f $STATE ]; then echo running; else echo stopped; fi ;;
*) echo "usage: $0 start|stop|status"; exit 1 ;;
esac
exit 0
`, l.ScriptLog(s.Name), l.StateFile(node, s.Name), node, startFail, stopFail)
}

// ScriptLog is the event log of a Script; "hbtest" names the HBTest log.
func (l *Lab) ScriptLog(name string) string {
	if name == "hbtest" {
		return l.Path("events.log")
	}
	return l.Path(name + ".events.log")
}

// StateFile is where a Script keeps its "running" state on node.
func (l *Lab) StateFile(node, name string) string { return l.Path(node, "run", name+".state") }

// EventsOf reads the event log of a Script.
func (l *Lab) EventsOf(name string) []Event { return readEvents(l.ScriptLog(name)) }

// RunningOf returns the nodes on which the Script runs according to its
// event log (started, not stopped since, node not crashed). Unlike Holder
// it does not fail on overlap: a split brain is expected to show two.
func (l *Lab) RunningOf(name string) map[string]bool {
	running := map[string]bool{}
	for _, e := range l.EventsOf(name) {
		switch e.Event {
		case "start-done":
			running[e.Node] = true
		case "stop-done", "crashed":
			delete(running, e.Node)
		}
	}
	return running
}

// HolderOf is the node running the Script alone, "" when none does, and
// fails the test when two run it.
func (l *Lab) HolderOf(t testing.TB, name string) string {
	t.Helper()
	r := l.RunningOf(name)
	if len(r) > 1 {
		t.Fatalf("%s runs on %v at once", name, r)
	}
	for n := range r {
		return n
	}
	return ""
}

// StartsOf lists the times of the Script's start-done events on node.
func (l *Lab) StartsOf(name, node string) []time.Time {
	var out []time.Time
	for _, e := range l.EventsOf(name) {
		if e.Node == node && e.Event == "start-done" {
			out = append(out, e.At)
		}
	}
	return out
}

// StartEnv is Start with extra environment variables (K=V) for the daemon.
func (n *OurNode) StartEnv(t testing.TB, env ...string) {
	t.Helper()
	if n.Bin == "" {
		n.Bin = testenv.Bin(t, "heartbeat")
	}
	_ = os.Remove(filepath.Join(n.RunDir, "hbtest.state"))
	args := append([]string{"env"}, env...)
	args = append(args, n.Bin, "--foreground", "--config-dir", n.ConfDir, "--state-dir", n.StateDir,
		"--run-dir", n.RunDir, "--node-name", n.Name)
	n.Proc = n.Lab.Start(n.Name, filepath.Join(n.LogDir, "stdout"), args...)
}

// HaLog is the node's ha-log so far.
func (n *OurNode) HaLog() string {
	b, _ := os.ReadFile(filepath.Join(n.LogDir, "ha-log"))
	return string(b)
}

// LogCount counts the ha-log lines containing substr.
func (n *OurNode) LogCount(substr string) int {
	c := 0
	for _, line := range strings.Split(n.HaLog(), "\n") {
		if strings.Contains(line, substr) {
			c++
		}
	}
	return c
}

// Tool runs one of our command-line tools (hb_standby, hb_takeover,
// cl_status) in the node's namespace against its daemon.
func (n *OurNode) Tool(t testing.TB, name string, args ...string) (string, error) {
	out, err := n.Lab.Exec(n.Name, append([]string{testenv.Bin(t, name), "--run-dir", n.RunDir}, args...)...)
	return strings.TrimSpace(out), err
}

// readEvents parses an event log written by a Script ("<ns> <node> <event>").
func readEvents(path string) []Event {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []Event
	for _, line := range strings.Split(string(b), "\n") {
		fs := strings.Fields(line)
		if len(fs) != 3 {
			continue
		}
		var ns int64
		if _, err := fmt.Sscan(fs[0], &ns); err != nil {
			continue
		}
		out = append(out, Event{At: time.Unix(0, ns), Node: fs[1], Event: fs[2]})
	}
	return out
}

// CrashWith is Crash for a node that also runs Scripts: their state goes
// with the node and a "crashed" event is logged for each.
func (n *OurNode) CrashWith(names ...string) {
	n.Crash()
	for _, name := range names {
		_ = os.Remove(n.Lab.StateFile(n.Name, name))
		if f, err := os.OpenFile(n.Lab.ScriptLog(name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err == nil {
			fmt.Fprintf(f, "%d %s crashed\n", time.Now().UnixNano(), n.Name)
			f.Close()
		}
	}
}

// ConfigureWith is Configure with Scripts rendered for node.
func (l *Lab) ConfigureWith(node string, s Setup, scripts ...Script) *OurNode {
	l.t.Helper()
	m := map[string]string{}
	for k, v := range s.Scripts {
		m[k] = v
	}
	for _, sc := range scripts {
		m[sc.Name] = sc.Body(l, node)
	}
	s.Scripts = m
	return l.Configure(node, s)
}
