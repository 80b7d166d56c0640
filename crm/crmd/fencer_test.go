package crmd

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/tengine"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
	"hbgo/stonith"
)

func TestFenceDelay(t *testing.T) {
	nodes := []string{"n1", "n2", "n3"}
	base := 5 * time.Second
	for _, tc := range []struct {
		self, victim string
		want         time.Duration
	}{
		{"n1", "n2", 0},        // the first-ranked node fences at once
		{"n2", "n1", base},     // the other side of the pair waits
		{"n3", "n1", 2 * base}, // by its rank
		{"n3", "n2", 2 * base}, //
		{"n2", "n3", 0},        // fencing a lower-ranked node is not delayed
		{"n9", "n1", 0},        // unknown fencer
		{"n2", "n9", 0},        // unknown victim
		{"n2", "n2", base},     // (self-fencing never comes here; stays well-defined)
	} {
		if got := FenceDelay(nodes, tc.self, tc.victim, base); got != tc.want {
			t.Errorf("FenceDelay(%s fences %s) = %v, want %v", tc.self, tc.victim, got, tc.want)
		}
	}
	if got := FenceDelay(nodes, "n3", "n1", 0); got != 0 {
		t.Errorf("zero base: %v", got)
	}
	// The rule's point: of a split pair exactly one side waits.
	for _, pair := range [][2]string{{"n1", "n2"}, {"n2", "n3"}, {"n1", "n3"}} {
		a, b := FenceDelay(nodes, pair[0], pair[1], base), FenceDelay(nodes, pair[1], pair[0], base)
		if (a == 0) == (b == 0) {
			t.Errorf("split %v: delays %v and %v, want exactly one side delayed", pair, a, b)
		}
	}
}

func TestSplitCanFence(t *testing.T) {
	for _, tc := range []struct {
		nodes  int
		policy string
		want   bool
	}{
		{2, "", true}, {2, "stop", true}, {3, "", false}, {3, "stop", false}, {3, "freeze", false},
		{3, "ignore", true}, {5, "ignore", true}, {1, "", false},
	} {
		if got := SplitCanFence(tc.nodes, tc.policy); got != tc.want {
			t.Errorf("SplitCanFence(%d, %q) = %v, want %v", tc.nodes, tc.policy, got, tc.want)
		}
	}
}

func TestParseDelay(t *testing.T) {
	for in, want := range map[string]time.Duration{"5s": 5 * time.Second, "2": 2 * time.Second, "500ms": 500 * time.Millisecond,
		" 1min ": time.Minute, "PT3S": 3 * time.Second, "0": 0} {
		if got, err := parseDelay(in); err != nil || got != want {
			t.Errorf("parseDelay(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "-5s", "5 parsecs"} {
		if got, err := parseDelay(in); err == nil {
			t.Errorf("parseDelay(%q) = %v, want an error", in, got)
		}
	}
}

type fakeDev struct {
	mu     sync.Mutex
	hosts  []string
	broken bool
	fenced []string
}

func (d *fakeDev) Status(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.broken {
		return stonith.ErrResetFail
	}
	return nil
}
func (d *fakeDev) Hosts(context.Context) ([]string, error) { return d.hosts, nil }
func (d *fakeDev) Fence(_ context.Context, a stonith.Action, host string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fenced = append(d.fenced, a.String()+" "+host)
	return nil
}
func (d *fakeDev) calls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.fenced...)
}

type fakeOpener struct {
	dev    *fakeDev
	params stonith.Params
	typ    string
}

func (o *fakeOpener) Open(_ context.Context, typ string, p stonith.Params) (stonith.Device, error) {
	if typ != "external/test" {
		return nil, stonith.ErrOops
	}
	o.typ, o.params = typ, p
	return o.dev, nil
}

func stonithOp(action string, params map[string]string) resourced.Op {
	return resourced.Op{Resource: "fence", Agent: resourced.Agent{Class: ClassStonith, Type: "external/test"},
		Action: action, Params: params}
}

func TestStonithResourceRegistersDevice(t *testing.T) {
	dev := &fakeDev{hosts: []string{"n1", "n2", "n3"}}
	op := &fakeOpener{dev: dev}
	table := newDeviceTable(op)
	passed := 0
	r := stonithRunner{table: table, next: resourced.RunnerFunc(func(context.Context, resourced.Op) resourced.Result {
		passed++
		return resourced.Result{Status: resourced.StatusDone, RC: ocf.Success}
	})}
	ctx := context.Background()
	rc := func(res resourced.Result) ocf.ExitCode {
		if res.Status != resourced.StatusDone {
			t.Fatalf("status %v", res.Status)
		}
		return res.RC
	}
	if got := rc(r.Run(ctx, stonithOp("monitor", nil))); got != ocf.NotRunning {
		t.Fatalf("probe before start: rc %v, want not running", got)
	}
	if got := rc(r.Run(ctx, stonithOp("start", map[string]string{"hostlist": "n1 n2 n3", "pcmk_delay_base": "3s", "pcmk_host_list": "x"}))); got != ocf.Success {
		t.Fatalf("start: rc %v", got)
	}
	if op.params["hostlist"] != "n1 n2 n3" || len(op.params) != 1 {
		t.Errorf("device params %v: want only the device's own", op.params)
	}
	devs, delay := table.list()
	if len(devs) != 1 || delay != 3*time.Second {
		t.Fatalf("registered %v delay %v", devs, delay)
	}
	if got := rc(r.Run(ctx, stonithOp("monitor", nil))); got != ocf.Success {
		t.Fatalf("monitor: rc %v", got)
	}
	dev.broken = true
	if got := rc(r.Run(ctx, stonithOp("monitor", nil))); got != ocf.ErrGeneric {
		t.Fatalf("monitor of a broken device: rc %v", got)
	}
	dev.broken = false
	if got := rc(r.Run(ctx, stonithOp("stop", nil))); got != ocf.Success {
		t.Fatalf("stop: rc %v", got)
	}
	if devs, _ := table.list(); len(devs) != 0 {
		t.Fatalf("still registered after stop: %v", devs)
	}
	if got := rc(r.Run(ctx, stonithOp("monitor", nil))); got != ocf.NotRunning {
		t.Fatalf("monitor after stop: rc %v", got)
	}
	bad := stonithOp("start", map[string]string{"pcmk_delay_base": "soon"})
	if got := rc(r.Run(ctx, bad)); got != ocf.ErrConfigured {
		t.Errorf("bad delay: rc %v", got)
	}
	unknown := stonithOp("start", nil)
	unknown.Agent.Type = "external/none"
	if got := rc(r.Run(ctx, unknown)); got != ocf.ErrInstalled {
		t.Errorf("unknown type: rc %v", got)
	}
	dev.broken = true
	if got := rc(r.Run(ctx, stonithOp("start", nil))); got != ocf.ErrGeneric {
		t.Errorf("start of a broken device: rc %v", got)
	}
	if devs, _ := table.list(); len(devs) != 0 {
		t.Errorf("a device that failed its start is registered: %v", devs)
	}
	if passed != 0 {
		t.Errorf("%d stonith operations went to the agent runner", passed)
	}
	r.Run(ctx, resourced.Op{Resource: "ip", Agent: resourced.Agent{Class: resourced.ClassOCF, Provider: "heartbeat", Type: "IPaddr2"}, Action: "start"})
	if passed != 1 {
		t.Errorf("an OCF operation did not reach the agent runner")
	}
	if md := metaDataSkippingStonith(func(context.Context, resourced.Agent) (*ocf.MetaData, error) {
		return nil, errors.New("asked")
	}); md != nil {
		if _, err := md(ctx, resourced.Agent{Class: ClassStonith, Type: "external/test"}); err != nil {
			t.Errorf("meta-data asked for a stonith agent: %v", err)
		}
	}
}

type recFencer struct {
	mu    sync.Mutex
	calls []string
}

func (f *recFencer) Fence(_ context.Context, node, action string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, node+" "+action)
	return nil
}

func quietLog() *logrus.Entry {
	l := logrus.New()
	l.SetLevel(logrus.PanicLevel)
	return logrus.NewEntry(l)
}

// TestNodeFencerDelayAndOrder: the registered devices are used first, the
// ha.cf fencer for hosts they do not control; a lower-ranked DC waits its
// delay (pcmk_delay_base of the device, else the default base) on the
// injected clock before it fences a higher-ranked node.
func TestNodeFencerDelayAndOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dev := &fakeDev{hosts: []string{"n1", "n2"}}
		table := newDeviceTable(&fakeOpener{dev: dev})
		r := stonithRunner{table: table}
		ctx := context.Background()
		if res := r.Run(ctx, stonithOp("start", map[string]string{"pcmk_delay_base": "4"})); res.RC != ocf.Success {
			t.Fatalf("start: %+v", res)
		}
		fb := &recFencer{}
		risk := &atomic.Bool{}
		f := nodeFencer{self: "n2", nodes: []string{"n1", "n2", "n3"}, splitRisk: risk, table: table, fallback: fb,
			delayBase: time.Minute, clock: resourced.RealClock(), log: quietLog()}

		// No split risk (the quorum decides which side fences): no delay.
		t0 := time.Now()
		if err := f.Fence(ctx, "n1", "reboot"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d != 0 {
			t.Errorf("fencing without split risk waited %v", d)
		}
		risk.Store(true)

		t0 = time.Now()
		if err := f.Fence(ctx, "n1", "reboot"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d != 4*time.Second {
			t.Errorf("n2 fenced n1 after %v, want the device's 4s", d)
		}
		if got := dev.calls(); len(got) != 2 || got[1] != "reset n1" {
			t.Errorf("device calls %v", got)
		}
		t0 = time.Now()
		if err := f.Fence(ctx, "n3", "reboot"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d != 0 {
			t.Errorf("fencing lower-ranked n3 waited %v", d)
		}
		if len(fb.calls) != 1 || fb.calls[0] != "n3 reboot" {
			t.Errorf("n3 (no registered device controls it) not fenced through ha.cf's devices: %v", fb.calls)
		}

		// Without registered devices the default base applies; a cancelled
		// request does not fence.
		r.Run(ctx, stonithOp("stop", nil))
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := f.Fence(cctx, "n1", "reboot"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("fencing within a 10s deadline behind a 1m delay: %v", err)
		}
		if len(fb.calls) != 1 {
			t.Errorf("fenced although the request ended during the delay: %v", fb.calls)
		}
		f.fallback = nil
		f.self = "n1"
		if err := f.Fence(ctx, "n2", "reboot"); !errors.Is(err, tengine.ErrNoFencer) {
			t.Errorf("no device at all: %v", err)
		}
	})
}
