package crmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"hbgo/crm/cib"
	"hbgo/crm/cibstore"
	"hbgo/crm/tengine"
	"hbgo/resourced"
	"hbgo/resourced/ocf"
	"hbgo/stonith"
)

// ClassStonith is the agent class of fencing-device resources
// (class="stonith" type="external/ssh" ...).
const ClassStonith resourced.Class = "stonith"

// DelayBaseParam is the device parameter that sets the base of the
// fencing delay; it borrows Pacemaker's pcmk_delay_base name, but here the
// base is scaled by the fencing node's rank (FenceDelay). Like every
// pcmk_* parameter it is not passed to the device.
const DelayBaseParam = "pcmk_delay_base"

// DefaultFenceDelayBase is the fencing delay base when no registered
// device sets pcmk_delay_base: long enough for the first-ranked node of a
// split pair to finish fencing before the other's delay ends.
const DefaultFenceDelayBase = 5 * time.Second

// DeviceOpener creates a configured device from its type and parameters;
// *registry.Registry is one.
type DeviceOpener interface {
	Open(ctx context.Context, typ string, params stonith.Params) (stonith.Device, error)
}

// ErrNoOpener is returned (as the start's exit reason) when a stonith
// resource is started on a node configured without a DeviceOpener.
var ErrNoOpener = errors.New("no fencing device registry")

// FenceDelay is the static delay before self fences victim, the rule that
// keeps the two sides of a split pair from shooting each other at once:
// each side is DC of its own partition and fences the other, so the node
// listed first (ha.cf node order) fences at once and a later-ranked node
// waits base times its rank when its victim ranks before it. The
// first-ranked survivor has fenced it by then. Fencing a lower-ranked
// node, or a node outside the list, is not delayed.
func FenceDelay(nodes []string, self, victim string, base time.Duration) time.Duration {
	rs, rv := slices.Index(nodes, self), slices.Index(nodes, victim)
	if rs <= 0 || rv < 0 || rv > rs || base <= 0 {
		return 0
	}
	return base * time.Duration(rs)
}

// deviceTable is this node's fencer: the devices registered by the start
// of its stonith-class resources (the role of stonithd, in the same
// process). As with Heartbeat 2.x's stonithd, a node fences only with the
// devices started on it, so a DC-independent device is configured as a
// clone. Safe for concurrent use.
type deviceTable struct {
	mu   sync.Mutex
	open DeviceOpener
	devs map[string]registered // resource id -> device
}

type registered struct {
	typ   string
	dev   stonith.Device
	delay time.Duration // pcmk_delay_base, 0 when unset
}

func newDeviceTable(open DeviceOpener) *deviceTable {
	return &deviceTable{open: open, devs: map[string]registered{}}
}

// list returns the registered devices, ordered by resource id.
func (t *deviceTable) list() ([]stonith.Named, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.devs))
	for id := range t.devs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []stonith.Named
	var delay time.Duration
	for _, id := range ids {
		d := t.devs[id]
		out = append(out, stonith.Named{Name: id + " (" + d.typ + ")", Device: d.dev})
		delay = max(delay, d.delay)
	}
	return out, delay
}

// stonithRunner runs the operations of stonith-class resources against
// the device table and passes every other operation on: start opens the
// device, checks it and registers it; stop unregisters it; a monitor
// checks a registered device (not registered: not running).
type stonithRunner struct {
	next  resourced.Runner
	table *deviceTable
}

func (s stonithRunner) Run(ctx context.Context, op resourced.Op) resourced.Result {
	if op.Agent.Class != ClassStonith {
		return s.next.Run(ctx, op)
	}
	t0 := time.Now()
	res := s.run(ctx, op)
	res.Duration = time.Since(t0)
	return res
}

func (s stonithRunner) run(ctx context.Context, op resourced.Op) resourced.Result {
	ok := resourced.Result{Status: resourced.StatusDone, RC: ocf.Success}
	fail := func(rc ocf.ExitCode, err error) resourced.Result {
		return resourced.Result{Status: resourced.StatusDone, RC: rc, ExitReason: err.Error()}
	}
	if op.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, op.Timeout)
		defer cancel()
	}
	t := s.table
	switch op.Action {
	case resourced.ActionStart:
		if t.open == nil {
			return fail(ocf.ErrInstalled, ErrNoOpener)
		}
		params, delay, err := deviceParams(op.Params)
		if err != nil {
			return fail(ocf.ErrConfigured, err)
		}
		dev, err := t.open.Open(ctx, op.Agent.Type, params)
		if err != nil {
			return fail(ocf.ErrInstalled, fmt.Errorf("open %s: %w", op.Agent.Type, err))
		}
		if err := dev.Status(ctx); err != nil {
			return fail(ocf.ErrGeneric, fmt.Errorf("%s status: %w", op.Agent.Type, err))
		}
		t.mu.Lock()
		t.devs[op.Resource] = registered{typ: op.Agent.Type, dev: dev, delay: delay}
		t.mu.Unlock()
		return ok
	case resourced.ActionStop:
		t.mu.Lock()
		delete(t.devs, op.Resource)
		t.mu.Unlock()
		return ok
	case resourced.ActionMonitor, resourced.ActionStatus:
		t.mu.Lock()
		d, found := t.devs[op.Resource]
		t.mu.Unlock()
		if !found {
			return resourced.Result{Status: resourced.StatusDone, RC: ocf.NotRunning}
		}
		if err := d.dev.Status(ctx); err != nil {
			return fail(ocf.ErrGeneric, fmt.Errorf("%s status: %w", d.typ, err))
		}
		return ok
	case resourced.ActionValidate, resourced.ActionMetaData:
		return ok
	}
	return fail(ocf.ErrUnimplemented, fmt.Errorf("stonith resources have no %q action", op.Action))
}

// deviceParams splits a stonith resource's instance attributes into the
// device's parameters and the fencer's own (pcmk_*), of which
// pcmk_delay_base is used.
func deviceParams(in map[string]string) (stonith.Params, time.Duration, error) {
	p := stonith.Params{}
	var delay time.Duration
	for k, v := range in {
		if !strings.HasPrefix(k, "pcmk_") {
			p[k] = v
			continue
		}
		if k == DelayBaseParam {
			d, err := parseDelay(v)
			if err != nil {
				return nil, 0, fmt.Errorf("%s=%q: %w", k, v, err)
			}
			delay = d
		}
	}
	return p, delay, nil
}

// parseDelay reads a delay written as a Pacemaker interval ("5s", "2",
// "500ms", "PT5S").
func parseDelay(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	ms, ok := cib.ParseIntervalMS(v)
	if v == "" || !ok || ms < 0 {
		return 0, errors.New("not a delay")
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// SplitCanFence reports whether the two sides of a split could both
// fence, which is when the fencing delay is needed: a partition without
// quorum does not fence (unless no-quorum-policy=ignore), and of a
// cluster of more than two nodes at most one side keeps quorum; two
// nodes keep it each (the two-node rule).
func SplitCanFence(nodes int, noQuorumPolicy string) bool {
	return nodes == 2 || noQuorumPolicy == "ignore"
}

// crmOption reads a cluster option from crm_config.
func crmOption(root *cibstore.Node, name string) (string, bool) {
	cc := section(root, cibstore.SectionConfiguration, "crm_config")
	if cc == nil {
		return "", false
	}
	for _, set := range cc.Children {
		for _, p := range set.Children {
			if n, _ := p.Attr("name"); p.Name == "nvpair" && n == name {
				return p.Attr("value")
			}
		}
	}
	return "", false
}

// nodeFencer fences for the DC: after the delay of FenceDelay when a
// split could make both sides fence (splitRisk, set by the DC from the
// CIB of each transition), with the registered devices first and then
// the configured fallback (ha.cf's stonith devices).
type nodeFencer struct {
	self      string
	nodes     []string
	splitRisk *atomic.Bool
	table     *deviceTable
	fallback  Fencer
	delayBase time.Duration // when no device sets pcmk_delay_base
	clock     resourced.Clock
	log       *logrus.Entry
}

func (f nodeFencer) Fence(ctx context.Context, node, action string) error {
	devs, base := f.table.list()
	if base == 0 {
		base = f.delayBase
	}
	if d := FenceDelay(f.nodes, f.self, node, base); d > 0 && f.splitRisk.Load() {
		f.log.WithField("node", node).Infof("delaying the fencing of %s by %s (it ranks before %s)", node, d, f.self)
		done := make(chan struct{})
		tm := f.clock.AfterFunc(d, func() { close(done) })
		select {
		case <-done:
		case <-ctx.Done():
			tm.Stop()
			return fmt.Errorf("fence %s: %w", node, ctx.Err())
		}
	}
	var err error
	if len(devs) > 0 {
		err = tengine.StonithFencer{Devices: devs, Log: f.log}.Fence(ctx, node, action)
		if err == nil || f.fallback == nil || stonith.CodeOf(err) != stonith.BadHost {
			return err
		}
	}
	if f.fallback == nil {
		if err != nil {
			return err
		}
		return fmt.Errorf("fence %s: %w", node, tengine.ErrNoFencer)
	}
	return f.fallback.Fence(ctx, node, action)
}

// metaDataSkippingStonith wraps md so stonith-class agents (which have
// no OCF meta-data) get none.
func metaDataSkippingStonith(md resourced.MetaDataFunc) resourced.MetaDataFunc {
	if md == nil {
		return nil
	}
	return func(ctx context.Context, a resourced.Agent) (*ocf.MetaData, error) {
		if a.Class == ClassStonith {
			return nil, nil
		}
		return md(ctx, a)
	}
}
