package netlab

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hbgo/internal/testenv"
)

// Net is the /24 the labs use.
const Net = "198.51.100"

// PingTarget is the address of the lab's ping node.
const PingTarget = Net + ".254"

// Lab is one isolated network of nodes.
type Lab struct {
	t      testing.TB
	Prefix string // namespace name prefix, unique per run
	Nodes  []string
	Dir    string // per-lab scratch directory
	mu     sync.Mutex
	procs  []*Proc
}

// New builds n nodes named n1..nN plus the ping target. It skips the test
// when not root or iproute2 is missing.
func New(t testing.TB, n int) *Lab {
	t.Helper()
	testenv.RequireRoot(t)
	testenv.RequireProgram(t, "ip")
	var rnd [3]byte
	_, _ = rand.Read(rnd[:])
	l := &Lab{t: t, Prefix: fmt.Sprintf("hl%d%s-", os.Getpid()%100000, hex.EncodeToString(rnd[:])), Dir: t.TempDir()}
	t.Cleanup(l.teardown)
	br := l.Prefix + "br"
	l.must("ip", "netns", "add", br)
	l.must("ip", "-n", br, "link", "add", "br0", "type", "bridge")
	l.must("ip", "-n", br, "link", "set", "br0", "up")
	add := func(name, addr string) {
		ns := l.Prefix + name
		l.must("ip", "netns", "add", ns)
		l.must("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p-"+name, "netns", br)
		l.must("ip", "-n", br, "link", "set", "p-"+name, "master", "br0", "up")
		l.must("ip", "-n", ns, "link", "set", "lo", "up")
		l.must("ip", "-n", ns, "addr", "add", addr+"/24", "brd", "+", "dev", "eth0")
		l.must("ip", "-n", ns, "link", "set", "eth0", "up")
	}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("n%d", i)
		add(name, fmt.Sprintf("%s.%d", Net, i))
		l.Nodes = append(l.Nodes, name)
	}
	add("router", PingTarget)
	return l
}

func (l *Lab) must(args ...string) {
	l.t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		l.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// NS is the namespace of a node.
func (l *Lab) NS(node string) string { return l.Prefix + node }

// Addr is a node's address.
func (l *Lab) Addr(node string) string {
	var i int
	fmt.Sscanf(node, "n%d", &i)
	return fmt.Sprintf("%s.%d", Net, i)
}

// Exec runs a command inside a node's namespace and returns its combined
// output.
func (l *Lab) Exec(node string, args ...string) (string, error) {
	out, err := exec.Command("ip", append([]string{"netns", "exec", l.NS(node)}, args...)...).CombinedOutput()
	return string(out), err
}

// LinkDown cuts (or restores) a node's only link.
func (l *Lab) LinkDown(node string, down bool) {
	state := "up"
	if down {
		state = "down"
	}
	l.must("ip", "-n", l.Prefix+"br", "link", "set", "p-"+node, state)
}

// Loss drops the given fraction (0..1) of heartbeat packets (UDP 694)
// arriving at node; 0 removes the rule.
func (l *Lab) Loss(node string, fraction float64) {
	l.t.Helper()
	testenv.RequireProgram(l.t, "iptables")
	_, _ = l.Exec(node, "iptables", "-F", "INPUT")
	if fraction > 0 {
		if out, err := l.Exec(node, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "694", "-m", "statistic",
			"--mode", "random", "--probability", fmt.Sprint(fraction), "-j", "DROP"); err != nil {
			l.t.Fatalf("iptables: %v\n%s", err, out)
		}
	}
}

// Partition isolates node from the others on the heartbeat port while
// keeping the ping target reachable (a split brain), or heals it.
func (l *Lab) Partition(node string, on bool) {
	l.t.Helper()
	testenv.RequireProgram(l.t, "iptables")
	_, _ = l.Exec(node, "iptables", "-F", "INPUT")
	_, _ = l.Exec(node, "iptables", "-F", "OUTPUT")
	if on {
		for _, ch := range []string{"INPUT", "OUTPUT"} {
			if out, err := l.Exec(node, "iptables", "-A", ch, "-p", "udp", "--dport", "694", "-j", "DROP"); err != nil {
				l.t.Fatalf("iptables: %v\n%s", err, out)
			}
		}
	}
}

func (l *Lab) teardown() {
	l.mu.Lock()
	procs := l.procs
	l.mu.Unlock()
	for _, p := range procs {
		p.Kill()
	}
	for _, n := range append(append([]string{}, l.Nodes...), "router", "br") {
		// processes a test left in the namespace (resources) go with it
		if out, err := exec.Command("ip", "netns", "pids", l.Prefix+n).Output(); err == nil {
			for _, f := range strings.Fields(string(out)) {
				var pid int
				fmt.Sscan(f, &pid)
				if pid > 0 {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		_ = exec.Command("ip", "netns", "del", l.Prefix+n).Run()
	}
}

// Proc is a process started in a node's namespace.
type Proc struct {
	Node string
	Cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// Start runs a command in node's namespace, output to logPath.
func (l *Lab) Start(node, logPath string, args ...string) *Proc {
	l.t.Helper()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		l.t.Fatal(err)
	}
	cmd := exec.Command("ip", append([]string{"netns", "exec", l.NS(node)}, args...)...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		l.t.Fatal(err)
	}
	p := &Proc{Node: node, Cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	l.mu.Lock()
	l.procs = append(l.procs, p)
	l.mu.Unlock()
	return p
}

// Kill sends SIGKILL (a crash of the daemon) and waits for the exit.
func (p *Proc) Kill() {
	_ = p.Cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop sends SIGTERM and waits up to limit for the exit.
func (p *Proc) Stop(limit time.Duration) error {
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(limit):
		return fmt.Errorf("%s: still running %v after SIGTERM", p.Node, limit)
	}
}

// Done is closed when the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Eventually polls cond every 10 ms until it holds or limit passes, and
// returns how long it took.
func Eventually(t testing.TB, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// Path joins elements under the lab directory.
func (l *Lab) Path(elem ...string) string { return filepath.Join(append([]string{l.Dir}, elem...)...) }
