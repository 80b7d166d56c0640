package daemon

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/authkeys"
	"hbgo/hacf"
	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/failover"
	"hbgo/heartbeat/media"
	"hbgo/heartbeat/media/memnet"
	"hbgo/heartbeat/membership"
	"hbgo/heartbeat/rscmgr"
)

// world is the resources of the whole test cluster: which node runs what.
// Starting a group already running elsewhere fails the test.
type world struct {
	t       *testing.T
	mu      sync.Mutex
	running map[string]string // token -> node
	history []string
}

type nodeScripts struct {
	w    *world
	node string
}

func (s nodeScripts) Running(_ context.Context, tok string) bool {
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	return s.w.running[tok] == s.node
}

func (s nodeScripts) Do(_ context.Context, tok, action string) (int, error) {
	s.w.mu.Lock()
	defer s.w.mu.Unlock()
	s.w.history = append(s.w.history, fmt.Sprintf("%s %s %s", s.node, action, tok))
	switch action {
	case "start":
		if other, ok := s.w.running[tok]; ok && other != s.node {
			s.w.t.Errorf("%s started %s while %s runs it\n%s", s.node, tok, other, strings.Join(s.w.history, "\n"))
		}
		s.w.running[tok] = s.node
	case "stop":
		if s.w.running[tok] == s.node {
			delete(s.w.running, tok)
		}
	}
	return 0, nil
}

func (w *world) where(tok string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running[tok]
}

const testHaCf = `keepalive 100ms
deadtime 500ms
warntime 300ms
initdead 1
bcast eth0
auto_failback %s
node n1 n2
`

type testNode struct {
	name   string
	d      *Daemon
	cancel context.CancelFunc
	done   chan error
	events []membership.Event
	mu     sync.Mutex
}

type testCluster struct {
	t     *testing.T
	hub   *memnet.Hub
	w     *world
	nodes map[string]*testNode
	gen   uint64
	fb    string
	// extraCf is appended to ha.cf; ipfail enables the built-in ipfail;
	// ping gives a node's ping media.
	extraCf string
	ipfail  bool
	ping    func(node string) []media.Medium
	fencer  Fencer
	media   []string // heartbeat media of every node; nil means eth0 only
}

func newCluster(t *testing.T, failback string) *testCluster {
	return &testCluster{t: t, hub: memnet.NewHub(clock.Real(), 1), w: &world{t: t, running: map[string]string{}},
		nodes: map[string]*testNode{}, fb: failback}
}

func (c *testCluster) start(name string) *testNode {
	c.t.Helper()
	env := &hacf.FakeEnv{Ifaces: map[string]hacf.FakeIface{"eth0": {IPv4: true, Broadcast: true}}}
	cfg, probs := hacf.Parse(strings.NewReader(fmt.Sprintf(testHaCf, c.fb)+c.extraCf), hacf.Options{NodeName: name, Env: env})
	if err := probs.Err(); err != nil {
		c.t.Fatal(err)
	}
	ring, probs := authkeys.Parse(strings.NewReader("auth 1\n1 sha1 test-secret\n"), "authkeys")
	if err := probs.Err(); err != nil {
		c.t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(io.Discard)
	if testing.Verbose() {
		l.SetOutput(testWriter{c.t, name})
		l.SetLevel(logrus.DebugLevel)
	}
	groups := []rscmgr.Group{{Key: "ip1", Resources: []string{"ip1", "svc1"}}, {Key: "ip2", Resources: []string{"ip2"}}}
	c.gen++
	n := &testNode{name: name, done: make(chan error, 1)}
	names := c.media
	if len(names) == 0 {
		names = []string{"eth0"}
	}
	var med []media.Medium
	for _, m := range names {
		med = append(med, c.hub.Join(name, m))
	}
	var uuid [16]byte
	copy(uuid[:], name)
	d, err := New(Options{
		Node: name, Config: cfg, Keyring: ring,
		Groups:   []failover.Group{{Key: "ip1", Home: "n1"}, {Key: "ip2", Home: "n2"}},
		Media:    med,
		IPFail:   c.ipfail,
		Fencer:   c.fencer,
		Clock:    clock.Real(),
		Log:      logrus.NewEntry(l).WithField("self", name),
		UUID:     uuid,
		Gen:      c.gen,
		Resource: rscmgr.New(groups, nodeScripts{c.w, name}, logrus.NewEntry(l)),
		Version:  "test",
		LoadAvg:  func() string { return "0.00 0.00 0.00 1/1 1" },
		Events: func(e membership.Event) {
			n.mu.Lock()
			n.events = append(n.events, e)
			n.mu.Unlock()
		},
	})
	if err != nil {
		c.t.Fatal(err)
	}
	if c.ping != nil {
		d.opt.Ping = c.ping(name)
		for _, m := range d.opt.Ping {
			d.pingNames[m.Name()] = true
		}
	}
	n.d = d
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	go func() { n.done <- d.Run(ctx) }()
	c.nodes[name] = n
	return n
}

// crash stops a node abruptly: no shutdone, resources vanish with it.
func (c *testCluster) crash(name string) {
	n := c.nodes[name]
	n.cancel()
	<-n.done
	for _, m := range n.d.opt.Media {
		m.Close()
	}
	c.w.mu.Lock()
	for tok, at := range c.w.running {
		if at == name {
			delete(c.w.running, tok)
		}
	}
	c.w.mu.Unlock()
}

type testWriter struct {
	t    *testing.T
	name string
}

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func (c *testCluster) expect(tok, node string) {
	c.t.Helper()
	if got := c.w.where(tok); got != node {
		c.t.Fatalf("%s runs on %q, want %q\n%s", tok, got, node, strings.Join(c.w.history, "\n"))
	}
}

func TestTwoNodesStartTakeOverAndFailBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t, "on")
		c.start("n1")
		c.start("n2")
		time.Sleep(13 * time.Second) // RQSTDELAY 10 s after both start
		c.expect("ip1", "n1")
		c.expect("svc1", "n1")
		c.expect("ip2", "n2")
		s := c.nodes["n2"].d.Snapshot()
		if s.RscStatus != "local" || s.FindNode("n1").Status != "active" {
			t.Fatalf("n2 snapshot %+v", s)
		}

		t0 := time.Now()
		c.crash("n1")
		for c.w.where("svc1") != "n2" {
			time.Sleep(10 * time.Millisecond)
			if time.Since(t0) > 5*time.Second {
				t.Fatalf("no takeover\n%s", strings.Join(c.w.history, "\n"))
			}
		}
		took := time.Since(t0)
		if took > 500*time.Millisecond+100*time.Millisecond+50*time.Millisecond {
			t.Errorf("takeover took %v, want <= deadtime + keepalive", took)
		}
		c.expect("ip1", "n2")

		c.start("n1")
		time.Sleep(5 * time.Second)
		c.expect("ip1", "n1")
		c.expect("ip2", "n2")

		c.nodes["n2"].d.Shutdown()
		if err := <-c.nodes["n2"].done; err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		c.expect("ip2", "n1")
		c.crash("n1")
	})
}

// TestSecondMediumStaysUp: with two media every message arrives twice;
// the second copy is a duplicate for reliable delivery but still proves
// its link alive (3.0.6 updates a link for every authentic packet), so
// neither link may be declared dead while both carry traffic.
func TestSecondMediumStaysUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t, "on")
		c.media = []string{"eth0", "eth1"}
		c.start("n1")
		c.start("n2")
		time.Sleep(5 * time.Second)
		for _, name := range []string{"n1", "n2"} {
			n := c.nodes[name]
			peer := map[string]string{"n1": "n2", "n2": "n1"}[name]
			snap := n.d.Snapshot()
			st := snap.FindNode(peer)
			if st == nil {
				t.Fatalf("%s: no node %s in the snapshot", name, peer)
			}
			for _, want := range c.media {
				found := false
				for _, l := range st.Links {
					if l.Name == want {
						found = true
						if l.Status != string(membership.LinkStatusUp) {
							t.Errorf("%s: link %s:%s is %s", name, peer, want, l.Status)
						}
					}
				}
				if !found {
					t.Errorf("%s: link %s:%s never heard", name, peer, want)
				}
			}
			n.mu.Lock()
			for _, e := range n.events {
				if e.Kind == membership.LinkDead {
					t.Errorf("%s: %v", name, e)
				}
			}
			n.mu.Unlock()
		}
		c.crash("n1")
		c.crash("n2")
	})
}
