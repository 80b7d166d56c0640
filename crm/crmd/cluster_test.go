package crmd_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/authkeys"
	"hbgo/crm/cibstore"
	"hbgo/crm/crmd"
	"hbgo/hacf"
	"hbgo/heartbeat/clock"
	"hbgo/heartbeat/daemon"
	"hbgo/heartbeat/media"
	"hbgo/heartbeat/media/memnet"
	"hbgo/heartbeat/wire"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
)

// world is where every resource of the test cluster runs. A start of a
// resource already running elsewhere fails the test: the cluster must
// never run a primitive twice (unless allowTwice: without fencing, a
// healing partition may, as with Pacemaker).
type world struct {
	t          *testing.T
	mu         sync.Mutex
	running    map[string]map[string]bool // resource -> nodes running it
	history    []string
	allowTwice bool
	// dead nodes were fenced: their late operations change nothing.
	dead map[string]bool
}

func newWorld(t *testing.T) *world {
	return &world{t: t, running: map[string]map[string]bool{}, dead: map[string]bool{}}
}

func (w *world) runner(node string) resourced.Runner {
	return resourced.RunnerFunc(func(_ context.Context, op resourced.Op) resourced.Result {
		w.mu.Lock()
		defer w.mu.Unlock()
		ok := resourced.Result{Status: resourced.StatusDone, RC: ocf.Success}
		if w.dead[node] {
			return resourced.Result{Status: resourced.StatusError, RC: ocf.ErrGeneric}
		}
		on := w.running[op.Resource]
		switch op.Action {
		case resourced.ActionStart:
			w.history = append(w.history, node+" start "+op.Resource)
			for other := range on {
				if other != node && !w.allowTwice {
					w.t.Errorf("%s starts %s while %s runs it\n%s", node, op.Resource, other, strings.Join(w.history, "\n"))
				}
			}
			if on == nil {
				on = map[string]bool{}
				w.running[op.Resource] = on
			}
			on[node] = true
		case resourced.ActionStop:
			w.history = append(w.history, node+" stop "+op.Resource)
			delete(on, node)
		case resourced.ActionMonitor, resourced.ActionStatus:
			if !on[node] {
				return resourced.Result{Status: resourced.StatusDone, RC: ocf.NotRunning}
			}
		}
		return ok
	})
}

// where returns the node running rsc, "" unless exactly one does.
func (w *world) where(rsc string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.running[rsc]) != 1 {
		return ""
	}
	for n := range w.running[rsc] {
		return n
	}
	return ""
}

// kill makes rsc stop on node by itself.
func (w *world) kill(rsc, node string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.running[rsc], node)
}

// lose forgets what ran on a crashed node.
func (w *world) lose(node string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, on := range w.running {
		delete(on, node)
	}
}

const clusterCf = `keepalive 200ms
deadtime 1
warntime 500ms
initdead 2
bcast eth0
crm on
node n1 n2 n3
`

type member struct {
	d      *daemon.Daemon
	cancel context.CancelFunc
	done   chan error
}

type cluster struct {
	t     *testing.T
	hub   *memnet.Hub
	w     *world
	dirs  map[string]string
	nodes map[string]*member
	gen   uint64
	// fencer is every node's fencing device (nil: none).
	fencer crmd.Fencer
	// devices opens the devices of stonith-class resources on a node
	// (nil: devices that control no host, so fencer is used).
	devices func(node string) crmd.DeviceOpener
	// haCf is ha.cf (default clusterCf).
	haCf string
}

func newCluster(t *testing.T) *cluster { return newClusterWith(t, "web-group.xml") }

func newClusterWith(t *testing.T, cibFile string) *cluster {
	c := &cluster{t: t, hub: memnet.NewHub(clock.Real(), 7), w: newWorld(t),
		dirs: map[string]string{}, nodes: map[string]*member{}}
	cibXML, err := os.ReadFile(filepath.Join("testdata", cibFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"n1", "n2", "n3"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "cib.xml"), cibXML, 0o600); err != nil {
			t.Fatal(err)
		}
		c.dirs[n] = dir
	}
	return c
}

func (c *cluster) start(name string) {
	t := c.t
	t.Helper()
	env := &hacf.FakeEnv{Ifaces: map[string]hacf.FakeIface{"eth0": {IPv4: true, Broadcast: true}},
		Files: map[string]bool{}, Users: map[string]bool{"hacluster": true}}
	for _, d := range []string{"ccm", "cib", "stonithd", "lrmd", "attrd", "crmd"} {
		env.Files[hacf.PacemakerDaemonDir+"/"+d] = true
	}
	haCf := c.haCf
	if haCf == "" {
		haCf = clusterCf
	}
	cfg, probs := hacf.Parse(strings.NewReader(haCf), hacf.Options{NodeName: name, Env: env})
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	ring, probs := authkeys.Parse(strings.NewReader("auth 1\n1 sha1 test-secret\n"), "authkeys")
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	l := logrus.New()
	l.SetOutput(io.Discard)
	if testing.Verbose() {
		l.SetOutput(logWriter{t})
		l.SetLevel(logrus.InfoLevel)
	}
	log := logrus.NewEntry(l).WithField("self", name)
	c.gen++
	var uuid [16]byte
	copy(uuid[:], name)
	gen := c.gen
	c.hub.RestoreEndpoint(name, "eth0") // after a crash
	var devices crmd.DeviceOpener = noHostDevices{}
	if c.devices != nil {
		devices = c.devices(name)
	}
	d, err := daemon.New(daemon.Options{Node: name, Config: cfg, Keyring: ring, Media: []media.Medium{c.hub.Join(name, "eth0")},
		Clock: clock.Real(), Log: log, UUID: uuid, Gen: gen, Version: "test",
		LoadAvg: func() string { return "0.00 0.00 0.00 1/1 1" },
		CRM: func(send func(*wire.Message)) (*crmd.Runtime, error) {
			return crmd.New(crmd.Config{Controller: crmd.ControllerConfig(cfg, name), CIBDir: c.dirs[name], Send: send,
				Manager: resourced.ManagerConfig{Runner: c.w.runner(name)}, Fencer: c.fencer, Devices: devices, Instance: fmt.Sprint(gen), Log: log}, time.Now())
		}})
	if err != nil {
		t.Fatal(err)
	}
	m := &member{d: d, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go func() { m.done <- d.Run(ctx) }()
	c.nodes[name] = m
}

// crash stops a node abruptly: no goodbye, its resources vanish with it.
func (c *cluster) crash(name string) {
	m := c.nodes[name]
	m.cancel()
	<-m.done
	for _, md := range []string{"eth0"} {
		c.hub.FailEndpoint(name, md)
	}
	delete(c.nodes, name)
	c.w.lose(name)
}

// dcs returns the DC each live node believes in.
func (c *cluster) dcs() map[string]string {
	out := map[string]string{}
	for name, m := range c.nodes {
		_ = m.d.WithCRM(func(r *crmd.Runtime) { out[name] = r.Membership().DC })
	}
	return out
}

// agreedDC returns the DC when every live node names the same one.
func (c *cluster) agreedDC() string {
	dc := ""
	for _, d := range c.dcs() {
		if d == "" || (dc != "" && d != dc) {
			return ""
		}
		dc = d
	}
	return dc
}

func (c *cluster) groupOn() string {
	ip, site := c.w.where("ip"), c.w.where("site")
	if ip != site {
		return ""
	}
	return ip
}

// waitFor polls cond every 50 ms of (bubble) time for up to limit.
func (c *cluster) waitFor(what string, limit time.Duration, cond func() bool) time.Duration {
	c.t.Helper()
	t0 := time.Now()
	for !cond() {
		if time.Since(t0) > limit {
			c.w.mu.Lock()
			h := strings.Join(c.w.history, "\n")
			c.w.mu.Unlock()
			c.t.Fatalf("%s: not within %s (DCs %v, running %v)\n%s", what, limit, c.dcs(), c.running(), h)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(t0)
}

func (c *cluster) running() []string {
	c.w.mu.Lock()
	defer c.w.mu.Unlock()
	var out []string
	for r, on := range c.w.running {
		for n := range on {
			out = append(out, r+"@"+n)
		}
	}
	sort.Strings(out)
	return out
}

func (c *cluster) stopAll() {
	for name := range c.nodes {
		c.crash(name)
	}
}

type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// settle lets the heartbeat startup period pass (peers advertise
// deadtime + 2 s for the first 5 s), so death detection takes deadtime.
func settle() { time.Sleep(6 * time.Second) }

// idleDC waits until the agreed DC has nothing left to do.
func (c *cluster) idleDC(limit time.Duration) {
	c.t.Helper()
	c.waitFor("DC idle", limit, func() bool {
		dc := c.agreedDC()
		if dc == "" {
			return false
		}
		idle := false
		_ = c.nodes[dc].d.WithCRM(func(r *crmd.Runtime) { idle = r.Idle() })
		return idle
	})
}

// TestThreeNodes: a DC is elected, the group starts on its preferred node
// and its replicas record it, the group moves when its node dies, a dead
// DC is replaced, and the node left alone (no quorum) starts nothing.
func TestThreeNodes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("DC elected", 15*time.Second, func() bool { return c.agreedDC() == "n1" })
		c.waitFor("group on its preferred node n2", 15*time.Second, func() bool { return c.groupOn() == "n2" })
		settle()
		c.idleDC(15 * time.Second)
		_ = c.nodes["n3"].d.WithCRM(func(r *crmd.Runtime) {
			x := string(r.CIB().Bytes())
			for _, want := range []string{`dc-uuid="n1"`, `have-quorum="1"`, `uname="n2"`, `operation_key="ip_start_0"`,
				`operation_key="site_monitor_1000"`, `crmd="online"`} {
				if !strings.Contains(x, want) {
					t.Errorf("n3's CIB lacks %s:\n%s", want, x)
				}
			}
		})

		c.crash("n2")
		took := c.waitFor("group moved off the dead n2", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		t.Logf("group moved to %s %s after n2 died (deadtime 1s; target deadtime + 1s)", c.groupOn(), took)
		c.idleDC(15 * time.Second)

		c.crash("n1")
		took = c.waitFor("n3 is DC", 15*time.Second, func() bool { return c.agreedDC() == "n3" })
		t.Logf("n3 became DC %s after n1 died (target deadtime + 300ms)", took)
		c.idleDC(15 * time.Second)
		time.Sleep(3 * time.Second)
		if r := c.running(); len(r) != 0 {
			t.Errorf("a node without quorum runs %v", r)
		}
		_ = c.nodes["n3"].d.WithCRM(func(r *crmd.Runtime) {
			if x := string(r.CIB().Bytes()); !strings.Contains(x, `have-quorum="0"`) || !strings.Contains(x, `dc-uuid="n3"`) {
				t.Errorf("n3's CIB does not record its lone DC role without quorum:\n%s", x)
			}
		})
	})
}

// TestDCDeathAndNoQuorumStop: the DC's death elects the next node while
// the group stays where it runs; when the group's node is then left alone
// it stops the group (no-quorum-policy stop by default).
func TestDCDeathAndNoQuorumStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)
		c.crash("n1")
		took := c.waitFor("n2 is DC", 15*time.Second, func() bool { return c.agreedDC() == "n2" })
		t.Logf("n2 became DC %s after DC n1 died", took)
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g != "n2" {
			t.Fatalf("group moved to %q on a DC change", g)
		}
		c.w.mu.Lock()
		h := strings.Join(c.w.history, "\n")
		c.w.mu.Unlock()
		if strings.Contains(h, "stop") {
			t.Errorf("a DC change stopped resources:\n%s", h)
		}

		c.crash("n3")
		c.waitFor("group stopped on n2 without quorum", 15*time.Second, func() bool { return len(c.running()) == 0 })
		c.w.mu.Lock()
		h = strings.Join(c.w.history, "\n")
		c.w.mu.Unlock()
		if !strings.Contains(h, "n2 stop site") || !strings.Contains(h, "n2 stop ip") {
			t.Errorf("the group was not stopped by n2:\n%s", h)
		}
	})
}

// setStandby edits node's standby attribute (nodes section, as crm_standby
// does) through the tools' backend of via, and waits for the commit.
func (c *cluster) setStandby(via, node, value string) {
	c.t.Helper()
	var b crmd.Backend
	_ = c.nodes[via].d.WithCRM(func(r *crmd.Runtime) { b = r.Backend() })
	x, err := b.Query(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	doc := string(x)
	// The node entry the DC wrote: <node id="n2" uname="n2" type="normal"/>.
	old := `<node id="` + node + `" uname="` + node + `" type="normal"/>`
	if i := strings.Index(doc, `<node id="`+node+`" uname="`+node+`" type="normal">`); i >= 0 {
		j := strings.Index(doc[i:], "</node>") + i + len("</node>")
		old = doc[i:j]
	}
	if !strings.Contains(doc, old) {
		c.t.Fatalf("no node entry for %s in\n%s", node, doc)
	}
	set := `<node id="` + node + `" uname="` + node + `" type="normal"><instance_attributes id="nodes-` + node +
		`"><nvpair id="nodes-` + node + `-standby" name="standby" value="` + value + `"/></instance_attributes></node>`
	nd, err := cibstore.Parse([]byte(strings.Replace(doc, old, set, 1)))
	if err != nil {
		c.t.Fatal(err)
	}
	// Bump the configuration version, as the tools do.
	v := nd.Version()
	nd = nd.WithVersion(cibstore.Version{AdminEpoch: v.AdminEpoch, Epoch: v.Epoch + 1})
	if err := b.Replace(context.Background(), nd.Bytes()); err != nil {
		c.t.Fatalf("standby %s=%s: %v", node, value, err)
	}
}

// TestStandbyAndStickiness: a standby node gives the group away; back
// online it gets it back only if its preference beats the stickiness.
func TestStandbyAndStickiness(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		c.setStandby("n3", "n2", "on")
		took := c.waitFor("group off standby n2", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		holder := c.groupOn()
		t.Logf("standby n2: group moved to %s in %s", holder, took)
		c.idleDC(15 * time.Second)

		// Stickiness 200 per member beats the preference 100 for n2.
		c.setStandby("n1", "n2", "off")
		c.idleDC(15 * time.Second)
		time.Sleep(3 * time.Second)
		if g := c.groupOn(); g != holder {
			t.Fatalf("group went from %s to %q although stickiness beats the preference", holder, g)
		}
	})
}

// TestGracefulShutdownMovesResourcesFirst: a node stopped with SIGTERM
// has the DC move its group away before it leaves.
func TestGracefulShutdownMovesResourcesFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		m := c.nodes["n2"]
		m.d.Shutdown()
		select {
		case err := <-m.done:
			if err != nil {
				t.Fatalf("n2 exited with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("n2 did not finish its shutdown")
		}
		m.cancel()
		delete(c.nodes, "n2")
		// Its group runs elsewhere already, moved by stop then start.
		if g := c.groupOn(); g != "n1" && g != "n3" {
			t.Fatalf("group on %q after n2 left (running %v)", g, c.running())
		}
		c.w.mu.Lock()
		h := strings.Join(c.w.history, "\n")
		c.w.mu.Unlock()
		if !strings.Contains(h, "n2 stop ip") {
			t.Errorf("n2 did not stop its resources:\n%s", h)
		}
	})
}

// TestMonitorFailureRecovers: a resource that dies under its monitor is
// recovered (stopped and started again), and its fail count is recorded
// in the replicas.
func TestMonitorFailureRecovers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		c.w.mu.Lock()
		starts := strings.Count(strings.Join(c.w.history, "\n"), "start site")
		c.w.mu.Unlock()
		c.w.kill("site", "n2") // it died by itself
		c.waitFor("site restarted", 15*time.Second, func() bool {
			c.w.mu.Lock()
			n := strings.Count(strings.Join(c.w.history, "\n"), "start site")
			c.w.mu.Unlock()
			return c.w.where("site") != "" && n > starts
		})
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g != "n2" {
			t.Errorf("group on %q after recovery, want n2", g)
		}
		_ = c.nodes["n3"].d.WithCRM(func(r *crmd.Runtime) {
			if x := string(r.CIB().Bytes()); !strings.Contains(x, `name="fail-count-site#monitor_1000" value="1"`) {
				t.Errorf("no fail count in n3's CIB:\n%s", x)
			}
		})
	})
}

// fakeFencer records fencing requests; fencing a node makes sure nothing
// runs there any more.
type fakeFencer struct {
	w      *world
	mu     sync.Mutex
	fenced []string
}

func (f *fakeFencer) Fence(_ context.Context, node, action string) error {
	f.mu.Lock()
	f.fenced = append(f.fenced, node+" "+action)
	f.mu.Unlock()
	f.w.lose(node)
	return nil
}

func (f *fakeFencer) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.fenced...)
}

// TestFencingBeforeRecovery: with stonith enabled, the dead holder is
// fenced by the DC before its group is started elsewhere.
func TestFencingBeforeRecovery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClusterWith(t, "web-group-fencing.xml")
		f := &fakeFencer{w: c.w}
		c.fencer = f
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)
		if got := f.calls(); len(got) != 0 {
			t.Fatalf("fenced at start-up: %v", got)
		}
		c.crash("n2")
		c.waitFor("group moved off the dead n2", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		if got := f.calls(); len(got) != 1 || got[0] != "n2 reboot" {
			t.Fatalf("fencing calls %v, want [n2 reboot]", got)
		}
		c.idleDC(15 * time.Second)
		_ = c.nodes["n1"].d.WithCRM(func(r *crmd.Runtime) {
			x := string(r.CIB().Bytes())
			if !strings.Contains(x, `uname="n2" in_ccm="false" crmd="offline" join="down" expected="down"`) {
				t.Errorf("n2 not recorded as down after fencing:\n%s", x)
			}
		})
	})
}

// TestRestartedNodeRejoins: a crashed node that comes back is probed,
// shown online again, and does not take the group back (stickiness).
func TestRestartedNodeRejoins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)
		c.crash("n2")
		c.waitFor("group moved", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		holder := c.groupOn()
		c.idleDC(15 * time.Second)

		c.start("n2")
		c.waitFor("n2 back in the CRM membership", 15*time.Second, func() bool {
			in := false
			_ = c.nodes["n1"].d.WithCRM(func(r *crmd.Runtime) {
				in = len(r.Membership().Members) == 3 && strings.Contains(string(r.CIB().Bytes()),
					`uname="n2" in_ccm="true" crmd="online" join="member" expected="member"`)
			})
			return in
		})
		settle()
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g != holder {
			t.Fatalf("group went from %s to %q when n2 came back", holder, g)
		}
		_ = c.nodes["n2"].d.WithCRM(func(r *crmd.Runtime) {
			if dc := r.Membership().DC; dc != "n1" {
				t.Errorf("n2 sees DC %q, want n1", dc)
			}
		})
	})
}

// TestRecheckInterval: an idle DC runs the policy engine again every
// cluster-recheck-interval.
func TestRecheckInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClusterWith(t, "web-group-recheck.xml")
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		c.idleDC(15 * time.Second)
		tid := func() (id int) {
			_ = c.nodes["n1"].d.WithCRM(func(r *crmd.Runtime) { id = r.TransitionID() })
			return id
		}
		before := tid()
		time.Sleep(11 * time.Second)
		if got := tid(); got < before+2 {
			t.Fatalf("transition id %d -> %d in 11 s with a 5 s recheck interval", before, got)
		}
	})
}

// TestPartitionAndHeal: cut off from the others, the DC loses quorum and
// the majority elects its own DC and keeps the group; healed, the cluster
// has one DC again and the group never ran twice.
func TestPartitionAndHeal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCluster(t)
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)

		c.hub.Partition([]string{"n1"}, []string{"n2", "n3"})
		c.waitFor("two DCs", 15*time.Second, func() bool {
			d := c.dcs()
			return d["n1"] == "n1" && d["n2"] == "n2" && d["n3"] == "n2"
		})
		c.waitFor("n1 without quorum", 15*time.Second, func() bool {
			q := true
			_ = c.nodes["n1"].d.WithCRM(func(r *crmd.Runtime) { q = r.Membership().Quorum })
			return !q
		})
		time.Sleep(3 * time.Second)
		if g := c.groupOn(); g != "n2" {
			t.Fatalf("group on %q during the partition, want n2", g)
		}

		// Without fencing, the side that regains quorum first may start
		// the group before the other side has stopped it (Pacemaker has
		// the same window); the merged cluster must end with one copy.
		c.w.mu.Lock()
		c.w.allowTwice = true
		c.w.mu.Unlock()
		c.hub.Heal()
		c.waitFor("one DC again", 20*time.Second, func() bool { return c.agreedDC() == "n1" })
		c.idleDC(15 * time.Second)
		time.Sleep(3 * time.Second)
		c.idleDC(15 * time.Second)
		if g := c.groupOn(); g == "" {
			t.Fatalf("group not running exactly once after healing (running %v)", c.running())
		}
		_ = c.nodes["n3"].d.WithCRM(func(r *crmd.Runtime) {
			x := string(r.CIB().Bytes())
			if strings.Count(x, `in_ccm="true" crmd="online" join="member" expected="member"`) != 3 || !strings.Contains(x, `dc-uuid="n1"`) {
				t.Errorf("n3's CIB after healing:\n%s", x)
			}
		})
	})
}

// TestStandbyWithoutStickinessReturns: without stickiness the group goes
// back to its preferred node once that node is online again.
func TestStandbyWithoutStickinessReturns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newClusterWith(t, "web-group-nosticky.xml")
		defer c.stopAll()
		for _, n := range []string{"n1", "n2", "n3"} {
			c.start(n)
		}
		c.waitFor("group on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" && c.agreedDC() == "n1" })
		settle()
		c.idleDC(15 * time.Second)
		c.setStandby("n3", "n2", "on")
		c.waitFor("group off standby n2", 15*time.Second, func() bool { g := c.groupOn(); return g == "n1" || g == "n3" })
		c.idleDC(15 * time.Second)
		c.setStandby("n3", "n2", "off")
		c.waitFor("group back on n2", 15*time.Second, func() bool { return c.groupOn() == "n2" })
	})
}
