package interop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hbgo/tests/netlab"
)

// member is one cluster node, whichever daemon runs it.
type member interface {
	name() string
	kind() string // "hbgo" or "3.0.6"
	start(t *testing.T)
	stop(t *testing.T)  // graceful: heartbeat -k / SIGTERM
	crash(t *testing.T) // kill -9, resources die with it
	nodestatus(t *testing.T, other string) string
	rscstatus(t *testing.T) string
	log() string
	// down crashes the daemon if it still runs (end of a case that
	// failed half-way, so the next case in the lab starts clean).
	down()
}

type ours struct {
	n *netlab.OurNode
}

func (o *ours) name() string       { return o.n.Name }
func (o *ours) kind() string       { return "hbgo" }
func (o *ours) start(t *testing.T) { t.Helper(); o.n.Start(t) }
func (o *ours) stop(t *testing.T) {
	t.Helper()
	if err := o.n.Proc.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}
}
func (o *ours) crash(t *testing.T) { o.n.Crash() }
func (o *ours) nodestatus(t *testing.T, other string) string {
	out, _ := o.n.ClStatus(t, "nodestatus", other)
	return out
}
func (o *ours) rscstatus(t *testing.T) string {
	out, _ := o.n.ClStatus(t, "rscstatus")
	return out
}
func (o *ours) log() string {
	b, _ := os.ReadFile(filepath.Join(o.n.LogDir, "ha-log"))
	return string(b)
}
func (o *ours) down() {
	if o.n.Proc == nil {
		return
	}
	select {
	case <-o.n.Proc.Done():
	default:
		o.n.Crash()
	}
}

type real struct {
	r *netlab.RealNode
}

func (r *real) name() string       { return r.r.Name }
func (r *real) kind() string       { return "3.0.6" }
func (r *real) start(t *testing.T) { t.Helper(); r.r.Start(t) }
func (r *real) stop(t *testing.T)  { t.Helper(); r.r.Stop(t) }
func (r *real) crash(t *testing.T) { t.Helper(); r.r.Crash(t) }
func (r *real) nodestatus(t *testing.T, other string) string {
	out, _ := r.r.ClStatus("nodestatus", other)
	return out
}
func (r *real) rscstatus(t *testing.T) string {
	out, _ := r.r.ClStatus("rscstatus")
	return out
}
func (r *real) log() string { return r.r.Log() }
func (r *real) down() {
	if r.r.Running() {
		r.r.Kill()
	}
}

// configure writes setup s for a two-node lab where realNode runs 3.0.6 and
// the other node hbgo, and returns the members as n1, n2.
func configure(t *testing.T, l *netlab.Lab, realNode string, s netlab.Setup) (member, member) {
	t.Helper()
	var ms []member
	for _, n := range l.Nodes {
		if n == realNode {
			ms = append(ms, &real{l.ConfigureReal(t, n, s)})
		} else {
			ms = append(ms, &ours{l.Configure(n, s)})
		}
		m := ms[len(ms)-1]
		t.Cleanup(func() {
			m.down()
			checkLog(t, m)
			if t.Failed() {
				t.Logf("%s (%s) log:\n%s", m.name(), m.kind(), m.log())
				if o, ok := m.(*ours); ok {
					b, _ := os.ReadFile(filepath.Join(o.n.LogDir, "stdout"))
					t.Logf("stdout: %s", b)
				}
			}
		})
	}
	return ms[0], ms[1]
}

// waitStatus waits until a sees b with status want.
func waitStatus(t *testing.T, limit time.Duration, a, b member, want string) {
	t.Helper()
	start := time.Now()
	var got string
	for time.Since(start) < limit {
		if got = a.nodestatus(t, b.name()); got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s (%s) sees %s as %q, not %q within %v\n%s log:\n%s\n%s log:\n%s", a.name(), a.kind(), b.name(), got, want, limit,
		a.name(), tail(a.log(), 30), b.name(), tail(b.log(), 30))
}

// waitRsc waits until m's cl_status rscstatus reports want.
func waitRsc(t *testing.T, limit time.Duration, m member, want string) {
	t.Helper()
	start := time.Now()
	var got string
	for time.Since(start) < limit {
		if got = m.rscstatus(t); got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s (%s) rscstatus %q, not %q within %v\n%s", m.name(), m.kind(), got, want, limit, tail(m.log(), 60))
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// other is the node of the pair that is not real.
func other(realNode string) string {
	if realNode == "n1" {
		return "n2"
	}
	return "n1"
}

func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-node interop test")
	}
}

// benign are ERROR lines 3.0.6 writes in the lab whatever its peer does.
var benign = []string{
	"Cannot lock ourselves into memory", // mlockall is not allowed in the lab
	"Cannot chdir",
	// A timing complaint (CRIT when over deadtime): 3.0.6 pings once a
	// second whatever keepalive is, and a loaded host delays everything;
	// detection times are measured by TestKillDetected instead.
	"Late heartbeat: Node ",
	// The children of a 3.0.6 master killed with -9 (our crash) on the
	// way out.
	"Emergency Shutdown",
	"with SIGTERM",
	// 3.0.6's own scripts (mach_down, req_resource) write to its FIFO
	// with ha_clustermsg, which is not atomic: when two run at once their
	// >>> ... <<< blocks interleave and its FIFO reader rejects one.
	"NV failure (msgfromsteam)",
}

// checkLog fails the test for every ERROR or CRIT line in a member's log
// that is not benign: the peer daemon complaining about a message is an
// interoperation bug even when the cluster still works.
func checkLog(t *testing.T, m member) {
	t.Helper()
	n := 0
lines:
	for _, ln := range strings.Split(m.log(), "\n") {
		if !strings.Contains(ln, "ERROR:") && !strings.Contains(ln, "CRIT:") {
			continue
		}
		for _, b := range benign {
			if strings.Contains(ln, b) {
				continue lines
			}
		}
		if n++; n <= 10 {
			t.Errorf("%s (%s) logged: %s", m.name(), m.kind(), ln)
		}
	}
}
